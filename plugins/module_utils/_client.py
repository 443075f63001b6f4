# -*- coding: utf-8 -*-
# Copyright: (c) 2026, groupid.groupid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client and authentication for the Directory Manager Data and Security services.

PRIVATE to the groupid.groupid collection; no compatibility promise for other users.

The wire protocol follows the published API samples (see the collection's
"API fidelity" guide): a password grant on ``/GroupIDSecurityService/connect/token``
and JSON calls under ``/GroupIDDataService/api/IdentityStores/{id}/``, authenticated
with ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import json
import random
import threading
import time

from urllib.parse import quote

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - exercised by the sanity import test
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

TOKEN_PATH = '/GroupIDSecurityService/connect/token'
DATA_PATH = '/GroupIDDataService/api/IdentityStores/%d'

# Statuses after which a request that changes nothing may be sent again.
RETRY_STATUSES = frozenset((429, 502, 503, 504))
MAX_TOTAL_WAIT = 60.0
BACKOFF_BASE = 0.5
BACKOFF_CAP = 10.0
MESSAGE_LIMIT = 500


class GroupIDError(Exception):
    """A request failed; ``str()`` is a complete message for the user."""

    def __init__(self, message, url=None, status=None, transient=False, sent=None, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after
        self.url = url
        self.status = status
        # transient: the same request could succeed later (timeouts, 429/5xx, drops).
        self.transient = transient
        # sent: for a write, whether the request may have reached the server
        # (True), surely did not (False), or is unknown (None).
        self.sent = sent


class NotFoundError(GroupIDError):
    """HTTP 404: the object (or the identity store) does not exist."""


def _short(text):
    text = (text or '').strip()
    if len(text) > MESSAGE_LIMIT:
        text = text[:MESSAGE_LIMIT] + '...'
    return text


def server_message(response):
    """The most useful human text of an error response, without secrets."""
    try:
        body = response.json()
    except ValueError:
        return _short(response.text)
    if isinstance(body, dict):
        lowered = dict((str(k).lower(), v) for k, v in body.items())
        parts = [str(lowered[k]) for k in ('error', 'error_description', 'message', 'title', 'detail')
                 if lowered.get(k)]
        if parts:
            return _short(': '.join(parts))
    return _short(json.dumps(body))


def retry_after_seconds(response):
    """Seconds from a ``Retry-After`` header given in seconds, or None."""
    value = response.headers.get('Retry-After') if response is not None else None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class GroupIDClient:
    """A session against one site and one identity store."""

    def __init__(self, url, identity_store_id, access_token=None, username=None, password=None,
                 client_id=None, client_secret=None, validate_certs=True, ca_path=None, timeout=30,
                 retries=3, max_total_wait=MAX_TOTAL_WAIT, warn=None, on_token=None, sleep=None):
        self.base_url = url.rstrip('/')
        self.identity_store_id = identity_store_id
        self.access_token = access_token
        self.credentials = None
        if username is not None:
            self.credentials = {
                'username': username, 'password': password,
                'client_id': client_id, 'client_secret': client_secret,
            }
        self.verify = ca_path if ca_path else validate_certs
        self.timeout = timeout
        self.retries = retries
        self.max_total_wait = max_total_wait
        self.warn = warn or (lambda msg: None)
        self.on_token = on_token or (lambda token: None)
        self.sleep = sleep or time.sleep
        self.session = requests.Session()
        self.session.headers['Accept'] = 'application/json'
        self.token_info = None
        self._login_lock = threading.Lock()

    def use_pool(self, size):
        """Keep up to ``size`` connections open, for that many threads sharing this client."""
        if size > 1:
            adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=size)
            self.session.mount('https://', adapter)
            self.session.mount('http://', adapter)

    # -- URLs ------------------------------------------------------------------------
    def data_url(self, collection, identity=None):
        url = self.base_url + DATA_PATH % self.identity_store_id + '/' + collection
        if identity is not None:
            url += '/' + quote(identity, safe='')
        return url

    @property
    def token_url(self):
        return self.base_url + TOKEN_PATH

    # -- transport ---------------------------------------------------------------------
    def _send(self, method, url, **kwargs):
        """One HTTP exchange; transport failures become GroupIDError."""
        try:
            return self.session.request(method, url, timeout=self.timeout, verify=self.verify, **kwargs)
        except requests.exceptions.SSLError as exc:
            raise GroupIDError(
                'TLS verification of %s failed (%s). If the server uses a private or self-signed certificate,'
                ' set ca_path (GROUPID_CA_PATH) to the CA bundle that signed it.' % (url, _short(str(exc))),
                url=url, sent=False) from exc
        except requests.exceptions.ConnectTimeout as exc:
            raise GroupIDError('Connecting to %s timed out after %ss; check url and the network path, or raise'
                               ' timeout.' % (url, self.timeout), url=url, transient=True, sent=False) from exc
        except requests.exceptions.Timeout as exc:
            raise GroupIDError('No answer from %s within %ss (timeout); the server may be overloaded, raise timeout'
                               ' if it is slow.' % (url, self.timeout), url=url, transient=True, sent=None) from exc
        except requests.exceptions.ConnectionError as exc:
            text = str(exc)
            if 'Name or service not known' in text or 'nodename nor servname' in text or \
                    'getaddrinfo failed' in text or 'Temporary failure in name resolution' in text:
                raise GroupIDError('Cannot resolve the host name of %s; check url.' % url, url=url, sent=False) from exc
            if 'Connection refused' in text:
                raise GroupIDError('Connection to %s was refused; check url (host and port) and that the Directory'
                                   ' Manager site is running.' % url, url=url, transient=True, sent=False) from exc
            raise GroupIDError('The connection to %s failed or was dropped before an answer (%s).'
                               % (url, _short(text)), url=url, transient=True, sent=None) from exc
        except requests.exceptions.RequestException as exc:
            raise GroupIDError('Request to %s failed: %s' % (url, _short(str(exc))), url=url) from exc

    def _retrying(self, description, func):
        """Call ``func`` until it returns, retrying transient GroupIDErrors with jittered exponential backoff.

        Honours ``Retry-After``; at most ``retries`` retries and ``max_total_wait`` seconds of
        waiting in all; a warning for each retry. Only for requests that change nothing on the
        server (reads and the token grant).
        """
        waited = 0.0
        attempt = 0
        while True:
            try:
                return func()
            except GroupIDError as exc:
                if not exc.transient or attempt >= self.retries:
                    raise
                delay = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** attempt))
                delay = random.uniform(delay / 2.0, delay)
                if exc.retry_after is not None:
                    delay = max(delay, exc.retry_after)
                if waited + delay > self.max_total_wait:
                    raise
                attempt += 1
                self.warn('%s: retry %d of %d in %.1fs after: %s' % (description, attempt, self.retries, delay, exc))
                self.sleep(delay)
                waited += delay

    # -- authentication ------------------------------------------------------------------
    def login(self):
        """Exchange the credentials for a token (password grant); returns the token response."""
        if self.credentials is None:
            raise GroupIDError('No credentials to get a token with; set username, password, client_id and'
                               ' client_secret, or access_token.')
        form = {
            'grant_type': 'password',
            'username': self.credentials['username'],
            'password': self.credentials['password'],
            'client_Id': self.credentials['client_id'],
            'client_secret': self.credentials['client_secret'],
            'identity_store_id': str(self.identity_store_id),
        }
        url = self.token_url

        def once():
            response = self._send('POST', url, data=form)
            if response.status_code in RETRY_STATUSES:
                raise GroupIDError('The Security Service at %s answered HTTP %d %s'
                                   % (url, response.status_code, server_message(response)), url=url,
                                   status=response.status_code, transient=True,
                                   retry_after=retry_after_seconds(response))
            return response

        response = self._retrying('token request', once)
        if response.status_code != 200:
            hint = ''
            if response.status_code == 400:
                hint = (' Check username and password (invalid_grant), client_id and client_secret (invalid_client,'
                        ' from the SVC.Client table) and identity_store_id.')
            raise GroupIDError('The Security Service refused the token request at %s: HTTP %d %s.%s'
                               % (url, response.status_code, server_message(response), hint),
                               url=url, status=response.status_code)
        body = self._json(response, url)
        token = body.get('access_token') if isinstance(body, dict) else None
        if not token or not isinstance(token, str):
            raise GroupIDError('The Security Service at %s answered without an access_token.' % url, url=url)
        self.on_token(token)
        self.access_token = token
        self.token_info = {
            'token_type': body.get('token_type', 'Bearer'),
            'expires_in': body.get('expires_in'),
            'scope': body.get('scope'),
            'obtained_at': time.time(),
        }
        return body

    # -- data service ------------------------------------------------------------------------
    @staticmethod
    def _json(response, url):
        try:
            return response.json()
        except ValueError as exc:
            raise GroupIDError('%s answered HTTP %d with a body that is not JSON: %r'
                               % (url, response.status_code, _short(response.text)[:200]),
                               url=url, status=response.status_code, transient=True) from exc

    def request(self, method, url, body=None, idempotent=True, description=None):
        """An authenticated JSON call; returns the decoded body.

        Reads (``idempotent``) are retried on transient failures (connection errors, timeouts,
        429/502/503/504, a body that is not JSON). A 401 with credentials gets one new token and
        one more try (the server refused the request, so repeating it is safe); with only an
        access_token it is an error. Writes are sent once: the caller decides what to do after
        a transient failure.
        """
        if self.access_token is None:
            self.login()
        data = None if body is None else json.dumps(body)

        def send():
            headers = {'Authorization': 'Bearer %s' % self.access_token}
            if data is not None:
                headers['Content-Type'] = 'application/json'
            return self._send(method, url, data=data, headers=headers)

        def once():
            used = self.access_token
            response = send()
            if response.status_code == 401:
                if self.credentials is None:
                    raise GroupIDError('%s was refused with HTTP 401: the access_token is expired or invalid. Get a'
                                       ' new token (groupid_token), or give username, password, client_id and'
                                       ' client_secret instead.' % url, url=url, status=401)
                with self._login_lock:
                    if self.access_token == used:   # no other thread got a new one meanwhile
                        self.login()
                response = send()
            return self._check(response, url, method)

        if not idempotent:
            return once()
        return self._retrying(description or '%s %s' % (method, url), once)

    def _check(self, response, url, method):
        status = response.status_code
        if 200 <= status < 300:
            if not response.content:
                return None
            return self._json(response, url)
        message = server_message(response)
        detail = (': %s' % message) if message else ''
        if status == 401:
            raise GroupIDError('%s was refused with HTTP 401 even with a new token; check that the account may use'
                               ' identity store %s%s' % (url, self.identity_store_id, detail), url=url, status=status)
        if status == 403:
            raise GroupIDError(
                '%s was refused with HTTP 403 Forbidden%s. Directory Manager 11.1 security updates restrict the Data'
                ' Service to an IP allow-list in IIS: ask the administrator to add this controller\'s address, or'
                ' check the account\'s role permissions.' % (url, detail), url=url, status=status)
        if status == 404:
            raise NotFoundError('%s: HTTP 404 Not Found%s' % (url, detail), url=url, status=status)
        if status in (405, 501):
            raise GroupIDError('%s %s: HTTP %d; this server does not support the call (check url and the Directory'
                               ' Manager version)%s' % (method, url, status, detail), url=url, status=status)
        if status == 400:
            raise GroupIDError('%s %s: HTTP 400 Bad Request%s' % (method, url, detail), url=url, status=status)
        raise GroupIDError('%s %s: HTTP %d%s' % (method, url, status, detail), url=url, status=status,
                           transient=status in RETRY_STATUSES, retry_after=retry_after_seconds(response),
                           sent=False if status in (429, 503) else None)

    # -- contacts -----------------------------------------------------------------------------
    def get_contact(self, identity, attributes):
        """The contact (decoded JSON object) or None when it does not exist."""
        url = self.data_url('Contacts', identity)
        try:
            body = self.request('GET', url, body=list(attributes), description='read contact')
        except NotFoundError:
            return None
        if not isinstance(body, dict):
            raise GroupIDError('%s answered with %s instead of a contact object' % (url, type(body).__name__),
                               url=url)
        return body

    def get_contacts(self, identities, attributes):
        """Get Contacts (GET with ``{userIdentities, attributesToLoad}``): a list of contact objects.

        Identities the server does not know are left out of the answer (INFERRED).
        """
        url = self.data_url('Contacts')
        body = self.request('GET', url, body={'userIdentities': list(identities), 'attributesToLoad': list(attributes)},
                            description='read contacts')
        if body is None:
            return []
        if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
            raise GroupIDError('%s answered with %s instead of a list of contacts' % (url, type(body).__name__),
                               url=url)
        return body

    def create_contact(self, container, attributes_collection):
        """Create Contact (POST): the response envelope; ``data`` holds the new object id."""
        url = self.data_url('Contacts')
        body = {'container': container, 'attributes': {'attributesCollection': attributes_collection}}
        return self.request('POST', url, body=body, idempotent=False)

    def delete_contact(self, identity):
        """Delete Contact (DELETE one): the response envelope, or None when the contact does not exist."""
        url = self.data_url('Contacts', identity)
        try:
            return self.request('DELETE', url, idempotent=False)
        except NotFoundError:
            return None

    def update_contact(self, identity, attributes_collection):
        url = self.data_url('Contacts')
        body = {
            'objectIdentity': identity,
            'attributesToUpdate': {'AttributesCollection': attributes_collection},
        }
        return self.request('PATCH', url, body=body, idempotent=False)


def contact_attributes(contact):
    """``attributesBusinessObject.attributesCollection`` as name -> list of strings."""
    result = {}
    business = (contact or {}).get('attributesBusinessObject') or {}
    collection = business.get('attributesCollection') or {}
    if not isinstance(collection, dict):
        return result
    for name, entries in collection.items():
        values = []
        for entry in entries or []:
            value = entry.get('value') if isinstance(entry, dict) else entry
            if value is None:
                continue
            values.append(value if isinstance(value, str) else str(value))
        result[name] = values
    return result
