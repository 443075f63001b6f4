"""The simulator over real HTTP: every endpoint, error and fault."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
import requests

from groupid_sim.server import start_simulator

from conftest import C1, C2, CLIENT_SECRET, PASSWORD, SEED, SMITH, Api


def values(api, identity, name):
    return api.contact(identity)['attributes'].get(name, [])


# -- Security Service --------------------------------------------------------------------------------

def test_token_grant_documented_shape(api):
    response = api.token_response()
    body = response.json()
    assert response.status_code == 200
    assert set(body) == {'access_token', 'refresh_token', 'scope', 'token_type', 'expires_in'}
    assert body['token_type'] == 'Bearer' and body['expires_in'] == 1200
    assert body['scope'] == 'directorymanager.api groupid_identity offline_access openid profile'


def test_token_accepts_client_id_spellings_and_grant_case(api):
    assert api.token_response(client_Id=None, client_id='ansible-demo').status_code == 200
    assert api.token_response(grant_type='Password').status_code == 200


@pytest.mark.parametrize('override, error', [
    ({'client_secret': 'wrong'}, 'invalid_client'),
    ({'client_Id': 'nobody'}, 'invalid_client'),
    ({'password': 'wrong'}, 'invalid_grant'),
    ({'username': 'nobody'}, 'invalid_grant'),
    ({'identity_store_id': '99'}, 'invalid_grant'),
    ({'grant_type': 'client_credentials'}, 'unsupported_grant_type'),
])
def test_token_refusals(api, override, error):
    response = api.token_response(**override)
    assert response.status_code == 400
    assert response.json()['error'] == error


def test_missing_unknown_expired_and_cross_store_tokens_get_401(api):
    for token in ('', 'unknown-token'):
        response = api.data('GET', '/' + C1, [], token=token or 'x')
        assert response.status_code == 401
        assert response.headers['WWW-Authenticate'].startswith('Bearer error="invalid_token"')
        assert response.content == b''
    assert api.data('GET', '', {'userIdentities': [], 'attributesToLoad': []}, store=3).status_code == 401
    assert api.fault(kind='expire_tokens')['expired'] >= 1
    response = api.data('GET', '/' + C1, [])
    assert response.status_code == 401 and 'expired' in response.headers['WWW-Authenticate']


def test_token_lifetime_is_configurable(sim):
    api = Api(sim)
    api.admin('POST', '/config', {'token_lifetime': 1})
    token = api.token_response().json()
    assert token['expires_in'] == 1
    time.sleep(1.2)
    assert api.data('GET', '/' + C1, [], token=token['access_token']).status_code == 401


# -- Get one / Get many ---------------------------------------------------------------------------------

def test_get_contact_documented_shape(api):
    body = api.data('GET', '/' + C1, ['displayName', 'title']).json()
    assert body['objectIdFromIdentityStore'] == C1
    assert body['identityStoreId'] == 2 and body['objectType'] == 'contact'
    assert body['displayName'] == 'Contact1,Demo' and body['department'] is None
    collection = body['attributesBusinessObject']['attributesCollection']
    assert list(collection) == ['displayName', 'title', 'objectCategory', 'CN', 'container', 'objectClass', 'name']
    assert collection['title'] == [] and collection['objectCategory'] == []
    entry = collection['displayName'][0]
    assert entry == {'identityStoreId': 0, 'value': 'Contact1,Demo', 'dn': None, 'action': 0, 'attributeCollection': {},
                     'nestedAttributes': {'attributesCollection': {}, 'filePermissionCollection': {}, 'type': None}}
    assert collection['container'][0]['value'] == 'OU=API,DC=groupid,DC=lab'


def test_get_echoes_requested_casing_and_defaults_without_body(api):
    body = api.data('GET', '/' + C1, ['DISPLAYNAME']).json()
    assert body['attributesBusinessObject']['attributesCollection']['DISPLAYNAME'][0]['value'] == 'Contact1,Demo'
    plain = api.data('GET', '/' + C1, raw=b'').json()
    assert list(plain['attributesBusinessObject']['attributesCollection']) == [
        'objectCategory', 'CN', 'container', 'objectClass', 'name']


@pytest.mark.parametrize('identity', [C1.upper(), '{%s}' % C1, 'CN=Demo Contact1,OU=API,DC=groupid,DC=lab',
                                      'cn=demo contact1, ou=api,dc=GROUPID,dc=lab'])
def test_identity_forms(api, identity):
    response = api.data('GET', '/' + requests.utils.quote(identity, safe=''), ['mail'])
    assert response.status_code == 200
    assert response.json()['objectIdFromIdentityStore'] == C1


def test_dn_with_escaped_comma(api):
    for dn in ('CN=Smith\\, John,OU=Partners,DC=groupid,DC=lab', 'CN=Smith\\2C John,OU=Partners,DC=groupid,DC=lab'):
        response = api.data('GET', '/' + requests.utils.quote(dn, safe=''), [])
        assert response.json()['objectIdFromIdentityStore'] == SMITH
    assert api.contact(SMITH)['dn'] == 'CN=Smith\\, John,OU=Partners,DC=groupid,DC=lab'


def test_unknown_contact_other_store_and_bad_bodies(api):
    assert api.data('GET', '/00000000-0000-0000-0000-000000000000', []).status_code == 404
    token3 = api.token_response(identity_store_id='3').json()['access_token']
    assert api.data('GET', '/' + C1, [], store=3, token=token3).status_code == 404
    assert api.data('GET', '/' + C1, {'not': 'a list'}).status_code == 400
    response = api.data('GET', '/' + C1, raw=b'[not json')
    assert response.status_code == 400 and 'not valid JSON' in response.json()['message']


def test_get_many_omits_unknown(api):
    body = api.data('GET', '', {'userIdentities': [C1, 'nope', C2.upper()], 'attributesToLoad': ['mail']}).json()
    assert [c['objectIdFromIdentityStore'] for c in body] == [C1, C2]
    body = api.data('GET', '', {'useridentities': [C2], 'AttributesToLoad': ['department']}).json()
    assert body[0]['attributesBusinessObject']['attributesCollection']['department'][0]['value'] == 'Sales'
    assert api.data('GET', '', {'userIdentities': 'x'}).status_code == 400


# -- Update -----------------------------------------------------------------------------------------------

def test_update_documented_sample(api):
    response = api.patch(C1, {'department': [{'Value': 'Operation', 'Action': 0}],
                              'company': [{'Value': 'Imanami - Now part of Netwrix', 'Action': 0}]})
    body = response.json()
    assert response.status_code == 200 and body['status'] == 0 and body['data'] == ''
    assert [(d['name'], d['type'], d['status']) for d in body['details']] == [('department', 8, 0), ('company', 8, 0)]
    assert set(body) == {'name', 'type', 'status', 'message', 'data', 'identityStoreObject', 'details',
                         'currentDirectoryServer', 'errorCode', 'exceptionMessagesAttributeWise', 'isResyncAble'}
    assert values(api, C1, 'department') == ['Operation']


def test_update_key_casing_is_free(api):
    response = api.data('PATCH', '', {'ObjectIdentity': C1, 'AttributesToUpdate': {
        'attributesCollection': {'title': [{'value': 'Boss', 'action': 0}]}}})
    assert response.json()['status'] == 0
    assert values(api, C1, 'title') == ['Boss']


def test_action_semantics(api):
    api.patch(C1, {'proxyAddresses': [{'Value': 'smtp:new@x', 'Action': 1}, {'Value': 'smtp:c1@groupid.lab', 'Action': 2}]})
    assert values(api, C1, 'proxyAddresses') == ['SMTP:contact1@groupid.lab', 'smtp:new@x']
    api.patch(C1, {'proxyAddresses': [{'Value': 'smtp:new@x', 'Action': 1}]})          # no duplicate
    assert values(api, C1, 'proxyAddresses') == ['SMTP:contact1@groupid.lab', 'smtp:new@x']
    api.patch(C1, {'proxyAddresses': [{'Value': 'SMTP:a@x', 'Action': 3}, {'Value': 'smtp:b@x', 'Action': 0}]})
    assert values(api, C1, 'proxyAddresses') == ['SMTP:a@x', 'smtp:b@x']
    api.patch(C1, {'proxyAddresses': [{'Value': 'SMTP:A@X', 'Action': 2}]})            # exact compare
    assert values(api, C1, 'proxyAddresses') == ['SMTP:a@x', 'smtp:b@x']
    api.patch(C1, {'proxyAddresses': [{'Value': '', 'Action': 0}]})                    # clear
    assert values(api, C1, 'proxyAddresses') == []
    api.patch(C1, {'mail': [{'Value': 'other@x', 'Action': 1}]})                        # single-valued add replaces
    assert values(api, C1, 'mail') == ['other@x']


def test_names_case_insensitive_and_case_preserving(api):
    api.patch(C1, {'MAIL': [{'Value': 'm@x', 'Action': 0}], 'newAttr': [{'Value': 'v', 'Action': 0}]})
    attributes = api.contact(C1)['attributes']
    assert attributes['mail'] == ['m@x'] and 'MAIL' not in attributes
    assert attributes['newAttr'] == ['v']


def test_read_only_and_bad_entries_fail_per_attribute(api):
    body = api.patch(C1, {'CN': [{'Value': 'x', 'Action': 0}], 'objectClass': [{'Value': 'user', 'Action': 0}],
                          'title': [{'Value': 'ok', 'Action': 0}], 'department': [{'Value': 'x', 'Action': 9}],
                          'displayName': [{'Value': 'a', 'Action': 0}, {'Value': 'b', 'Action': 0}]}).json()
    statuses = dict((d['name'], (d['status'], d['message'])) for d in body['details'])
    assert body['status'] == 2
    assert statuses['CN'][0] == 2 and 'read-only' in statuses['CN'][1]
    assert statuses['objectClass'][0] == 2
    assert statuses['title'] == (0, None)
    assert statuses['department'][0] == 2 and 'unknown action' in statuses['department'][1]
    assert statuses['displayName'][0] == 2 and 'single-valued' in statuses['displayName'][1]
    assert values(api, C1, 'title') == ['ok'] and values(api, C1, 'CN') == ['Demo Contact1']


def test_update_errors(api):
    assert api.patch('00000000-0000-0000-0000-000000000000', {'title': []}).status_code == 404
    assert api.data('PATCH', '', {'objectIdentity': C1}).status_code == 400
    assert api.data('PATCH', '', raw=b'{').status_code == 400
    assert api.data('PUT', '', {}).status_code == 405


# -- Create / delete -------------------------------------------------------------------------------------------

def create_body(cn, container='OU=API,DC=groupid,DC=lab', **attributes):
    collection = {'CN': [{'value': cn, 'action': 0}], 'objectClass': [{'value': 'contact', 'action': 0}]}
    for name, value in attributes.items():
        collection[name] = [{'value': value, 'action': 0}]
    return {'container': container, 'attributes': {'attributesCollection': collection}}


def test_create_documented_shape_and_duplicate(api):
    body = api.data('POST', '', create_body('Demo Contact 4', mail='d4@x')).json()
    assert body['status'] == 0 and body['currentDirectoryServer'] == 'dc.groupid.lab'
    created = api.contact(body['data'])
    assert created['dn'] == 'CN=Demo Contact 4,OU=API,DC=groupid,DC=lab'
    assert created['attributes']['mail'] == ['d4@x'] and created['attributes']['objectClass'] == ['contact']
    duplicate = api.data('POST', '', create_body('demo contact 4')).json()
    assert duplicate['status'] == 2 and 'already exists' in duplicate['message']


def test_create_refusals(api):
    assert api.data('POST', '', {'container': 'OU=API,DC=groupid,DC=lab', 'attributes': {'attributesCollection': {}}}).status_code == 400
    body = create_body('X')
    body['attributes']['attributesCollection']['objectClass'] = [{'value': 'user', 'action': 0}]
    assert api.data('POST', '', body).status_code == 400


def test_delete_one_and_many(api):
    assert api.data('DELETE', '/' + C1).json()['status'] == 0
    assert api.contact(C1) is None
    assert api.data('DELETE', '/' + C1).status_code == 404
    body = api.data('DELETE', '', [C2, 'missing']).json()
    assert body['status'] == 2
    assert [d['status'] for d in body['details']] == [0, 2]
    assert api.contact(C2) is None


# -- Faults ---------------------------------------------------------------------------------------------------------

def test_status_fault_with_retry_after_is_not_applied(api):
    api.fault(kind='status', status=503, retry_after=2, methods=['PATCH'])
    response = api.patch(C1, {'title': [{'Value': 'x', 'Action': 0}]})
    assert response.status_code == 503 and response.headers['Retry-After'] == '2'
    assert values(api, C1, 'title') == []
    assert api.patch(C1, {'title': [{'Value': 'x', 'Action': 0}]}).status_code == 200


def test_status_fault_count_and_path_filter(api):
    api.fault(kind='status', status=429, count=2, path_contains='/Contacts/')
    assert api.data('GET', '', {'userIdentities': [], 'attributesToLoad': []}).status_code == 200
    assert [api.data('GET', '/' + C1, []).status_code for _attempt in range(3)] == [429, 429, 200]


def test_latency_fault(api):
    api.fault(kind='latency', seconds=0.4)
    start = time.time()
    api.data('GET', '/' + C1, [])
    assert time.time() - start >= 0.4


@pytest.mark.parametrize('when, applied', [('before', False), ('after', True)])
def test_drop_fault(api, when, applied):
    api.fault(kind='drop', when=when, methods=['PATCH'])
    with pytest.raises(requests.exceptions.ConnectionError):
        api.patch(C1, {'title': [{'Value': 'dropped', 'Action': 0}]})
    assert (values(api, C1, 'title') == ['dropped']) is applied
    assert api.log()[-1]['status'] is None


def test_malformed_fault_applies_but_answers_garbage(api):
    api.fault(kind='malformed', methods=['PATCH'])
    response = api.patch(C1, {'title': [{'Value': 'm', 'Action': 0}]})
    assert response.status_code == 200
    with pytest.raises(ValueError):
        json.loads(response.text)
    assert values(api, C1, 'title') == ['m']


def test_attribute_failure_fault(api):
    api.fault(kind='attribute_failure', attributes=['mail'], status=2, message='Constraint violation')
    body = api.patch(C1, {'mail': [{'Value': 'x@x', 'Action': 0}], 'title': [{'Value': 't', 'Action': 0}]}).json()
    assert body['status'] == 2
    assert [(d['name'], d['status'], d['message']) for d in body['details']] == [
        ('mail', 2, 'Constraint violation'), ('title', 0, None)]
    assert values(api, C1, 'mail') == ['contact1@groupid.lab'] and values(api, C1, 'title') == ['t']


def test_approval_fault(api):
    api.fault(kind='approval')
    body = api.patch(C1, {'title': [{'Value': 'pending', 'Action': 0}]}).json()
    assert body['status'] == 3 and 'approval' in body['message']
    assert body['details'][0]['status'] == 3
    assert values(api, C1, 'title') == []
    assert api.admin('GET', '/state').json()['pending_approvals'][0]['object_id'] == C1


def test_approve_applies_the_held_update_and_reject_drops_it(api):
    api.fault(kind='approval', count=2)
    api.patch(C1, {'title': [{'Value': 'approved', 'Action': 0}]})
    api.patch(C2, {'title': [{'Value': 'rejected', 'Action': 0}]})
    held = api.admin('GET', '/state').json()['pending_approvals']
    assert [(a['id'], a['object_id']) for a in held] == [(1, C1), (2, C2)]

    answer = api.admin('POST', '/approvals/1/approve')
    assert answer.status_code == 200
    assert answer.json()['result']['status'] == 0 and answer.json()['result']['details'][0]['status'] == 0
    assert values(api, C1, 'title') == ['approved']
    assert api.admin('POST', '/approvals/2/reject').json() == {'approval': 2, 'decision': 'reject', 'result': None}
    assert values(api, C2, 'title') == []
    assert api.admin('GET', '/state').json()['pending_approvals'] == []
    assert [r['method'] for r in api.log()].count('PATCH') == 2     # decisions are admin calls, not logged


def test_approval_decision_errors(api):
    assert api.admin('POST', '/approvals/7/approve').status_code == 404
    assert api.admin('GET', '/approvals/7/approve').status_code == 405
    assert api.admin('POST', '/approvals/x/approve').status_code == 404
    api.fault(kind='approval')
    api.patch(C1, {'title': [{'Value': 'x', 'Action': 0}]})
    assert api.admin('POST', '/approvals/1/reject').status_code == 200
    assert api.admin('POST', '/approvals/1/approve').status_code == 404     # decided once
    api.fault(kind='approval')
    api.patch(C1, {'title': [{'Value': 'y', 'Action': 0}]})
    assert [a['id'] for a in api.admin('GET', '/state').json()['pending_approvals']] == [2]   # ids never reused


def test_fault_admin(api):
    assert api.admin('POST', '/faults', {'kind': 'nonsense'}).status_code == 400
    assert api.token
    api.fault(kind='status', status=500, count=None)
    assert len(api.admin('GET', '/faults').json()['faults']) == 1
    assert api.data('GET', '/' + C1, []).status_code == 500
    assert api.data('GET', '/' + C1, []).status_code == 500
    api.admin('DELETE', '/faults')
    assert api.data('GET', '/' + C1, []).status_code == 200


# -- State, log, admin --------------------------------------------------------------------------------------------------

def test_reset_restores_seed_and_clears_log_and_faults(api):
    api.patch(C1, {'title': [{'Value': 'x', 'Action': 0}]})
    api.fault(kind='status', status=503)
    api.admin('POST', '/reset')
    assert values(api, C1, 'title') == []
    assert api.log() == [] and api.admin('GET', '/faults').json()['faults'] == []
    assert api.data('GET', '/' + C1, []).status_code == 200     # the token survived the reset


def test_request_log_never_holds_secrets(sim, capfd):
    api = Api(sim)
    token = api.token
    api.data('GET', '/' + C1, ['mail'])
    api.patch(C1, {'title': [{'Value': 't', 'Action': 0}]})
    log = api.log()
    assert [e['method'] for e in log] == ['POST', 'GET', 'PATCH']
    assert log[0]['body']['password'] == '********' and log[0]['body']['client_secret'] == '********'
    assert log[1]['bearer'] is True and log[0]['bearer'] is False
    assert log[1]['body'] == ['mail'] and log[2]['body']['objectIdentity'] == C1
    assert all(e['status'] == 200 for e in log)
    text = json.dumps(log) + ''.join(capfd.readouterr())
    for secret in (PASSWORD, CLIENT_SECRET, token):
        assert secret not in text
    api.admin('DELETE', '/requests')
    assert api.log() == []


def test_admin_state_and_unknown_admin_call(api):
    state = api.admin('GET', '/state').json()
    assert C1 in [c['object_id'] for c in state['identity_stores']['2']]
    assert state['identity_stores']['3'] == []
    assert api.admin('GET', '/nothing').status_code == 404
    assert api.contact('00000000-0000-0000-0000-000000000000') is None


def test_unknown_paths(api):
    assert api.session.get(api.url + '/GroupIDDataService/api/Nothing').status_code == 404
    assert api.session.get(api.url + '/GroupIDSecurityService/connect/token').status_code == 405


def test_state_file_survives_a_restart(tmp_path):
    state_file = str(tmp_path / 'state.json')
    first = start_simulator(SEED, state_file=state_file)
    try:
        Api(first).patch(C1, {'title': [{'Value': 'persisted', 'Action': 0}]})
    finally:
        first.stop()
    second = start_simulator(SEED, state_file=state_file)
    try:
        assert Api(second).contact(C1)['attributes']['title'] == ['persisted']
    finally:
        second.stop()


def test_tls_needs_the_ca(tmp_path):
    secure = start_simulator(SEED, tls=True, cert_dir=str(tmp_path))
    try:
        assert secure.url.startswith('https://')
        assert Api(secure).token_response().status_code == 200
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(secure.url + '/_simulator/state', verify=True, timeout=5)
    finally:
        secure.stop()


def test_command_line_prints_url_and_writes_ready_file(tmp_path):
    ready = tmp_path / 'ready.json'
    process = subprocess.Popen([sys.executable, '-m', 'groupid_sim', '--port', '0', '--ready-file', str(ready),
                                '--quiet', '--tls', '--cert-dir', str(tmp_path / 'certs')],
                               stdout=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith('https://127.0.0.1:')
        for _attempt in range(50):
            if ready.exists():
                break
            time.sleep(0.1)
        info = json.loads(ready.read_text())
        assert info['url'] == url and info['admin_url'] == url + '/_simulator'
        assert requests.get(info['admin_url'] + '/state', verify=info['ca_path'], timeout=5).status_code == 200
    finally:
        process.terminate()
        assert process.wait(10) == 0


def test_host_must_be_loopback():
    result = subprocess.run([sys.executable, '-m', 'groupid_sim', '--host', '0.0.0.0'], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 2 and 'loopback' in result.stderr
