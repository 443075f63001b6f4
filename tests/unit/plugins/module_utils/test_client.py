# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP client at its boundary (requests.Session), with a scripted transport."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.groupid.groupid.plugins.module_utils._client import (
    GroupIDError,
    NotFoundError,
    contact_attributes,
)
from ansible_collections.groupid.groupid.tests.unit.plugins.helpers import (
    DATA,
    GUID,
    TOKEN_URL,
    contact_body,
    envelope,
    response,
    token_response,
)

CREDS = dict(access_token=None, username='DOM\\svc', password='pw-secret', client_id='cid', client_secret='cs-secret')


def test_get_contact_sends_get_with_json_array_body_and_bearer(make_client):
    client, session, _w, _s = make_client([response(200, contact_body({'displayName': ['X']}))])
    body = client.get_contact(GUID, ['displayName', 'mail'])
    assert body['objectIdFromIdentityStore'] == GUID
    call = session.calls[0]
    assert call['method'] == 'GET'
    assert call['url'] == DATA + '/Contacts/' + GUID
    assert session.json_body(0) == ['displayName', 'mail']
    assert call['headers']['Authorization'] == 'Bearer given-token'
    assert call['headers']['Content-Type'] == 'application/json'
    assert call['verify'] is True
    assert call['timeout'] == 30


def test_identity_is_url_encoded_in_path(make_client):
    client, session, _w, _s = make_client([response(200, contact_body({}))])
    client.get_contact('CN=Smith\\, John,OU=A B,DC=x', [])
    assert session.calls[0]['url'] == DATA + '/Contacts/CN%3DSmith%5C%2C%20John%2COU%3DA%20B%2CDC%3Dx'


def test_get_contact_404_is_none(make_client):
    client, _session, _w, _s = make_client([response(404, {'message': 'not found'})])
    assert client.get_contact(GUID, []) is None


def test_update_contact_sends_documented_patch_body(make_client):
    client, session, _w, _s = make_client([response(200, envelope([('department', 0, None)]))])
    client.update_contact(GUID, {'department': [{'Value': 'Ops', 'Action': 0}]})
    assert session.calls[0]['method'] == 'PATCH'
    assert session.calls[0]['url'] == DATA + '/Contacts'
    assert session.json_body(0) == {'objectIdentity': GUID, 'attributesToUpdate': {
        'AttributesCollection': {'department': [{'Value': 'Ops', 'Action': 0}]}}}


def test_password_grant_form_fields_and_token_use(make_client):
    tokens = []
    client, session, _w, _s = make_client([token_response('tok-A'), response(200, contact_body({}))],
                                          on_token=tokens.append, **CREDS)
    client.get_contact(GUID, [])
    token_call = session.calls[0]
    assert (token_call['method'], token_call['url']) == ('POST', TOKEN_URL)
    assert token_call['data'] == {'grant_type': 'password', 'username': 'DOM\\svc', 'password': 'pw-secret',
                                  'client_Id': 'cid', 'client_secret': 'cs-secret', 'identity_store_id': '2'}
    assert session.calls[1]['headers']['Authorization'] == 'Bearer tok-A'
    assert tokens == ['tok-A']
    assert client.token_info['expires_in'] == 1200


@pytest.mark.parametrize('error, hint', [('invalid_grant', 'username and password'), ('invalid_client', 'client_id')])
def test_token_refused_is_a_clear_error_without_secrets(make_client, error, hint):
    client, _session, _w, _s = make_client([response(400, {'error': error})], **CREDS)
    with pytest.raises(GroupIDError) as err:
        client.login()
    text = str(err.value)
    assert error in text and hint in text and TOKEN_URL in text
    assert 'pw-secret' not in text and 'cs-secret' not in text


def test_token_response_without_access_token(make_client):
    client, _session, _w, _s = make_client([response(200, {'token_type': 'Bearer'})], **CREDS)
    with pytest.raises(GroupIDError, match='without an access_token'):
        client.login()


def test_401_with_credentials_gets_a_new_token_once(make_client):
    client, session, _w, _s = make_client(
        [token_response('old'), response(401), token_response('new'), response(200, contact_body({}))], **CREDS)
    client.get_contact(GUID, [])
    assert [c['method'] for c in session.calls] == ['POST', 'GET', 'POST', 'GET']
    assert session.calls[3]['headers']['Authorization'] == 'Bearer new'


def test_401_twice_with_credentials_is_an_error(make_client):
    client, _session, _w, _s = make_client(
        [token_response('old'), response(401), token_response('new'), response(401)], **CREDS)
    with pytest.raises(GroupIDError, match='401 even with a new token'):
        client.get_contact(GUID, [])


def test_401_with_access_token_only_says_token_expired(make_client):
    client, session, _w, _s = make_client([response(401, headers={'WWW-Authenticate': 'Bearer error="invalid_token"'})])
    with pytest.raises(GroupIDError) as err:
        client.get_contact(GUID, [])
    assert 'access_token is expired or invalid' in str(err.value)
    assert 'given-token' not in str(err.value)
    assert len(session.calls) == 1


def test_403_mentions_ip_allow_list(make_client):
    client, _session, _w, _s = make_client([response(403, raw='<html>Forbidden</html>')])
    with pytest.raises(GroupIDError, match='IP allow-list') as err:
        client.get_contact(GUID, [])
    assert err.value.status == 403


def test_400_carries_server_message(make_client):
    client, _session, _w, _s = make_client([response(400, {'message': 'objectIdentity is required'})])
    with pytest.raises(GroupIDError, match='HTTP 400 Bad Request: objectIdentity is required'):
        client.update_contact(GUID, {})


@pytest.mark.parametrize('status', [405, 501])
def test_unsupported_call(make_client, status):
    client, _session, _w, _s = make_client([response(status)])
    with pytest.raises(GroupIDError, match='does not support the call'):
        client.update_contact(GUID, {})


def test_not_json_body_is_a_clear_error(make_client):
    client, _session, _w, _s = make_client([response(200, raw='{"name": null, "sta')] * 4, retries=0)
    with pytest.raises(GroupIDError, match='not JSON'):
        client.update_contact(GUID, {})


def test_contact_not_an_object(make_client):
    client, _session, _w, _s = make_client([response(200, ['a'])])
    with pytest.raises(GroupIDError, match='instead of a contact object'):
        client.get_contact(GUID, [])


def test_reads_retry_on_503_honouring_retry_after(make_client):
    client, session, warnings, sleeps = make_client(
        [response(503, headers={'Retry-After': '2'}), response(429), response(200, contact_body({}))])
    client.get_contact(GUID, [])
    assert len(session.calls) == 3
    assert sleeps[0] >= 2
    assert len(warnings) == 2 and 'retry 1 of 3' in warnings[0] and 'HTTP 503' in warnings[0]


def test_reads_retry_on_connection_errors_then_give_up(make_client):
    error = requests.exceptions.ConnectionError('Connection aborted.')
    client, session, warnings, _s = make_client([error, error, error], retries=2)
    with pytest.raises(GroupIDError, match='dropped before an answer'):
        client.get_contact(GUID, [])
    assert len(session.calls) == 3
    assert len(warnings) == 2


def test_retries_give_up_with_the_last_status(make_client):
    client, session, _w, _s = make_client([response(503)] * 2, retries=1)
    with pytest.raises(GroupIDError, match='HTTP 503') as err:
        client.get_contact(GUID, [])
    assert err.value.transient
    assert len(session.calls) == 2


def test_retries_bounded_by_total_wait(make_client):
    client, session, _w, sleeps = make_client([response(503, headers={'Retry-After': '100'})] * 3)
    with pytest.raises(GroupIDError, match='HTTP 503'):
        client.get_contact(GUID, [])
    assert len(session.calls) == 1
    assert sleeps == []


def test_writes_are_never_retried_by_the_client(make_client):
    client, session, _w, _s = make_client([requests.exceptions.ReadTimeout('read timed out')])
    with pytest.raises(GroupIDError) as err:
        client.update_contact(GUID, {})
    assert err.value.transient and err.value.sent is None
    assert len(session.calls) == 1


def test_tls_failure_suggests_ca_path(make_client):
    client, _session, _w, _s = make_client([requests.exceptions.SSLError('CERTIFICATE_VERIFY_FAILED')])
    with pytest.raises(GroupIDError, match='set ca_path'):
        client.get_contact(GUID, [])


def test_connection_refused_and_name_resolution(make_client):
    refused = requests.exceptions.ConnectionError('[Errno 111] Connection refused')
    client, _session, _w, _s = make_client([refused], retries=0)
    with pytest.raises(GroupIDError, match='was refused; check url'):
        client.get_contact(GUID, [])
    unknown = requests.exceptions.ConnectionError('[Errno -2] Name or service not known')
    client, _session, _w, _s = make_client([unknown])
    with pytest.raises(GroupIDError, match='Cannot resolve the host name'):
        client.get_contact(GUID, [])


def test_timeout_message(make_client):
    client, _session, _w, _s = make_client([requests.exceptions.ConnectTimeout('x')], retries=0, timeout=5)
    with pytest.raises(GroupIDError, match='timed out after 5s'):
        client.get_contact(GUID, [])


def test_ca_path_is_used_for_verification(make_client):
    client, session, _w, _s = make_client([response(200, contact_body({}))], ca_path='/etc/ca.pem')
    client.get_contact(GUID, [])
    assert session.calls[0]['verify'] == '/etc/ca.pem'
    client, session, _w, _s = make_client([response(200, contact_body({}))], validate_certs=False)
    client.get_contact(GUID, [])
    assert session.calls[0]['verify'] is False


def test_other_5xx_is_an_error_with_status(make_client):
    client, _session, _w, _s = make_client([response(500, {'message': 'boom'})])
    with pytest.raises(GroupIDError, match='HTTP 500: boom'):
        client.update_contact(GUID, {})


def test_not_found_error_type(make_client):
    client, _session, _w, _s = make_client([response(404)])
    with pytest.raises(NotFoundError):
        client.update_contact(GUID, {})


def test_contact_attributes_reads_collection():
    body = contact_body({'mail': ['a'], 'proxyAddresses': ['SMTP:a', 'smtp:b'], 'title': []})
    assert contact_attributes(body) == {'mail': ['a'], 'proxyAddresses': ['SMTP:a', 'smtp:b'], 'title': []}
    assert contact_attributes({}) == {}
    assert contact_attributes(None) == {}


def test_reads_retry_a_body_that_is_not_json(make_client):
    client, session, warnings, _s = make_client([response(200, raw='{"trunc'), response(200, contact_body({}))])
    assert client.get_contact(GUID, []) is not None
    assert len(session.calls) == 2
    assert 'not JSON' in warnings[0]


def test_token_request_retries_on_503(make_client):
    client, session, warnings, _s = make_client([response(503), token_response('t')], **CREDS)
    client.login()
    assert client.access_token == 't'
    assert len(session.calls) == 2 and 'token request: retry 1 of 3' in warnings[0]


def test_401_then_503_then_success_with_credentials(make_client):
    client, session, _w, _s = make_client(
        [token_response('a'), response(401), token_response('b'), response(503), response(200, contact_body({}))],
        **CREDS)
    client.get_contact(GUID, [])
    assert [c['method'] for c in session.calls] == ['POST', 'GET', 'POST', 'GET', 'GET']
