# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared test helpers: a scripted HTTP transport at the requests.Session boundary."""

from __future__ import annotations

import json

import pytest
import requests

from ansible_collections.groupid.groupid.plugins.module_utils._client import GroupIDClient

BASE = 'https://dm.example.com:4443'
DATA = BASE + '/GroupIDDataService/api/IdentityStores/2'
TOKEN_URL = BASE + '/GroupIDSecurityService/connect/token'
GUID = 'aaa92db4-b912-49a8-9f85-56da5f33daaf'
# Three contacts for the tests of many contacts (A is GUID), and connection options with a token.
A = GUID
B = 'bee3ae99-d1d6-4480-a271-65d567784cca'
C = 'ccc3ae99-d1d6-4480-a271-65d567784ccc'
CONN = {'url': BASE, 'identity_store_id': 2, 'access_token': 'tok'}


def response(status=200, body=None, headers=None, raw=None):
    """A real requests.Response with a JSON (or raw) body."""
    resp = requests.Response()
    resp.status_code = status
    if raw is not None:
        resp._content = raw.encode('utf-8')
    elif body is not None:
        resp._content = json.dumps(body).encode('utf-8')
    else:
        resp._content = b''
    resp.headers.update(headers or {})
    resp.encoding = 'utf-8'
    return resp


def token_response(token='tok-1'):
    return response(200, {'access_token': token, 'refresh_token': 'r', 'scope': 'directorymanager.api',
                          'token_type': 'Bearer', 'expires_in': 1200})


def contact_body(attributes, object_id=GUID):
    """A Get Contact response in the documented shape."""
    def entry(value):
        return {'identityStoreId': 0, 'value': value, 'dn': None, 'action': 0, 'attributeCollection': {},
                'nestedAttributes': {'attributesCollection': {}, 'filePermissionCollection': {}, 'type': None}}
    return {
        'displayName': None, 'objectIdFromIdentityStore': object_id, 'identityStoreId': 2, 'objectType': 'contact',
        'attributesBusinessObject': {
            'attributesCollection': dict((k, [entry(v) for v in vs]) for k, vs in attributes.items()),
            'filePermissionCollection': {}, 'type': None,
        },
        'elasticHitScore': 0.0,
    }


def envelope(details=(), status=0, message=None):
    """An update response: details is a list of (name, status, message)."""
    return {
        'name': None, 'type': 0, 'status': status, 'message': message, 'data': '', 'identityStoreObject': None,
        'details': [{'name': n, 'type': 8, 'status': s, 'message': m, 'data': '', 'details': []} for n, s, m in details],
        'currentDirectoryServer': None, 'errorCode': None, 'exceptionMessagesAttributeWise': None, 'isResyncAble': True,
    }


class ScriptedSession:
    """Stands in for requests.Session: answers from a script, records every call."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []
        self.headers = {}

    def request(self, method, url, **kwargs):
        self.calls.append(dict(kwargs, method=method, url=url))
        if not self.script:
            raise AssertionError('unexpected request %s %s' % (method, url))
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item

    def mount(self, prefix, adapter):
        self.mounted = (prefix, adapter)

    def methods(self):
        return [(c['method'], c['url']) for c in self.calls]

    def json_body(self, index):
        return json.loads(self.calls[index]['data'])


@pytest.fixture
def make_client():
    """make_client(script, **options) -> (client, session, warnings, sleeps)."""
    def factory(script, **options):
        warnings, sleeps = [], []
        kwargs = dict(url=BASE, identity_store_id=2, access_token='given-token', warn=warnings.append,
                      sleep=sleeps.append)
        kwargs.update(options)
        client = GroupIDClient(**kwargs)
        session = ScriptedSession(script)
        client.session = session
        return client, session, warnings, sleeps
    return factory


def run_module(main, args, capsys):
    """Run a module's main() with ``args``; return (result dict, exit code, raw stdout)."""
    from ansible.module_utils.testing import patch_module_args  # ansible-core >= 2.19, the supported floor
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exc:
            main()
    out = capsys.readouterr().out
    return json.loads(out), exc.value.code, out


@pytest.fixture
def transport(monkeypatch):
    """transport(script) -> ScriptedSession used by every GroupIDClient made afterwards."""
    from ansible_collections.groupid.groupid.plugins.module_utils import _client

    def factory(script):
        session = ScriptedSession(script)
        monkeypatch.setattr(_client.requests, 'Session', lambda: session)
        monkeypatch.setattr(_client.time, 'sleep', lambda seconds: None)
        return session
    return factory


def warning_texts(result):
    """The warnings of a module result as strings (2.19+ wraps each in a WarningSummary)."""
    texts = []
    for warning in result.get('warnings', []):
        if isinstance(warning, dict):
            warning = (warning.get('event') or {}).get('msg', '')
        texts.append(warning)
    return texts
