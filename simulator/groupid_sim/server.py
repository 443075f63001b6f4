"""HTTP(S) front of the simulator: the documented endpoints, the request log and the admin interface."""

from __future__ import annotations

import itertools
import json
import re
import ssl
import threading
import time

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from .faults import FaultError, Faults
from .state import Directory, SimError, lower_keys
from .tls import make_certificates

TOKEN_PATH = '/groupidsecurityservice/connect/token'
CONTACTS = re.compile(r'^/GroupIDDataService/api/IdentityStores/([^/]+)/Contacts(?:/([^/]+))?/?$', re.IGNORECASE)
ADMIN = '/_simulator'
REDACTED = '********'
MALFORMED = b'{"name": null, "type": 0, "status": 0, "message": null, "details": [{"name": "'


class Respond(Exception):
    """Stop handling and send this answer."""

    def __init__(self, status, body=None, headers=None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, directory, quiet=True):
        super().__init__(address, Handler)
        self.directory = directory
        self.faults = Faults()
        self.quiet = quiet
        self.log = []
        self.log_lock = threading.Lock()
        self.seq = itertools.count(1)

    def handle_error(self, request, client_address):
        """A client that breaks off (TLS refused, connection dropped) is not the simulator's error."""
        if not self.quiet:
            super().handle_error(request, client_address)


def _json_body(raw):
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise Respond(400, {'message': 'The request body is not valid JSON: %s' % exc}) from exc


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'GroupIDSimulator/1.0'

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Access log without query strings or bodies (never a secret); silenced by --quiet."""
        if not self.server.quiet:
            super().log_message('%s %s -> %s', self.command, urlsplit(self.path).path, args[1] if len(args) > 1 else '')

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PATCH(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    # -- plumbing ----------------------------------------------------------------------------------------
    def send(self, status, body=None, headers=None, raw=None):
        payload = raw if raw is not None else (b'' if body is None else json.dumps(body).encode('utf-8'))
        self.send_response(status)
        if payload or raw is not None:
            self.send_header('Content-Type', 'application/json; charset=utf-8')
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def drop(self):
        """Close the connection without any answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(2)
        except OSError:
            pass

    def dispatch(self):
        parts = urlsplit(self.path)
        length = int(self.headers.get('Content-Length') or 0)
        raw = self.rfile.read(length).decode('utf-8', errors='replace') if length else ''
        if parts.path.startswith(ADMIN):
            try:
                status, body = self.admin(parts.path[len(ADMIN):], raw)
            except Respond as answer:
                status, body = answer.status, answer.body
            self.send(status, body)
            return
        entry = self.record(parts, raw)
        try:
            self.api(parts.path, raw, entry)
        except Respond as answer:
            entry['status'] = answer.status
            self.send(answer.status, answer.body, answer.headers)

    def record(self, parts, raw):
        if parts.path.lower() == TOKEN_PATH:
            body = dict(parse_qsl(raw, keep_blank_values=True))
            for key in list(body):
                if key.lower() in ('password', 'client_secret'):
                    body[key] = REDACTED
        else:
            try:
                body = json.loads(raw) if raw.strip() else None
            except ValueError:
                body = raw[:500]
        authorization = self.headers.get('Authorization') or ''
        entry = {'seq': next(self.server.seq), 'time': time.time(), 'method': self.command, 'path': parts.path,
                 'query': parts.query, 'body': body, 'bearer': authorization.lower().startswith('bearer '),
                 'status': None}
        with self.server.log_lock:
            self.server.log.append(entry)
        return entry

    # -- the API ---------------------------------------------------------------------------------------------
    def api(self, path, raw, entry):
        method = self.command
        faults = self.server.faults.take(method, path, ('latency', 'status', 'drop', 'malformed'))
        by_kind = dict((f['kind'], f) for f in faults)
        if 'latency' in by_kind:
            time.sleep(float(by_kind['latency']['seconds']))
        if 'status' in by_kind:
            fault = by_kind['status']
            headers = {}
            if fault.get('retry_after') is not None:
                headers['Retry-After'] = str(fault['retry_after'])
            body = {'message': fault.get('message') or 'Injected HTTP %d' % fault['status']}
            if fault['status'] == 403:
                body = {'message': '403 - Forbidden: Access is denied. The IP address of the client is not allowed.'}
            raise Respond(fault['status'], body, headers)
        drop = by_kind.get('drop')
        if drop and drop.get('when', 'before') == 'before':
            self.drop()
            return
        status, body, headers = self.route(method, path, raw)
        if drop:
            self.drop()
            return
        entry['status'] = status
        if 'malformed' in by_kind:
            self.send(200, raw=MALFORMED)
            return
        self.send(status, body, headers)

    def route(self, method, path, raw):
        directory = self.server.directory
        if path.lower() == TOKEN_PATH:
            if method != 'POST':
                raise Respond(405, {'message': 'Method not allowed'})
            try:
                return 200, directory.issue_token(dict(parse_qsl(raw, keep_blank_values=True))), {}
            except SimError as exc:
                raise Respond(exc.status, exc.message) from exc
        match = CONTACTS.match(path)
        if not match:
            raise Respond(404, {'message': 'No route for %s' % path})
        try:
            store_id = int(match.group(1))
        except ValueError as exc:
            raise Respond(404, {'message': 'Identity store %r was not found.' % match.group(1)}) from exc
        authorization = self.headers.get('Authorization') or ''
        token = authorization[7:].strip() if authorization.lower().startswith('bearer ') else None
        challenge = directory.check_token(token, store_id)
        if challenge:
            raise Respond(401, None, {'WWW-Authenticate': challenge})
        identity = unquote(match.group(2)) if match.group(2) else None
        try:
            return self.contacts(method, store_id, identity, raw)
        except SimError as exc:
            raise Respond(exc.status, exc.message) from exc

    def contacts(self, method, store_id, identity, raw):
        directory = self.server.directory
        directory.store(store_id)
        body = _json_body(raw)
        if method == 'GET' and identity is not None:
            if body is None:
                body = []
            if not isinstance(body, list) or not all(isinstance(n, str) for n in body):
                raise Respond(400, {'message': 'The body must be a JSON array of attribute names.'})
            return 200, directory.require(store_id, identity).to_api(store_id, body), {}
        if method == 'GET':
            request = lower_keys(body)
            identities = request.get('useridentities')
            attributes = request.get('attributestoload') or []
            if not isinstance(identities, list) or not isinstance(attributes, list):
                raise Respond(400, {'message': 'userIdentities and attributesToLoad must be arrays.'})
            found = [directory.find(store_id, i) for i in identities]
            return 200, [c.to_api(store_id, attributes) for c in found if c is not None], {}
        if method == 'PATCH' and identity is None:
            request = lower_keys(body)
            update = lower_keys(request.get('attributestoupdate'))
            collection = update.get('attributescollection')
            if not request.get('objectidentity') or not isinstance(collection, dict):
                raise Respond(400, {'message': 'objectIdentity and attributesToUpdate.AttributesCollection are required.'})
            taken = self.server.faults.take('PATCH', self.path, ('attribute_failure', 'approval'))
            failures = {}
            approval = False
            for fault in taken:
                if fault['kind'] == 'approval':
                    approval = True
                else:
                    for name in fault.get('attributes', []):
                        failures[name.lower()] = (fault.get('status', 2), fault.get('message') or 'Injected failure')
            return 200, directory.update(store_id, request['objectidentity'], collection, failures, approval), {}
        if method == 'POST' and identity is None:
            request = lower_keys(body)
            attributes = lower_keys(request.get('attributes'))
            return 200, directory.create(store_id, request.get('container'), attributes.get('attributescollection')), {}
        if method == 'DELETE' and identity is not None:
            return 200, directory.delete(store_id, identity), {}
        if method == 'DELETE':
            if not isinstance(body, list):
                raise Respond(400, {'message': 'The body must be a JSON array of identities.'})
            return 200, directory.delete_many(store_id, body), {}
        raise Respond(405, {'message': 'Method %s is not allowed here.' % method})

    # -- admin ---------------------------------------------------------------------------------------------------
    def admin(self, path, raw):
        method = self.command
        server = self.server
        directory = server.directory
        if path == '/state' and method == 'GET':
            with directory.lock:
                stores = dict((str(sid), [c.to_admin() for c in contacts.values()])
                              for sid, contacts in directory.stores.items())
                return 200, {'identity_stores': stores, 'pending_approvals': list(directory.pending_approvals)}
        if path.startswith('/contacts/') and method == 'GET':
            store, _sep, identity = path[len('/contacts/'):].partition('/')
            try:
                contact = directory.find(int(store), unquote(identity))
            except (ValueError, SimError):
                contact = None
            if contact is None:
                return 404, {'message': 'not found'}
            return 200, contact.to_admin()
        if path == '/reset' and method == 'POST':
            directory.reset()
            server.faults.clear()
            with server.log_lock:
                server.log.clear()
            return 200, {'reset': True}
        if path == '/requests':
            with server.log_lock:
                if method == 'DELETE':
                    server.log.clear()
                    return 200, {'cleared': True}
                return 200, {'requests': [dict(e) for e in server.log]}
        if path == '/config' and method == 'POST':
            config = _json_body(raw) or {}
            if 'token_lifetime' in config:
                directory.token_lifetime = int(config['token_lifetime'])
            return 200, {'token_lifetime': directory.token_lifetime}
        if path == '/faults':
            if method == 'GET':
                return 200, {'faults': server.faults.list()}
            if method == 'DELETE':
                server.faults.clear()
                return 200, {'cleared': True}
            if method == 'POST':
                fault = _json_body(raw)
                if isinstance(fault, dict) and fault.get('kind') == 'expire_tokens':
                    return 200, {'expired': directory.expire_tokens()}
                try:
                    return 200, {'id': server.faults.add(fault)}
                except FaultError as exc:
                    return 400, {'message': str(exc)}
        return 404, {'message': 'unknown admin call %s %s' % (method, path)}


class Simulator:
    """A running simulator (for tests and the command line)."""

    def __init__(self, server, thread, url, ca_path):
        self.server = server
        self.thread = thread
        self.url = url
        self.ca_path = ca_path
        self.admin_url = url + ADMIN

    @property
    def directory(self):
        return self.server.directory

    @property
    def requests(self):
        with self.server.log_lock:
            return [dict(e) for e in self.server.log]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def start_simulator(seed, host='127.0.0.1', port=0, tls=False, cert_dir=None, state_file=None, token_lifetime=None,
                    quiet=True):
    """Start a simulator in a background thread; ``seed`` is a path or a dict."""
    if isinstance(seed, dict):
        directory = Directory(seed, state_file=state_file, token_lifetime=token_lifetime)
    else:
        directory = Directory.from_file(seed, state_file=state_file, token_lifetime=token_lifetime)
    server = SimServer((host, port), directory, quiet=quiet)
    ca_path = None
    scheme = 'http'
    if tls:
        ca_path, cert_path = make_certificates(cert_dir)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path)
        # The handshake happens in the handler thread, so a slow or broken client never blocks accept().
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        scheme = 'https'
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05}, name='groupid-simulator',
                              daemon=True)
    thread.start()
    url = '%s://%s:%d' % (scheme, host, server.server_address[1])
    return Simulator(server, thread, url, ca_path)
