"""HTTP(S) front of the simulator: the documented endpoints, the request log and the admin interface."""

from __future__ import annotations

import itertools
import json
import os
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
SECRET_KEYS = frozenset(('password', 'client_secret', 'access_token', 'refresh_token', 'authorization'))
MALFORMED = b'{"name": null, "type": 0, "status": 0, "message": null, "details": [{"name": "'
DEFAULT_SEED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'seed.yml')
IIS_403 = ('403 - Forbidden: Access is denied. You do not have permission to view this directory or page using the'
           ' credentials that you supplied (IIS IP address and domain restrictions)')
# Methods the routes accept; anything else on a known path is 405 (before authentication, like ASP.NET routing).
TOKEN_METHODS = ('POST',)
ONE_CONTACT_METHODS = ('GET', 'DELETE')
CONTACTS_METHODS = ('GET', 'PATCH', 'POST', 'DELETE')


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

    def clear_log(self):
        with self.log_lock:
            self.log.clear()


def _json_body(raw):
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise Respond(400, {'message': 'The request body is not valid JSON: %s' % exc}) from exc


def redact(value):
    """A copy of a logged body or query without any secret (by key, at any depth)."""
    if isinstance(value, dict):
        return dict((k, REDACTED if str(k).lower() in SECRET_KEYS else redact(v)) for k, v in value.items())
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def _redacted_query(query):
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(k.lower() in SECRET_KEYS for k, _v in pairs):
        return query
    return '&'.join('%s=%s' % (k, REDACTED if k.lower() in SECRET_KEYS else v) for k, v in pairs)


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'GroupIDSimulator/1.0'
    # Headers and body go out in two writes; with Nagle on, the body waits for the client's delayed ACK
    # (about 40 ms a request on Linux), a cost no real IIS server has and that would skew every timing.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Access log: method, path without query, status; never a body, header or token. Silenced by --quiet."""
        if self.server.quiet:
            return
        path = urlsplit(getattr(self, 'path', '') or '').path
        status = args[1] if format.startswith('"%s" %s') and len(args) > 1 else (args[0] if args else '')
        super().log_message('%s %s -> %s', getattr(self, 'command', None) or '-', path, status)

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

    def do_HEAD(self):
        self.dispatch()

    def do_OPTIONS(self):
        self.dispatch()

    # -- plumbing ----------------------------------------------------------------------------------------
    def send(self, status, body=None, headers=None, raw=None):
        payload = raw if raw is not None else (b'' if body is None else json.dumps(body).encode('utf-8'))
        self.send_response(status)
        if payload:
            self.send_header('Content-Type', 'application/json; charset=utf-8')
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.command == 'HEAD':
            payload = b''
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

    def read_body(self):
        if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            data = b''.join(chunks)
        else:
            length = int(self.headers.get('Content-Length') or 0)
            if length < 0:
                raise ValueError('negative Content-Length')
            data = self.rfile.read(length) if length else b''
        return data.decode('utf-8', errors='replace')

    def dispatch(self):
        parts = urlsplit(self.path)
        try:
            raw = self.read_body()
        except ValueError:
            self.close_connection = True
            self.send(400, {'message': 'Invalid Content-Length or chunked body.'})
            return
        if parts.path == ADMIN or parts.path.startswith(ADMIN + '/'):
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
        """A request log entry (secrets replaced by ********, the bearer token never kept)."""
        content_type = (self.headers.get('Content-Type') or '').lower()
        if parts.path.lower().rstrip('/') == TOKEN_PATH or 'x-www-form-urlencoded' in content_type:
            body = redact(dict(parse_qsl(raw, keep_blank_values=True)))
        else:
            try:
                body = redact(json.loads(raw)) if raw.strip() else None
            except ValueError:
                body = raw[:500]
        authorization = self.headers.get('Authorization') or ''
        entry = {'seq': next(self.server.seq), 'time': time.time(), 'method': self.command, 'path': parts.path,
                 'query': _redacted_query(parts.query), 'body': body,
                 'bearer': authorization.strip().lower().startswith('bearer '), 'status': None}
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
            message = fault.get('message') or (IIS_403 if fault['status'] == 403 else
                                               'Injected HTTP %d by the simulator.' % fault['status'])
            raise Respond(fault['status'], {'message': message}, headers)
        drop = by_kind.get('drop')
        if drop and drop.get('when', 'before') == 'before':
            self.drop()
            return
        try:
            status, body, headers = self.route(method, path, raw)
        except Respond:
            if drop:                       # 'after': the answer is lost whatever it was
                self.drop()
                return
            raise
        if drop:
            self.drop()
            return
        if 'malformed' in by_kind:
            entry['status'] = 200
            self.send(200, raw=MALFORMED)
            return
        entry['status'] = status
        self.send(status, body, headers)

    def route(self, method, path, raw):
        directory = self.server.directory
        if path.lower().rstrip('/') == TOKEN_PATH:
            if method not in TOKEN_METHODS:
                raise Respond(405, {'message': 'Method %s is not allowed here.' % method}, {'Allow': 'POST'})
            try:
                return 200, directory.issue_token(dict(parse_qsl(raw, keep_blank_values=True))), {
                    'Cache-Control': 'no-store, no-cache, max-age=0', 'Pragma': 'no-cache'}
            except SimError as exc:
                raise Respond(exc.status, exc.message, {'Cache-Control': 'no-store'}) from exc
        match = CONTACTS.match(path)
        if not match:
            raise Respond(404, {'message': 'No HTTP resource was found that matches the request URI %s.' % path})
        identity = unquote(match.group(2)) if match.group(2) else None
        allowed = ONE_CONTACT_METHODS if identity is not None else CONTACTS_METHODS
        if method not in allowed:
            raise Respond(405, {'message': 'Method %s is not allowed here.' % method}, {'Allow': ', '.join(allowed)})
        authorization = (self.headers.get('Authorization') or '').strip()
        token = authorization[7:].strip() if authorization.lower().startswith('bearer ') else None
        info, challenge = directory.check_token(token)
        if challenge:
            raise Respond(401, None, {'WWW-Authenticate': challenge})
        try:
            store_id = int(match.group(1))
        except ValueError as exc:
            raise Respond(404, {'message': 'Identity store %s was not found.' % json.dumps(match.group(1))}) from exc
        if not directory.has_store(store_id):
            raise Respond(404, {'message': 'Identity store %s was not found.' % store_id})
        if info['store'] != store_id:
            raise Respond(401, None, {'WWW-Authenticate': 'Bearer error="invalid_token", error_description='
                                                          '"The token was issued for another identity store"'})
        try:
            return self.contacts(method, store_id, identity, raw)
        except SimError as exc:
            raise Respond(exc.status, exc.message) from exc

    def contacts(self, method, store_id, identity, raw):
        directory = self.server.directory
        body = _json_body(raw)
        if method == 'GET' and identity is not None:
            if body is None:
                body = []
            if not isinstance(body, list) or not all(isinstance(n, str) for n in body):
                raise Respond(400, {'message': 'The body must be a JSON array of attribute names.'})
            return 200, directory.read(store_id, identity, body), {}
        if method == 'DELETE' and identity is not None:
            return 200, directory.delete(store_id, identity), {}
        if method == 'GET':
            request = lower_keys(body)
            identities = request.get('useridentities')
            attributes = request.get('attributestoload') or []
            if not isinstance(identities, list) or not isinstance(attributes, list) or \
                    not all(isinstance(n, str) for n in attributes):
                raise Respond(400, {'message': 'The body must be {"userIdentities": [...], "attributesToLoad": [...]}.'})
            return 200, directory.read_many(store_id, identities, attributes), {}
        if method == 'PATCH':
            return 200, self.update(store_id, body), {}
        if method == 'POST':
            request = lower_keys(body)
            attributes = lower_keys(request.get('attributes'))
            return 200, directory.create(store_id, request.get('container'), attributes.get('attributescollection')), {}
        if not isinstance(body, list):
            raise Respond(400, {'message': 'The body must be a JSON array of identities.'})
        return 200, directory.delete_many(store_id, body), {}

    def update(self, store_id, body):
        request = lower_keys(body)
        update = lower_keys(request.get('attributestoupdate'))
        collection = update.get('attributescollection')
        identity = request.get('objectidentity')
        if not isinstance(identity, str) or not identity.strip() or not isinstance(collection, dict):
            raise Respond(400, {'message': 'objectIdentity and attributesToUpdate.AttributesCollection are required.'})
        self.server.directory.require(store_id, identity)
        failures = {}
        approval = False
        for fault in self.server.faults.take('PATCH', self.path, ('attribute_failure', 'approval')):
            if fault['kind'] == 'approval':
                approval = True
            else:
                for name in fault.get('attributes') or []:
                    failures[str(name).lower()] = (fault.get('status', 2), fault.get('message') or 'Injected failure')
        return self.server.directory.update(store_id, identity, collection, failures, approval)

    # -- admin ---------------------------------------------------------------------------------------------------
    def admin(self, path, raw):
        """The admin interface (no auth, not logged). Returns (status, body)."""
        method = self.command
        server = self.server
        directory = server.directory
        path = path.rstrip('/') or '/'
        routes = {'/state': ('GET',), '/reset': ('POST',), '/requests': ('GET', 'DELETE'), '/config': ('GET', 'POST'),
                  '/faults': ('GET', 'POST', 'DELETE')}
        if path.startswith('/contacts/'):
            if method != 'GET':
                return 405, {'message': 'GET only'}
            store, _sep, identity = path[len('/contacts/'):].partition('/')
            try:
                contact = directory.admin_contact(int(store), unquote(identity))
            except ValueError:
                contact = None
            if contact is None:
                return 404, {'message': 'No contact %s in identity store %s.' % (json.dumps(unquote(identity)), store)}
            return 200, contact
        decision = re.match(r'^/approvals/([0-9]+)/(approve|reject)$', path)
        if decision:
            if method != 'POST':
                return 405, {'message': 'POST only'}
            try:
                applied = directory.decide(int(decision.group(1)), decision.group(2) == 'approve')
            except SimError as exc:
                return exc.status, exc.message
            return 200, {'approval': int(decision.group(1)), 'decision': decision.group(2), 'result': applied}
        if path not in routes:
            return 404, {'message': 'Unknown admin call %s %s.' % (method, path)}
        if method not in routes[path]:
            return 405, {'message': '%s allows %s.' % (path, ', '.join(routes[path]))}
        if path == '/state':
            return 200, directory.admin_state()
        if path == '/reset':
            directory.reset()
            server.faults.clear()
            server.clear_log()
            return 200, {'reset': True}
        if path == '/requests':
            if method == 'DELETE':
                server.clear_log()
                return 200, {'cleared': True}
            with server.log_lock:
                return 200, {'requests': [dict(e) for e in server.log]}
        if path == '/config':
            config = lower_keys(_json_body(raw)) if method == 'POST' else {}
            if 'token_lifetime' in config:
                lifetime = config['token_lifetime']
                if isinstance(lifetime, bool) or not isinstance(lifetime, int) or lifetime < 1:
                    return 400, {'message': 'token_lifetime must be a positive integer (seconds).'}
                directory.set_token_lifetime(lifetime)
            return 200, {'token_lifetime': directory.token_lifetime}
        return self.admin_faults(method, raw)

    def admin_faults(self, method, raw):
        server = self.server
        if method == 'GET':
            return 200, {'faults': server.faults.list()}
        if method == 'DELETE':
            server.faults.clear()
            return 200, {'cleared': True}
        fault = _json_body(raw)
        if isinstance(fault, dict) and fault.get('kind') == 'expire_tokens':
            return 200, {'expired': server.directory.expire_tokens()}
        try:
            return 200, {'id': server.faults.add(fault)}
        except FaultError as exc:
            return 400, {'message': str(exc)}


class Simulator:
    """A running simulator (for tests and the command line): ``url``, ``ca_path``, ``state``, ``stop()``."""

    def __init__(self, server, thread, url, ca_path):
        self.server = server
        self.thread = thread
        self.url = url
        self.ca_path = ca_path
        self.admin_url = url + ADMIN

    @property
    def state(self):
        """The Directory (store, tokens, pending approvals)."""
        return self.server.directory

    directory = state

    @property
    def faults(self):
        return self.server.faults

    @property
    def requests(self):
        with self.server.log_lock:
            return [dict(e) for e in self.server.log]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def start_simulator(seed=None, host='127.0.0.1', port=0, tls=False, cert_dir=None, state_file=None,
                    token_lifetime=None, quiet=True):
    """Start a simulator in a background thread; ``seed`` is a path (YAML or JSON), a dict, or None (seed.yml)."""
    if host not in ('127.0.0.1', 'localhost'):
        raise ValueError('the simulator binds the loopback address 127.0.0.1 only')
    if isinstance(seed, dict):
        directory = Directory(seed, state_file=state_file, token_lifetime=token_lifetime)
    else:
        directory = Directory.from_file(seed or DEFAULT_SEED, state_file=state_file, token_lifetime=token_lifetime)
    server = SimServer(('127.0.0.1', port), directory, quiet=quiet)
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
