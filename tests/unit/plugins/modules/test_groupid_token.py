# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""groupid_token: one password grant, the token returned (not masked), secrets masked."""

from __future__ import annotations

from ansible_collections.groupid.groupid.plugins.modules import groupid_token
from ansible_collections.groupid.groupid.tests.unit.plugins.helpers import (
    BASE,
    TOKEN_URL,
    response,
    run_module,
    token_response,
)

CREDS = {'url': BASE, 'identity_store_id': 2, 'username': 'DOM\\svc', 'password': 'pw-secret-456',
         'client_id': 'cid', 'client_secret': 'cs-secret-789'}


def test_returns_token_and_expiry(capsys, transport):
    session = transport([token_response('issued-token-1')])
    result, code, out = run_module(groupid_token.main, CREDS, capsys)
    assert code == 0
    assert result['changed'] is False
    assert result['access_token'] == 'issued-token-1'
    assert result['expires_in'] == 1200
    assert result['token_type'] == 'Bearer'
    assert result['expires_at'].endswith('Z')
    assert session.methods() == [('POST', TOKEN_URL)]
    assert 'pw-secret-456' not in out and 'cs-secret-789' not in out


def test_token_in_check_mode_too(capsys, transport):
    transport([token_response('issued-token-2')])
    result, code, _out = run_module(groupid_token.main, dict(CREDS, _ansible_check_mode=True), capsys)
    assert code == 0 and result['access_token'] == 'issued-token-2'


def test_access_token_from_module_defaults_is_ignored(capsys, transport):
    session = transport([token_response('fresh')])
    result, code, _out = run_module(groupid_token.main, dict(CREDS, access_token='old-token'), capsys)
    assert code == 0 and result['access_token'] == 'fresh'
    assert len(session.calls) == 1


def test_missing_credentials(capsys, transport):
    session = transport([])
    args = dict(CREDS)
    del args['client_secret']
    result, code, _out = run_module(groupid_token.main, args, capsys)
    assert code == 1
    assert 'missing credentials' in result['msg'] and 'client_secret' in result['msg']
    assert session.calls == []


def test_refused_grant(capsys, transport):
    transport([response(400, {'error': 'invalid_client'})])
    result, code, out = run_module(groupid_token.main, CREDS, capsys)
    assert code == 1 and 'invalid_client' in result['msg']
    assert 'cs-secret-789' not in out
