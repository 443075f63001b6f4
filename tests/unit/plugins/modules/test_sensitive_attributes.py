# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""sensitive_attributes: values never in the result, the diff, the invocation or an error; the wire is unchanged."""

from __future__ import annotations

from ansible.module_utils.common.parameters import PASS_VARS

from ansible_collections.groupid.groupid.plugins.module_utils._module import declared_secrets
from ansible_collections.groupid.groupid.plugins.modules import groupid_contact, groupid_contact_info, groupid_contacts
from ansible_collections.groupid.groupid.tests.unit.plugins.helpers import (
    A,
    B,
    CONN,
    DATA,
    GUID,
    contact_body,
    envelope,
    response,
    run_module,
)

# ansible-core 2.19 always echoes the module arguments as `invocation`; later lines do it when the
# controller asks (at -vvv and more). Ask where asking is possible, so that every line checks the echo.
ECHO = {'_ansible_inject_invocation': True} if 'inject_invocation' in PASS_VARS else {}
NEW_PIN = 'PIN-4711-new'
OLD_PIN = 'PIN-0815-old'
OTHER = 'PIN-2222-other'


def run(capsys, main, check=False, **args):
    module_args = dict(CONN, _ansible_diff=True, **ECHO)
    module_args.update(args)
    if check:
        module_args['_ansible_check_mode'] = True
    return run_module(main, module_args, capsys)


def assert_hidden(out, *values):
    for value in values:
        assert value not in out, '%s appears in the module output' % value


def test_update_hides_values_in_result_plan_diff_and_invocation_but_sends_them(capsys, transport):
    session = transport([response(200, contact_body({'info': [OLD_PIN], 'department': ['Sales']})),
                         response(200, envelope([('info', 0, None), ('department', 0, None)]))])
    result, code, out = run(capsys, groupid_contact.main, identity=GUID, sensitive_attributes=['INFO'],
                            attributes={'set': {'info': NEW_PIN, 'department': 'Ops'}})
    assert code == 0 and result['changed'] is True
    assert session.json_body(1)['attributesToUpdate']['AttributesCollection']['info'] == [
        {'Value': NEW_PIN, 'Action': 0}]
    assert result['diff'] == {'before': {'info': ['<hidden: 1 value>'], 'department': ['Sales']},
                              'after': {'info': ['<hidden: 1 value, changed>'], 'department': ['Ops']}}
    assert result['contact']['attributes'] == {'info': ['<hidden: 1 value>'], 'department': ['Ops']}
    assert result['plan'][0] == {'attribute': 'info', 'operation': 'set', 'before': ['<hidden: 1 value>'],
                                 'after': ['<hidden: 1 value, changed>'], 'add': [], 'remove': [],
                                 'replace': ['<hidden: 1 value>']}
    assert_hidden(out, NEW_PIN, OLD_PIN)


def test_check_mode_and_converged_runs_hide_values(capsys, transport):
    transport([response(200, contact_body({'info': [OLD_PIN, OTHER]}))])
    result, code, out = run(capsys, groupid_contact.main, check=True, identity=GUID, sensitive_attributes=['info'],
                            attributes={'remove': {'info': OTHER}})
    assert code == 0 and result['changed'] is True
    assert result['diff']['before'] == {'info': ['<hidden: 2 values>']}
    assert result['diff']['after'] == {'info': ['<hidden: 1 value, changed>']}
    assert_hidden(out, OLD_PIN, OTHER)

    transport([response(200, contact_body({'info': [OLD_PIN]}))])
    result, code, out = run(capsys, groupid_contact.main, identity=GUID, sensitive_attributes=['info'],
                            attributes={'set': {'info': OLD_PIN}})
    assert code == 0 and result['changed'] is False
    assert result['contact']['attributes'] == {'info': ['<hidden: 1 value>']}
    assert_hidden(out, OLD_PIN)


def test_server_message_echoing_a_value_is_masked(capsys, transport):
    transport([response(200, contact_body({'info': [OLD_PIN]})),
               response(200, envelope([('info', 2, 'value %s is not allowed, %s stays' % (NEW_PIN, OLD_PIN))],
                                      status=2))])
    result, code, out = run(capsys, groupid_contact.main, identity=GUID, sensitive_attributes=['info'],
                            attributes={'set': {'info': NEW_PIN}})
    assert code == 1 and result['failed'] is True
    assert 'info (status 2' in result['msg']
    assert_hidden(out, NEW_PIN, OLD_PIN)


def test_create_and_delete_hide_values(capsys, transport):
    created = envelope([])
    created['data'] = A
    stored = {'CN': ['Agent'], 'container': ['OU=API,DC=x'], 'info': [NEW_PIN]}
    transport([response(404), response(200, created), response(200, contact_body(stored, A))])
    result, code, out = run(capsys, groupid_contact.main, name='Agent', container='OU=API,DC=x',
                            sensitive_attributes=['info'], attributes={'set': {'info': NEW_PIN}})
    assert code == 0 and result['created'] is True
    assert result['diff']['after']['info'] == ['<hidden: 1 value, changed>']
    assert_hidden(out, NEW_PIN)

    session = transport([response(200, contact_body(stored, A)), response(200, envelope([]))])
    result, code, out = run(capsys, groupid_contact.main, identity=A, state='absent', sensitive_attributes=['info'],
                            attributes={'set': {'info': None}})
    assert code == 0 and result['changed'] is True
    assert session.methods()[-1] == ('DELETE', DATA + '/Contacts/' + A)
    assert result['diff']['before']['info'] == ['<hidden: 1 value>']
    assert_hidden(out, NEW_PIN)


def test_many_contacts_hide_task_wide_and_per_entry_sensitive_attributes(capsys, transport):
    def stored(object_id, **attributes):
        attributes.update({'CN': [object_id[:3]], 'container': ['OU=API,DC=x']})
        return contact_body(attributes, object_id=object_id)
    transport([response(200, [stored(A, info=[OLD_PIN], pager=['p-1']), stored(B, info=['x'], pager=[OTHER])]),
               response(200, envelope([('info', 0, None)])),
               response(200, envelope([('pager', 0, None)]))])
    result, code, out = run(capsys, groupid_contacts.main, sensitive_attributes=['info'], contacts=[
        {'identity': A, 'attributes': {'set': {'info': NEW_PIN}}},
        {'identity': B, 'sensitive_attributes': ['pager'], 'attributes': {'set': {'pager': 'p-2'}}},
    ])
    assert code == 0 and result['summary']['changed'] == 2
    assert result['contacts'][0]['attributes'] == {'info': ['<hidden: 1 value>']}
    assert result['contacts'][1]['attributes'] == {'pager': ['<hidden: 1 value>']}
    hidden_after = [{'info': ['<hidden: 1 value, changed>']}, {'pager': ['<hidden: 1 value, changed>']}]
    assert [d['after'] for d in result['diff']] == hidden_after
    assert_hidden(out, NEW_PIN, OLD_PIN, OTHER, 'p-2')


def test_info_hides_sensitive_attributes_and_refuses_bad_names(capsys, transport):
    body = contact_body({'CN': ['Agent'], 'info': [OLD_PIN, OTHER], 'mail': ['a@x']}, object_id=A)
    transport([response(200, [body])])
    result, code, out = run(capsys, groupid_contact_info.main, identities=[A], attributes=['info', 'mail'],
                            sensitive_attributes=['Info'])
    assert code == 0
    assert result['contacts'][0]['attributes']['info'] == ['<hidden: 2 values>']
    assert result['contacts'][0]['attributes']['mail'] == ['a@x']
    assert_hidden(out, OLD_PIN, OTHER)

    session = transport([])
    result, code, _out = run(capsys, groupid_contact_info.main, identities=[A], sensitive_attributes=['in fo'])
    assert code == 1 and 'sensitive_attributes' in result['msg'] and session.calls == []


def test_declared_secrets_collects_only_sensitive_values():
    params = {
        'attributes': {'set': {'Info': ['s1', None, ''], 'title': 'visible'}, 'add': {'pager': 7}, 'remove': None},
        'sensitive_attributes': ['info', 'PAGER'],
        'contacts': [{'attributes': {'set': {'info': 's2', 'mobile': 's3'}}, 'sensitive_attributes': ['mobile']},
                     {'attributes': None}, 'not-a-dict'],
    }
    assert declared_secrets(params) == {'s1', '7', 's2', 's3'}
    assert declared_secrets({'attributes': ['mail'], 'sensitive_attributes': ['mail']}) == set()
    assert declared_secrets({}) == set()
