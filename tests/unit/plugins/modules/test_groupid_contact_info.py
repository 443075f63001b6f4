# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""groupid_contact_info: Get Contacts in chunks, matched back to the requested identities."""

from __future__ import annotations

from ansible_collections.groupid.groupid.plugins.modules import groupid_contact_info
from ansible_collections.groupid.groupid.tests.unit.plugins.helpers import (
    A,
    B,
    C,
    CONN,
    DATA,
    contact_body,
    response,
    run_module,
)


def contact(object_id, cn, **attributes):
    attributes.update({'CN': [cn], 'container': ['OU=API,DC=groupid,DC=lab']})
    return contact_body(attributes, object_id=object_id)


def test_reads_in_chunks_and_reports_missing(capsys, transport):
    session = transport([response(200, [contact(A, 'Demo Contact1', mail=['a@x'])]), response(200, [])])
    args = dict(CONN, identities=[A.upper(), 'CN=smith\\, john,OU=API,DC=groupid,DC=lab', C],
                attributes=['mail'], chunk_size=2)
    result, code, _out = run_module(groupid_contact_info.main, args, capsys)
    assert code == 0 and result['changed'] is False
    assert session.methods() == [('GET', DATA + '/Contacts')] * 2
    assert session.json_body(0) == {'userIdentities': [A.upper(), 'CN=smith\\, john,OU=API,DC=groupid,DC=lab'],
                                    'attributesToLoad': ['mail']}
    assert session.json_body(1) == {'userIdentities': [C], 'attributesToLoad': ['mail']}
    assert [c['object_id'] for c in result['contacts']] == [A]
    assert result['missing'] == ['CN=smith\\, john,OU=API,DC=groupid,DC=lab', C]


def test_matches_dn_and_dedupes_identities(capsys, transport):
    session = transport([response(200, [contact(B, 'Smith, John', mail=['b@x'])])])
    args = dict(CONN, identities=['CN=Smith\\, John,OU=API,DC=groupid,DC=lab', B, '{%s}' % B.upper()])
    result, code, _out = run_module(groupid_contact_info.main, args, capsys)
    assert code == 0
    assert session.json_body(0)['userIdentities'] == ['CN=Smith\\, John,OU=API,DC=groupid,DC=lab', B]
    assert len(result['contacts']) == 1
    assert result['contacts'][0]['dn'] == 'CN=Smith\\, John,OU=API,DC=groupid,DC=lab'
    assert result['contacts'][0]['attributes']['mail'] == ['b@x']
    assert result['missing'] == []


def test_bad_input_before_any_request(capsys, transport):
    session = transport([])
    for bad, message in (({'identities': ['']}, 'identities[0]: must not be empty'),
                         ({'attributes': ['bad name']}, 'not a valid attribute name'),
                         ({'chunk_size': 0}, 'chunk_size: 0')):
        args = dict(CONN, identities=[A])
        args.update(bad)
        result, code, _out = run_module(groupid_contact_info.main, args, capsys)
        assert code == 1 and message in result['msg']
    assert session.calls == []


def test_answer_not_a_list_is_an_error(capsys, transport):
    transport([response(200, {'message': 'odd'})])
    result, code, _out = run_module(groupid_contact_info.main, dict(CONN, identities=[A]), capsys)
    assert code == 1 and 'instead of a list of contacts' in result['msg']
