"""Finer points: method and authentication order, validation, logging, persistence of tokens."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading

import requests

from conftest import C1, C2, CLIENT_SECRET, PASSWORD, SEED, SMITH, Api
from groupid_sim.server import start_simulator

BASE = '/GroupIDDataService/api/IdentityStores/2/Contacts'


def test_wrong_method_is_405_even_without_a_token(api):
    for method, path in (('PUT', ''), ('POST', '/' + C1), ('PATCH', '/' + C1)):
        response = api.session.request(method, api.url + BASE + path, json={})
        assert response.status_code == 405, (method, path)
    assert api.session.head(api.url + BASE).status_code == 405
    assert api.session.put(api.url + '/GroupIDSecurityService/connect/token').status_code == 405


def test_unknown_store_with_a_valid_token_is_404(api):
    assert api.data('GET', '/' + C1, [], store=99).status_code == 404
    assert api.data('GET', '/' + C1, [], store='abc').status_code == 404


def test_no_authorization_header_is_401(api):
    response = api.session.get(api.url + BASE + '/' + C1, json=[])
    assert response.status_code == 401 and response.content == b''
    assert response.headers['WWW-Authenticate'] == 'Bearer error="invalid_token"'


def test_token_form_keys_in_any_casing(api):
    form = {'GRANT_TYPE': 'PASSWORD', 'UserName': 'groupid\\SVC_ANSIBLE', 'Password': PASSWORD,
            'CLIENT_ID': 'ansible-demo', 'Client_Secret': CLIENT_SECRET, 'Identity_Store_Id': '2'}
    response = api.session.post(api.url + '/GroupIDSecurityService/connect/token', data=form)
    assert response.status_code == 200
    assert response.headers['Cache-Control'].startswith('no-store')


def test_action_given_as_a_string_and_bad_entries(api):
    body = api.patch(C1, {'title': [{'Value': 'T', 'Action': '0'}], 'company': ['not an object'],
                          'department': [{'Value': 'x', 'Action': True}]}).json()
    statuses = dict((d['name'], d['status']) for d in body['details'])
    assert statuses == {'title': 0, 'company': 2, 'department': 2}
    assert api.contact(C1)['attributes']['title'] == ['T']


def test_values_are_strings_and_add_then_remove_in_one_request(api):
    api.patch(C1, {'extensionAttribute2': [{'Value': 42, 'Action': 0}],
                   'otherTelephone': [{'Value': '1', 'Action': 1}, {'Value': '2', 'Action': 1},
                                      {'Value': '1', 'Action': 2}, {'Value': 'absent', 'Action': 2}]})
    attributes = api.contact(C1)['attributes']
    assert attributes['extensionAttribute2'] == ['42'] and attributes['otherTelephone'] == ['2']


def test_replace_then_add_in_one_request_and_clear_removes_the_attribute(api):
    api.patch(SMITH, {'otherTelephone': [{'Value': 'a', 'Action': 0}, {'Value': 'b', 'Action': 1}]})
    assert api.contact(SMITH)['attributes']['otherTelephone'] == ['a', 'b']
    api.patch(SMITH, {'otherTelephone': [{'Value': None, 'Action': 3}]})
    assert 'otherTelephone' not in api.contact(SMITH)['attributes']
    collection = api.data('GET', '/' + SMITH, ['otherTelephone']).json()['attributesBusinessObject']
    assert collection['attributesCollection']['otherTelephone'] == []


def test_update_of_an_unknown_contact_does_not_use_up_the_approval_fault(api):
    api.fault(kind='approval')
    assert api.patch('00000000-0000-0000-0000-000000000000', {'title': []}).status_code == 404
    assert api.patch(C1, {'title': [{'Value': 'x', 'Action': 0}]}).json()['status'] == 3


def test_patch_validation(api):
    assert api.data('PATCH', '', {'objectIdentity': '', 'attributesToUpdate': {'AttributesCollection': {}}}).status_code == 400
    assert api.data('PATCH', '', {'objectIdentity': C1, 'attributesToUpdate': {'AttributesCollection': []}}).status_code == 400
    assert api.data('PATCH', '', [C1]).status_code == 400
    response = api.data('PATCH', '', raw=b'not json')
    assert response.status_code == 400 and response.json()['message']


def test_get_many_validation_and_duplicates(api):
    assert api.data('GET', '').status_code == 400
    assert api.data('GET', '', {'userIdentities': [C1], 'attributesToLoad': [1]}).status_code == 400
    body = api.data('GET', '', {'userIdentities': [C1, '{%s}' % C1.upper()], 'attributesToLoad': []}).json()
    assert len(body) == 1


def test_create_details(api):
    body = {'Container': 'OU=API,DC=groupid,DC=lab', 'Attributes': {'AttributesCollection': {
        'cn': [{'Value': 'Lower Case', 'Action': 0}], 'objectClass': [{'Value': 'Contact', 'Action': 0}],
        'container': [{'value': 'OU=Elsewhere,DC=groupid,DC=lab', 'action': 0}],
        'proxyAddresses': [{'value': 'SMTP:a@x', 'action': 0}, {'value': 'smtp:b@x', 'action': 0}]}}}
    created = api.data('POST', '', body).json()
    assert created['status'] == 0
    contact = api.contact(created['data'])
    assert contact['dn'] == 'CN=Lower Case,OU=API,DC=groupid,DC=lab' and 'container' not in contact['attributes']
    assert contact['attributes']['proxyAddresses'] == ['SMTP:a@x', 'smtp:b@x']
    assert contact['attributes']['name'] == ['Lower Case']
    comma = api.data('POST', '', {'container': 'OU=API,DC=groupid,DC=lab', 'attributes': {'attributesCollection': {
        'CN': [{'value': 'Doe, Jane', 'action': 0}]}}}).json()
    assert api.contact(comma['data'])['dn'] == 'CN=Doe\\, Jane,OU=API,DC=groupid,DC=lab'
    assert api.contact('cn=doe\\2c jane, ou=api, dc=groupid, dc=lab')['object_id'] == comma['data']


def test_create_refusals_in_detail(api):
    def create(collection, container='OU=API,DC=groupid,DC=lab'):
        return api.data('POST', '', {'container': container, 'attributes': {'attributesCollection': collection}})
    assert create({'CN': [{'value': 'x', 'action': 0}]}, container=None).status_code == 400
    assert create({'CN': [{'value': 'x', 'action': 0}]}, container='not a dn').status_code == 400
    assert create({'CN': [{'value': '', 'action': 0}]}).status_code == 400
    two_mails = [{'value': 'a', 'action': 0}, {'value': 'b', 'action': 0}]
    assert create({'CN': [{'value': 'x', 'action': 0}], 'mail': two_mails}).status_code == 400
    assert api.data('POST', '', raw=b'{').status_code == 400
    assert api.data('POST', '', {'container': 'OU=API,DC=groupid,DC=lab', 'attributes': {'attributesCollection': []}}).status_code == 400
    assert len(api.admin('GET', '/state').json()['identity_stores']['2']) == 6


def test_create_in_store_three_and_isolation(api):
    token3 = api.token_response(identity_store_id='3').json()['access_token']
    body = {'container': 'OU=API,DC=groupid,DC=lab', 'attributes': {'attributesCollection': {
        'CN': [{'value': 'Demo Contact1', 'action': 0}]}}}
    created = api.data('POST', '', body, store=3, token=token3).json()
    assert created['status'] == 0                                  # the same DN exists only in store 2
    assert api.contact(created['data'], store=3) is not None and api.contact(created['data']) is None
    assert api.data('DELETE', '/' + created['data'], token=token3, store=3).json()['status'] == 0


def test_delete_many_validation_and_order(api):
    assert api.data('DELETE', '', {'not': 'a list'}).status_code == 400
    body = api.data('DELETE', '', ['missing', C1, C1, 'CN=Demo Contact2,OU=API,DC=groupid,DC=lab']).json()
    assert [d['status'] for d in body['details']] == [2, 0, 2, 0] and body['status'] == 2
    assert api.contact(C2) is None
    assert api.data('DELETE', '', []).json() == api.data('DELETE', '', []).json()


def test_fault_validation(api):
    for fault in ({'kind': 'status'}, {'kind': 'status', 'status': 42}, {'kind': 'latency'},
                  {'kind': 'drop', 'when': 'during'}, {'kind': 'status', 'status': 503, 'count': 0},
                  {'kind': 'status', 'status': 503, 'methods': 'GET'}, {'kind': 'attribute_failure'}, ['x']):
        assert api.admin('POST', '/faults', fault).status_code == 400, fault


def test_faults_consumed_in_order_and_one_per_kind(api):
    assert api.token
    api.fault(kind='status', status=503)
    api.fault(kind='status', status=502)
    assert [api.data('GET', '/' + C1, []).status_code for _attempt in range(3)] == [503, 502, 200]


def test_status_faults_of_the_token_endpoint_and_403_body(api):
    api.fault(kind='status', status=403, path_contains='GroupIDDataService')
    assert api.token_response().status_code == 200
    response = api.data('GET', '/' + C1, [])
    assert response.status_code == 403 and 'Forbidden' in response.json()['message']
    api.fault(kind='status', status=504, path_contains='connect/token')
    assert api.token_response().status_code == 504


def test_log_statuses_for_faults(api):
    assert api.token
    api.fault(kind='malformed')
    api.data('GET', '/' + C1, [])
    api.fault(kind='status', status=429, retry_after=1)
    api.data('GET', '/' + C1, [])
    statuses = [(e['method'], e['status']) for e in api.log()]
    assert statuses == [('POST', 200), ('GET', 200), ('GET', 429)]


def test_log_redacts_secrets_in_json_bodies_and_queries(api):
    api.session.post(api.url + BASE + '?password=hunter2', json={'Password': 'hunter2', 'nested': [{'client_secret': 's3'}]})
    entry = api.log()[-1]
    assert 'hunter2' not in json.dumps(entry) and 's3' not in json.dumps(entry)
    assert entry['body']['Password'] == '********' and entry['query'] == 'password=********'
    assert entry['status'] == 401 and entry['bearer'] is False


def test_access_log_never_shows_secrets(capfd):
    sim = start_simulator(SEED, quiet=False)
    try:
        api = Api(sim)
        token = api.token
        api.data('GET', '/' + C1 + '?x=1', ['mail'])
        api.session.get(sim.url + '/GroupIDSecurityService/connect/token?password=' + PASSWORD)
        captured = capfd.readouterr()
        assert 'connect/token' in captured.err                       # the access log is on
        text = captured.out + captured.err + json.dumps(api.log())
        for secret in (PASSWORD, CLIENT_SECRET, token):
            assert secret not in text
    finally:
        sim.stop()


def test_tokens_survive_a_restart_with_a_state_file(tmp_path):
    state_file = tmp_path / 'state.json'
    first = start_simulator(SEED, state_file=str(state_file))
    try:
        api = Api(first)
        token = api.token
    finally:
        first.stop()
    assert token not in state_file.read_text() and PASSWORD not in state_file.read_text()
    second = start_simulator(SEED, state_file=str(state_file))
    try:
        assert Api(second).data('GET', '/' + C1, [], token=token).status_code == 200
    finally:
        second.stop()


def test_json_seed_and_admin_details(tmp_path):
    seed = {'clients': [{'client_id': 'c', 'client_secret': 's'}], 'users': [{'username': 'u', 'password': 'p'}],
            'identity_stores': [{'id': 7, 'contacts': [{'object_id': C1.upper(), 'container': 'OU=X,DC=y',
                                                        'attributes': {'CN': ['Only']}}]}]}
    path = tmp_path / 'seed.json'
    path.write_text(json.dumps(seed))
    with start_simulator(str(path), token_lifetime=5) as sim:
        response = requests.post(sim.url + '/GroupIDSecurityService/connect/token', timeout=5, data={
            'grant_type': 'password', 'username': 'u', 'password': 'p', 'client_id': 'c', 'client_secret': 's',
            'identity_store_id': '7'})
        assert response.json()['expires_in'] == 5
        contact = requests.get(sim.admin_url + '/contacts/7/' + requests.utils.quote('CN=Only,OU=X,DC=y', safe=''),
                               timeout=5).json()
        assert contact['object_id'] == C1 and contact['attributes']['objectClass'] == ['contact']
        assert requests.get(sim.admin_url + '/contacts/x/y', timeout=5).status_code == 404
        assert requests.get(sim.admin_url + '/reset', timeout=5).status_code == 405
        assert requests.post(sim.admin_url + '/config', json={'token_lifetime': 'x'}, timeout=5).status_code == 400
        assert requests.get(sim.admin_url + '/config', timeout=5).json() == {'token_lifetime': 5}
        assert sim.state.token_lifetime == 5


def test_reset_restores_the_initial_token_lifetime(api):
    api.admin('POST', '/config', {'token_lifetime': 7})
    assert api.token_response().json()['expires_in'] == 7
    api.admin('POST', '/reset', {})
    assert api.token_response().json()['expires_in'] == 1200


def test_non_ascii_dn_and_sigint_on_the_command_line(api, tmp_path):
    dn = 'CN=Jörg Müller,OU=Partners,DC=groupid,DC=lab'
    response = api.data('GET', '/' + requests.utils.quote(dn, safe=''), ['l'])
    assert response.json()['attributesBusinessObject']['attributesCollection']['l'][0]['value'] == 'München'
    process = subprocess.Popen([sys.executable, '-m', 'groupid_sim', '--quiet'], stdout=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        assert requests.get(url + '/_simulator/state', timeout=5).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(10) == 0
    assert url.startswith('http://127.0.0.1:') and process.stdout.read() == ''
    process.stdout.close()


def test_drop_after_loses_an_error_answer_too(api):
    assert api.token
    api.fault(kind='drop', when='after', methods=['PATCH'])
    try:
        api.patch('00000000-0000-0000-0000-000000000000', {'title': []})
        raise AssertionError('the connection was not dropped')
    except requests.exceptions.ConnectionError:
        pass
    assert api.log()[-1]['status'] is None and api.admin('GET', '/faults').json()['faults'] == []


def test_object_guid_and_distinguished_name_are_readable(api):
    collection = api.data('GET', '/' + C1, ['objectGUID', 'distinguishedName']).json()[
        'attributesBusinessObject']['attributesCollection']
    assert collection['objectGUID'][0]['value'] == C1
    assert collection['distinguishedName'][0]['value'] == 'CN=Demo Contact1,OU=API,DC=groupid,DC=lab'


def test_object_identity_by_dn_with_an_escaped_comma(api):
    body = api.patch('cn=SMITH\\, JOHN, ou=Partners, dc=groupid, dc=lab', {'title': [{'Value': 'Partner', 'Action': 0}]})
    assert body.json()['status'] == 0
    assert api.contact(SMITH)['attributes']['title'] == ['Partner']


def test_concurrent_adds_are_all_applied(sim):
    def add(number):
        client = Api(sim)
        for index in range(5):
            value = 'v%d-%d' % (number, index)
            assert client.patch(C1, {'otherMailbox': [{'Value': value, 'Action': 1}]}).json()['status'] == 0
    threads = [threading.Thread(target=add, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert len(Api(sim).contact(C1)['attributes']['otherMailbox']) == 30


def test_reset_clears_pending_approvals(api):
    api.fault(kind='approval', count=None)
    api.patch(C1, {'title': [{'Value': 'a', 'Action': 0}]})
    api.patch(C2, {'title': [{'Value': 'b', 'Action': 0}]})
    pending = api.admin('GET', '/state').json()['pending_approvals']
    assert [p['object_id'] for p in pending] == [C1, C2]
    assert pending[0]['attributes'] == {'title': [{'Value': 'a', 'Action': 0}]}
    api.admin('POST', '/reset')
    assert api.admin('GET', '/state').json()['pending_approvals'] == []
