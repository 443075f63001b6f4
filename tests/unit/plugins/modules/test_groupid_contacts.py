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
