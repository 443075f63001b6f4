# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""groupid_contact end to end inside one process, with a scripted transport."""

from __future__ import annotations

import pytest

from ansible_collections.groupid.groupid.plugins.modules import groupid_contact
from ansible_collections.groupid.groupid.tests.unit.plugins.helpers import (
    BASE,
    DATA,
    GUID,
    TOKEN_URL,
    contact_body,
    envelope,
    response,
    run_module,
    token_response,
    warning_texts,
)

CONN = {'url': BASE, 'identity_store_id': 2, 'access_token': 'tok-secret-123'}
CREDS = {'url': BASE, 'identity_store_id': 2, 'username': 'DOM\\svc', 'password': 'pw-secret-456',
         'client_id': 'cid', 'client_secret': 'cs-secret-789'}
SECRETS = ('tok-secret-123', 'pw-secret-456', 'cs-secret-789', 'issued-token-000')


def args(attributes, **extra):
    result = dict(CONN, identity=GUID, attributes=attributes)
    result.update(extra)
    return result


def run(capsys, module_args, diff=False, check=False):
    module_args = dict(module_args)
    if diff:
        module_args['_ansible_diff'] = True
    if check:
        module_args['_ansible_check_mode'] = True
    return run_module(groupid_contact.main, module_args, capsys)


CURRENT = {'department': ['Sales'], 'proxyAddresses': ['SMTP:a@x', 'smtp:old@x'], 'mail': ['A@X']}
WANT = {'set': {'department': 'Operations'}, 'add': {'proxyAddresses': 'smtp:new@x'},
        'remove': {'proxyAddresses': 'smtp:old@x'}}


def test_converged_contact_sends_one_get_and_no_patch(capsys, transport):
    session = transport([response(200, contact_body(CURRENT))])
    result, code, _out = run(capsys, args({'set': {'department': 'Sales', 'MAIL': 'a@x'}},
                                          case_insensitive_attributes=['mail']))
    assert code == 0
    assert result['changed'] is False
    assert result['plan'] == []
    assert session.methods() == [('GET', DATA + '/Contacts/' + GUID)]
    assert session.json_body(0) == ['department', 'MAIL']
    assert result['contact'] == {'object_id': GUID, 'attributes': {'department': ['Sales'], 'MAIL': ['A@X']}}


def test_change_sends_exactly_one_patch_and_changed_comes_from_statuses(capsys, transport):
    session = transport([response(200, contact_body(CURRENT)),
                         response(200, envelope([('department', 0, None), ('proxyAddresses', 0, None)]))])
    result, code, _out = run(capsys, args(WANT), diff=True)
    assert code == 0 and result['changed'] is True
    assert [m for m, _u in session.methods()] == ['GET', 'PATCH']
    assert session.json_body(1) == {'objectIdentity': GUID, 'attributesToUpdate': {'AttributesCollection': {
        'department': [{'Value': 'Operations', 'Action': 0}],
        'proxyAddresses': [{'Value': 'smtp:new@x', 'Action': 1}, {'Value': 'smtp:old@x', 'Action': 2}]}}}
    assert result['diff'] == {
        'before': {'department': ['Sales'], 'proxyAddresses': ['SMTP:a@x', 'smtp:old@x']},
        'after': {'department': ['Operations'], 'proxyAddresses': ['SMTP:a@x', 'smtp:new@x']}}
    assert result['results'] == [{'name': 'department', 'status': 0, 'message': None},
                                 {'name': 'proxyAddresses', 'status': 0, 'message': None}]
    assert result['contact']['attributes'] == {'department': ['Operations'],
                                               'proxyAddresses': ['SMTP:a@x', 'smtp:new@x']}


def test_check_mode_sends_no_patch_and_diff_equals_real_run(capsys, transport):
    session = transport([response(200, contact_body(CURRENT))])
    checked, code, _out = run(capsys, args(WANT), diff=True, check=True)
    assert code == 0 and checked['changed'] is True
    assert [m for m, _u in session.methods()] == ['GET']
    transport([response(200, contact_body(CURRENT)),
               response(200, envelope([('department', 0, None), ('proxyAddresses', 0, None)]))])
    real, _code, _out = run(capsys, args(WANT), diff=True)
    assert checked['diff'] == real['diff']
    assert checked['plan'] == real['plan']
    assert checked['contact'] == real['contact']


def test_check_mode_on_converged_contact_is_not_changed(capsys, transport):
    transport([response(200, contact_body(CURRENT))])
    result, _code, _out = run(capsys, args({'set': {'department': 'Sales'}}), check=True)
    assert result['changed'] is False


def test_no_diff_key_without_diff_mode(capsys, transport):
    transport([response(200, contact_body(CURRENT)), response(200, envelope([('department', 0, None)]))])
    result, _code, _out = run(capsys, args({'set': {'department': 'X'}}))
    assert 'diff' not in result


def test_server_reporting_no_success_means_not_changed(capsys, transport):
    transport([response(200, contact_body(CURRENT)),
               response(200, envelope([('department', 2, 'Insufficient rights')], status=2))])
    result, code, _out = run(capsys, args({'set': {'department': 'X'}}), diff=True)
    assert code == 1 and result['failed'] is True
    assert result['changed'] is False
    assert 'department (status 2: Insufficient rights)' in result['msg']
    assert 'Applied: nothing' in result['msg']
    assert result['diff'] == {'before': {}, 'after': {}}


def test_partial_failure_names_every_failed_attribute_and_stays_changed(capsys, transport):
    transport([response(200, contact_body(CURRENT)),
               response(200, envelope([('department', 0, None), ('mail', 2, 'Constraint violation'),
                                       ('title', 2, 'Read-only')], status=2))])
    result, code, _out = run(capsys, args({'set': {'department': 'X', 'mail': 'b@x', 'title': 'T'}}), diff=True)
    assert code == 1
    assert result['changed'] is True
    assert result['applied'] == ['department']
    assert result['failed_attributes'] == ['mail', 'title']
    assert 'mail (status 2: Constraint violation)' in result['msg']
    assert 'title (status 2: Read-only)' in result['msg']
    assert 'Applied: department' in result['msg']
    assert result['diff'] == {'before': {'department': ['Sales']}, 'after': {'department': ['X']}}
    assert result['contact']['attributes'] == {'department': ['X'], 'mail': ['A@X'], 'title': []}


def test_top_level_failure_without_failed_details_applies_nothing(capsys, transport):
    transport([response(200, contact_body(CURRENT)),
               response(200, envelope([('department', 0, None)], status=2, message='Workflow error'))])
    result, code, _out = run(capsys, args({'set': {'department': 'X'}}))
    assert code == 1 and result['changed'] is False
    assert 'Workflow error' in result['msg']


def test_update_held_for_approval_is_reported_not_success(capsys, transport):
    transport([response(200, contact_body(CURRENT)),
               response(200, envelope([('department', 3, 'The request has been sent for approval.')], status=3))])
    result, code, _out = run(capsys, args({'set': {'department': 'X'}}))
    assert code == 1
    assert result['changed'] is False
    assert result['pending_attributes'] == ['department']
    assert 'held for approval' in result['msg']


def test_missing_detail_with_top_level_success_counts_as_applied(capsys, transport):
    transport([response(200, contact_body(CURRENT)), response(200, envelope([]))])
    result, code, _out = run(capsys, args({'set': {'department': 'X'}}))
    assert code == 0 and result['changed'] is True


def test_unknown_contact_is_a_clear_error(capsys, transport):
    session = transport([response(404)])
    result, code, _out = run(capsys, args({'set': {'department': 'X'}}))
    assert code == 1
    assert 'was not found in identity store 2' in result['msg'] and GUID in result['msg']
    assert len(session.calls) == 1


def test_credentials_get_a_token_and_secrets_never_appear(capsys, transport):
    session = transport([token_response('issued-token-000'), response(200, contact_body(CURRENT)),
                         response(200, envelope([('department', 2, 'echo issued-token-000')], status=2))])
    module_args = dict(CREDS, identity=GUID, attributes={'set': {'department': 'X'}})
    result, code, out = run(capsys, module_args, diff=True)
    assert code == 1
    assert session.calls[0]['url'] == TOKEN_URL
    assert session.calls[1]['headers']['Authorization'] == 'Bearer issued-token-000'
    for secret in SECRETS:
        assert secret not in out


@pytest.mark.parametrize('bad, message', [
    ({'identity': ''}, 'identity: must not be empty'),
    ({'identity': '  '}, 'identity: must not be empty'),
    ({'identity': 'abc\ndef'}, 'contains control characters'),
    ({'attributes': {'set': {'bad name': 'x'}}}, 'is not a valid attribute name'),
    ({'attributes': {'set': {'title': True}}}, 'attributes.set.title: True is a boolean'),
    ({'attributes': {'set': {'mail': 'a'}, 'add': {'mail': 'b'}}}, 'in attributes.set and in attributes.add/remove'),
    ({'url': 'ftp://x'}, "url: 'ftp://x' is not an http(s) URL"),
    ({'url': 'dm.example.com'}, 'is not an http(s) URL'),
    ({'identity_store_id': 0}, 'identity_store_id: 0 is not a positive'),
    ({'timeout': 0}, 'timeout: 0'),
    ({'retries': -1}, 'retries: -1'),
    ({'ca_path': '/nonexistent/ca.pem'}, 'ca_path: /nonexistent/ca.pem does not exist'),
    ({'username': 'u'}, 'access_token cannot be combined with username'),
    ({'access_token': None, 'username': 'u'}, 'missing: password, client_id, client_secret'),
])
def test_bad_input_fails_before_any_request(capsys, transport, bad, message):
    session = transport([])
    module_args = args({'set': {'department': 'X'}})
    module_args.update(bad)
    result, code, _out = run(capsys, module_args)
    assert code == 1
    assert message in result['msg']
    assert session.calls == []


def test_validate_certs_false_warns_and_http_warns(capsys, transport):
    transport([response(200, contact_body(CURRENT))])
    result, _code, _out = run(capsys, args({}, validate_certs=False))
    assert any('validate_certs is false' in w for w in warning_texts(result))
    transport([response(200, contact_body(CURRENT))])
    result, _code, _out = run(capsys, args({}, url='http://dm.example.com'))
    assert any('plain http' in w for w in warning_texts(result))


def test_environment_fallbacks(capsys, transport, monkeypatch, tmp_path):
    ca = tmp_path / 'ca.pem'
    ca.write_text('not read by the scripted transport')
    monkeypatch.setenv('GROUPID_URL', BASE)
    monkeypatch.setenv('GROUPID_IDENTITY_STORE_ID', '2')
    monkeypatch.setenv('GROUPID_ACCESS_TOKEN', 'tok-secret-123')
    monkeypatch.setenv('GROUPID_CA_PATH', str(ca))
    session = transport([response(200, contact_body(CURRENT))])
    result, code, out = run(capsys, {'identity': GUID, 'attributes': {'set': {'department': 'Sales'}}})
    assert code == 0 and result['changed'] is False
    assert session.calls[0]['headers']['Authorization'] == 'Bearer tok-secret-123'
    assert session.calls[0]['verify'] == str(ca)
    assert 'tok-secret-123' not in out


def test_transport_error_is_a_clear_failure(capsys, transport):
    transport([response(403, raw='Forbidden')])
    result, code, _out = run(capsys, args({'set': {'department': 'X'}}))
    assert code == 1 and 'IP allow-list' in result['msg'] and result['status'] == 403


def test_lost_patch_answer_is_confirmed_by_reading_again_not_resent(capsys, transport):
    import requests
    applied = dict(CURRENT, department=['Operations'], proxyAddresses=['SMTP:a@x', 'smtp:new@x'])
    session = transport([response(200, contact_body(CURRENT)),
                         requests.exceptions.ConnectionError('Connection aborted.'),
                         response(200, contact_body(applied))])
    result, code, _out = run(capsys, args(WANT), diff=True)
    assert code == 0 and result['changed'] is True
    assert [m for m, _u in session.methods()] == ['GET', 'PATCH', 'GET']
    assert sorted(result['applied']) == ['department', 'proxyAddresses']
    assert result['diff']['after'] == {'department': ['Operations'], 'proxyAddresses': ['SMTP:a@x', 'smtp:new@x']}
    assert any('reading it again' in w for w in warning_texts(result))


def test_lost_patch_answer_resends_only_what_still_differs(capsys, transport):
    import requests
    half = dict(CURRENT, department=['Operations'])
    session = transport([response(200, contact_body(CURRENT)),
                         requests.exceptions.ReadTimeout('read timed out'),
                         response(200, contact_body(half)),
                         response(200, envelope([('proxyAddresses', 0, None)]))])
    result, code, _out = run(capsys, args(WANT), diff=True)
    assert code == 0 and result['changed'] is True
    assert [m for m, _u in session.methods()] == ['GET', 'PATCH', 'GET', 'PATCH']
    assert session.json_body(3)['attributesToUpdate']['AttributesCollection'] == {
        'proxyAddresses': [{'Value': 'smtp:new@x', 'Action': 1}, {'Value': 'smtp:old@x', 'Action': 2}]}
    assert sorted(result['applied']) == ['department', 'proxyAddresses']
    assert result['diff']['before'] == {'department': ['Sales'], 'proxyAddresses': ['SMTP:a@x', 'smtp:old@x']}


def test_patch_refused_for_good_is_not_resent(capsys, transport):
    session = transport([response(200, contact_body(CURRENT)), response(400, {'message': 'bad'})])
    result, code, _out = run(capsys, args(WANT))
    assert code == 1 and 'HTTP 400 Bad Request: bad' in result['msg']
    assert [m for m, _u in session.methods()] == ['GET', 'PATCH']


def test_task_token_is_not_mixed_with_environment_credentials(capsys, transport, monkeypatch):
    for name, value in (('USERNAME', 'env-user'), ('PASSWORD', 'env-pw-111'), ('CLIENT_ID', 'env-cid'),
                        ('CLIENT_SECRET', 'env-cs-222')):
        monkeypatch.setenv('GROUPID_' + name, value)
    session = transport([response(200, contact_body(CURRENT))])
    result, code, out = run(capsys, args({'set': {'department': 'Sales'}}))
    assert code == 0, result.get('msg')
    assert session.calls[0]['headers']['Authorization'] == 'Bearer tok-secret-123'
    assert 'env-pw-111' not in out and 'env-cs-222' not in out


def test_environment_credentials_are_used_and_masked(capsys, transport, monkeypatch):
    for name, value in (('USERNAME', 'env-user'), ('PASSWORD', 'env-pw-111'), ('CLIENT_ID', 'env-cid'),
                        ('CLIENT_SECRET', 'env-cs-222')):
        monkeypatch.setenv('GROUPID_' + name, value)
    session = transport([token_response('issued-token-000'), response(200, contact_body(CURRENT)),
                         response(200, envelope([('department', 2, 'echo env-pw-111 env-cs-222')], status=2))])
    result, code, out = run(capsys, {'url': BASE, 'identity_store_id': 2, 'identity': GUID,
                                     'attributes': {'set': {'department': 'X'}}})
    assert code == 1
    assert session.calls[0]['data']['password'] == 'env-pw-111'
    for secret in ('env-pw-111', 'env-cs-222', 'issued-token-000'):
        assert secret not in out


def test_environment_token_wins_over_environment_credentials(capsys, transport, monkeypatch):
    monkeypatch.setenv('GROUPID_ACCESS_TOKEN', 'env-token')
    monkeypatch.setenv('GROUPID_USERNAME', 'env-user')
    session = transport([response(200, contact_body(CURRENT))])
    result, code, _out = run(capsys, {'url': BASE, 'identity_store_id': 2, 'identity': GUID})
    assert code == 0, result.get('msg')
    assert session.calls[0]['headers']['Authorization'] == 'Bearer env-token'


def test_plain_http_without_verification_gets_both_warnings(capsys, transport):
    transport([response(200, contact_body(CURRENT))])
    result, _code, _out = run(capsys, args({}, url='http://dm.example.com', validate_certs=False))
    texts = warning_texts(result)
    assert any('validate_certs is false' in w for w in texts) and any('plain http' in w for w in texts)
