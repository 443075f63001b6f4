# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""groupid_contact state=present/absent: create, delete, DN identities, no rename or move."""

from __future__ import annotations

from ansible_collections.groupid.groupid.plugins.modules import groupid_contact
from ansible_collections.groupid.groupid.tests.unit.plugins.helpers import (
    CONN,
    DATA,
    GUID,
    contact_body,
    envelope,
    response,
    run_module,
)


NEW = 'bf1c9efb-5e60-4d42-9899-5d33fe70d818'
DN = 'CN=Smith\\, John,OU=API,DC=groupid,DC=lab'
DN_PATH = DATA + '/Contacts/CN%3DSmith%5C%2C%20John%2COU%3DAPI%2CDC%3Dgroupid%2CDC%3Dlab'


def run(capsys, check=False, diff=False, **args):
    module_args = dict(CONN, **args)
    if check:
        module_args['_ansible_check_mode'] = True
    if diff:
        module_args['_ansible_diff'] = True
    return run_module(groupid_contact.main, module_args, capsys)


def created(object_id=NEW, status=0, message=None):
    body = envelope([], status=status, message=message)
    body['data'] = object_id
    return body


SMITH = {'name': 'Smith, John', 'container': 'OU=API,DC=groupid,DC=lab',
         'attributes': {'set': {'mail': 'js@x', 'displayName': 'John Smith'}, 'add': {'proxyAddresses': 'smtp:js@x'}}}


def test_create_by_escaped_dn_sends_documented_post_then_reads_back(capsys, transport):
    stored = {'CN': ['Smith, John'], 'container': ['OU=API,DC=groupid,DC=lab'], 'mail': ['js@x'],
              'displayName': ['John Smith'], 'proxyAddresses': ['smtp:js@x']}
    session = transport([response(404), response(200, created()), response(200, contact_body(stored, NEW))])
    result, code, _out = run(capsys, diff=True, **SMITH)
    assert code == 0 and result['changed'] is True and result['created'] is True
    assert session.methods() == [('GET', DN_PATH), ('POST', DATA + '/Contacts'), ('GET', DATA + '/Contacts/' + NEW)]
    assert session.json_body(1) == {'container': 'OU=API,DC=groupid,DC=lab', 'attributes': {'attributesCollection': {
        'CN': [{'value': 'Smith, John', 'action': 0}], 'objectClass': [{'value': 'contact', 'action': 0}],
        'mail': [{'value': 'js@x', 'action': 0}], 'displayName': [{'value': 'John Smith', 'action': 0}],
        'proxyAddresses': [{'value': 'smtp:js@x', 'action': 0}]}}}
    assert result['contact']['object_id'] == NEW
    assert result['diff']['before'] == {}
    assert result['diff']['after']['CN'] == ['Smith, John']


def test_create_then_updates_what_the_create_did_not_carry(capsys, transport):
    stored = {'CN': ['Smith, John'], 'container': ['OU=API,DC=groupid,DC=lab'], 'mail': ['js@x']}
    session = transport([response(404), response(200, created()), response(200, contact_body(stored, NEW)),
                         response(200, envelope([('displayName', 0, None), ('proxyAddresses', 0, None)]))])
    result, code, _out = run(capsys, **SMITH)
    assert code == 0 and result['created'] is True
    assert [m for m, _u in session.methods()] == ['GET', 'POST', 'GET', 'PATCH']
    assert set(session.json_body(3)['attributesToUpdate']['AttributesCollection']) == {'displayName', 'proxyAddresses'}


def test_create_in_check_mode_writes_nothing(capsys, transport):
    session = transport([response(404)])
    result, code, _out = run(capsys, check=True, diff=True, **SMITH)
    assert code == 0 and result['changed'] is True and result['created'] is True
    assert [m for m, _u in session.methods()] == ['GET']
    assert result['contact']['object_id'] is None
    assert result['contact']['attributes'] == {'mail': ['js@x'], 'displayName': ['John Smith'],
                                               'proxyAddresses': ['smtp:js@x']}


def test_duplicate_create_refused_by_the_server_is_an_error(capsys, transport):
    transport([response(404), response(200, created(object_id=None, status=2, message='already exists'))])
    result, code, _out = run(capsys, **SMITH)
    assert code == 1 and 'already exists' in result['msg']


def test_missing_contact_without_name_and_container_explains_how_to_create(capsys, transport):
    session = transport([response(404)])
    result, code, _out = run(capsys, identity=GUID, attributes={'set': {'mail': 'a'}})
    assert code == 1
    assert 'was not found' in result['msg'] and 'give name (its CN) and container' in result['msg']
    assert len(session.calls) == 1


def test_existing_contact_found_by_dn_is_converged_not_created(capsys, transport):
    stored = {'CN': ['Smith, John'], 'container': ['OU=API,DC=groupid,DC=lab'], 'mail': ['js@x'],
              'displayName': ['John Smith'], 'proxyAddresses': ['smtp:js@x']}
    session = transport([response(200, contact_body(stored, NEW))])
    result, code, _out = run(capsys, **SMITH)
    assert code == 0 and result['changed'] is False and result['created'] is False
    assert len(session.calls) == 1


def test_rename_or_move_is_an_error(capsys, transport):
    stored = {'CN': ['Old Name'], 'container': ['OU=Other,DC=groupid,DC=lab']}
    session = transport([response(200, contact_body(stored))])
    result, code, _out = run(capsys, identity=GUID, name='New Name', container='OU=API,DC=groupid,DC=lab')
    assert code == 1
    assert "its name (CN) is 'Old Name', not 'New Name'" in result['msg']
    assert "its container is 'OU=Other,DC=groupid,DC=lab'" in result['msg']
    assert 'not supported' in result['msg']
    assert len(session.calls) == 1


def test_same_placement_in_other_case_is_fine(capsys, transport):
    stored = {'CN': ['Smith, John'], 'container': ['OU=API,DC=groupid,DC=lab']}
    transport([response(200, contact_body(stored))])
    result, code, _out = run(capsys, identity=GUID, name='smith, john', container='ou=api, dc=groupid, dc=lab')
    assert code == 0 and result['changed'] is False


def test_delete_existing_contact(capsys, transport):
    session = transport([response(200, contact_body({'CN': ['x'], 'mail': ['m']})), response(200, envelope([]))])
    result, code, _out = run(capsys, diff=True, identity=GUID, state='absent')
    assert code == 0 and result['changed'] is True
    assert session.methods() == [('GET', DATA + '/Contacts/' + GUID), ('DELETE', DATA + '/Contacts/' + GUID)]
    assert result['diff'] == {'before': {'CN': ['x'], 'mail': ['m']}, 'after': {}}


def test_delete_in_check_mode_sends_no_delete(capsys, transport):
    session = transport([response(200, contact_body({'CN': ['x']}))])
    result, code, _out = run(capsys, check=True, identity=GUID, state='absent')
    assert code == 0 and result['changed'] is True
    assert [m for m, _u in session.methods()] == ['GET']


def test_delete_missing_contact_is_ok(capsys, transport):
    session = transport([response(404)])
    result, code, _out = run(capsys, identity=GUID, state='absent')
    assert code == 0 and result['changed'] is False
    assert len(session.calls) == 1


def test_delete_refused_is_an_error(capsys, transport):
    transport([response(200, contact_body({'CN': ['x']})), response(200, envelope([], status=2, message='denied'))])
    result, code, _out = run(capsys, identity=GUID, state='absent')
    assert code == 1 and 'denied' in result['msg']


def test_delete_that_meets_a_404_is_no_change(capsys, transport):
    transport([response(200, contact_body({'CN': ['x']})), response(404)])
    result, code, _out = run(capsys, identity=GUID, state='absent')
    assert code == 0 and result['changed'] is False


def test_identity_or_name_and_container_required(capsys, transport):
    transport([])
    result, code, _out = run(capsys, attributes={})
    assert code == 1 and 'one of the following is required: identity, name' in result['msg']
    result, code, _out = run(capsys, name='x')
    assert code == 1 and 'parameters are required together: name, container' in result['msg']
