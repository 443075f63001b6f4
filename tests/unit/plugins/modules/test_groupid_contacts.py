# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""groupid_contacts: batch reads, one PATCH per differing contact, failures isolated."""

from __future__ import annotations

import pytest

from ansible_collections.groupid.groupid.plugins.modules import groupid_contacts
from ansible_collections.groupid.groupid.tests.unit.plugins.helpers import (
    A,
    B,
    C,
    CONN,
    DATA,
    contact_body,
    envelope,
    response,
    run_module,
)


def contact(object_id, **attributes):
    attributes.update({'CN': [object_id[:3]], 'container': ['OU=API,DC=x']})
    return contact_body(attributes, object_id=object_id)


def entry(identity, **sets):
    return {'identity': identity, 'attributes': {'set': sets}}


def run(capsys, contacts, **extra):
    args = dict(CONN, contacts=contacts)
    args.update(extra)
    return run_module(groupid_contacts.main, args, capsys)


def test_one_read_and_one_patch_per_differing_contact(capsys, transport):
    session = transport([
        response(200, [contact(A, department=['Ops']), contact(B, department=['Sales'], title=['T'])]),
        response(200, envelope([('department', 0, None)])),
    ])
    result, code, _out = run(capsys, [entry(A, department='Ops'), entry(B, department='Ops', title='T')],
                             _ansible_diff=True)
    assert code == 0 and result['changed'] is True
    assert [m for m, _u in session.methods()] == ['GET', 'PATCH']
    assert session.json_body(0) == {'userIdentities': [A, B], 'attributesToLoad': ['department', 'title']}
    assert session.json_body(1)['objectIdentity'] == B
    assert [c['changed'] for c in result['contacts']] == [False, True]
    assert result['summary'] == {'ok': 1, 'changed': 1, 'failed': 0}
    assert result['diff'] == [{'before': {'department': ['Sales']}, 'after': {'department': ['Ops']},
                               'before_header': B, 'after_header': B}]


def test_check_mode_reads_only(capsys, transport):
    session = transport([response(200, [contact(A, department=['Sales'])])])
    result, code, _out = run(capsys, [entry(A, department='Ops')], _ansible_check_mode=True)
    assert code == 0 and result['changed'] is True
    assert [m for m, _u in session.methods()] == ['GET']
    assert result['contacts'][0]['attributes'] == {'department': ['Ops']}


def test_failures_do_not_stop_the_others_and_fail_at_the_end(capsys, transport):
    session = transport([
        response(200, [contact(A, department=['Sales']), contact(C, department=['Sales'])]),
        response(200, envelope([('department', 2, 'Access denied')], status=2)),
        response(200, envelope([('department', 0, None)])),
    ])
    result, code, _out = run(capsys, [entry(A, department='Ops'), entry(B, department='Ops'), entry(C, department='Ops')])
    assert code == 1
    assert result['changed'] is True
    assert result['failed_contacts'] == [A, B]
    assert '2 of 3 contact(s) failed' in result['msg']
    assert 'Access denied' in result['msg'] and 'was not found' in result['msg']
    assert [m for m, _u in session.methods()] == ['GET', 'PATCH', 'PATCH']
    assert result['summary'] == {'ok': 0, 'changed': 1, 'failed': 2}


def test_guid_and_dn_of_the_same_contact_send_nothing_for_either(capsys, transport):
    session = transport([
        response(200, [contact(A, department=['Sales']), contact(B, department=['Sales'])]),
        response(200, envelope([('department', 0, None)])),
    ])
    dn = 'cn=AAA,OU=API,DC=x'
    result, code, _out = run(capsys, [entry(A, department='Ops'), entry(dn, department='Legal'),
                                      entry(B, department='Ops')])
    assert code == 1
    assert result['failed_contacts'] == [A, dn]
    assert 'contacts[0] (%s), contacts[1] (%s) name the same contact %s' % (A, dn, A) in result['msg']
    assert [m for m, _u in session.methods()] == ['GET', 'PATCH']
    assert session.json_body(1)['objectIdentity'] == B
    assert result['summary'] == {'ok': 0, 'changed': 1, 'failed': 2}


def test_reads_in_chunks(capsys, transport):
    session = transport([response(200, [contact(A, title=['x'])]), response(200, [contact(B, title=['x'])]),
                         response(200, [contact(C, title=['x'])])])
    result, code, _out = run(capsys, [entry(A, title='x'), entry(B, title='x'), entry(C, title='x')], chunk_size=1)
    assert code == 0 and result['changed'] is False
    assert [m for m, _u in session.methods()] == ['GET'] * 3


def test_parallel_updates_all_contacts(capsys, transport):
    session = transport([response(200, [contact(A, title=['a']), contact(B, title=['b']), contact(C, title=['c'])])]
                        + [response(200, envelope([('title', 0, None)]))] * 3)
    result, code, _out = run(capsys, [entry(A, title='z'), entry(B, title='z'), entry(C, title='z')], parallel=3)
    assert code == 0 and result['summary']['changed'] == 3
    assert sorted(session.json_body(i)['objectIdentity'] for i in (1, 2, 3)) == [A, B, C]


@pytest.mark.parametrize('contacts, extra, message', [
    ([entry(A, department=True)], {}, 'contacts[0] (%s): attributes.set.department: True is a boolean' % A),
    ([entry(A, title='x'), entry(A.upper(), title='y')], {}, 'contacts[1].identity'),
    ([entry('', title='x')], {}, 'contacts[0].identity: must not be empty'),
    ([entry(A, title='x')], {'parallel': 0}, 'parallel: 0'),
    ([entry(A, title='x')], {'chunk_size': 5000}, 'chunk_size: 5000'),
])
def test_bad_input_before_any_request(capsys, transport, contacts, extra, message):
    session = transport([])
    result, code, _out = run(capsys, contacts, **extra)
    assert code == 1 and message in result['msg']
    assert session.calls == []


NEW = 'bf1c9efb-5e60-4d42-9899-5d33fe70d818'
PARTNERS = 'OU=Partners,DC=x'


def created(object_id=NEW):
    body = envelope([])
    body['data'] = object_id
    return body


def lifecycle_entries():
    return [
        {'name': 'Lopez, Ana', 'container': PARTNERS, 'attributes': {'set': {'mail': 'ana@x'}}},   # missing: create
        {'identity': B, 'state': 'absent'},                                                       # exists: delete
        {'identity': C, 'state': 'absent'},                                                       # missing: ok
        entry(A, department='Ops'),                                                               # exists: update
    ]


def test_create_delete_and_update_in_one_task(capsys, transport):
    new = contact_body({'CN': ['Lopez, Ana'], 'container': [PARTNERS], 'mail': ['ana@x']}, object_id=NEW)
    session = transport([
        response(200, [contact(A, department=['Sales']), contact(B, department=['Sales'])]),
        response(200, created()), response(200, new),      # the create, then its read-back
        response(200, envelope([])),                       # the delete
        response(200, envelope([('department', 0, None)])),
    ])
    result, code, _out = run(capsys, lifecycle_entries(), _ansible_diff=True)
    assert code == 0, result['msg']
    assert [m for m, _u in session.methods()] == ['GET', 'POST', 'GET', 'DELETE', 'PATCH']
    assert session.json_body(0)['userIdentities'] == ['CN=Lopez\\, Ana,' + PARTNERS, B, C, A]
    assert session.json_body(1) == {'container': PARTNERS, 'attributes': {'attributesCollection': {
        'CN': [{'value': 'Lopez, Ana', 'action': 0}], 'objectClass': [{'value': 'contact', 'action': 0}],
        'mail': [{'value': 'ana@x', 'action': 0}]}}}
    assert session.methods()[3] == ('DELETE', DATA + '/Contacts/' + B)
    flags = [(c['object_id'], c['changed'], c['created'], c['deleted']) for c in result['contacts']]
    assert flags == [(NEW, True, True, False), (B, True, False, True), (None, False, False, False),
                     (A, True, False, False)]
    assert result['summary'] == {'ok': 1, 'changed': 3, 'failed': 0}
    assert len(result['diff']) == 3


def test_create_and_delete_in_check_mode_only_read(capsys, transport):
    session = transport([response(200, [contact(A, department=['Sales']), contact(B, department=['Sales'])])])
    result, code, _out = run(capsys, lifecycle_entries(), _ansible_check_mode=True)
    assert code == 0 and result['changed'] is True
    assert [m for m, _u in session.methods()] == ['GET']
    assert [(c['created'], c['deleted']) for c in result['contacts']] == [
        (True, False), (False, True), (False, False), (False, False)]


def test_missing_contact_without_name_explains_how_to_create(capsys, transport):
    transport([response(200, [])])
    result, code, _out = run(capsys, [entry(A, department='Ops')])
    assert code == 1 and result['failed_contacts'] == [A]
    assert 'was not found' in result['msg'] and 'give name (its CN) and container' in result['msg']


@pytest.mark.parametrize('bad, message', [
    ({'name': 'Lopez, Ana'}, 'container'),
    ({'attributes': {'set': {'mail': 'x'}}}, 'identity, name'),
    ({'name': 'A', 'container': 'OU=X\nY'}, 'contacts[0].container'),
])
def test_lifecycle_input_checked_before_any_request(capsys, transport, bad, message):
    session = transport([])
    result, code, _out = run(capsys, [bad])
    assert code == 1 and message in result['msg'], result['msg']
    assert session.calls == []
