# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""GUID and distinguished-name handling (RFC 4514)."""

from __future__ import annotations

import pytest

from ansible_collections.groupid.groupid.plugins.module_utils._identity import (
    contact_dn,
    dn_key,
    escape_rdn_value,
    guid_key,
    identity_key,
    split_dn,
)


@pytest.mark.parametrize('value, expected', [
    ('Smith, John', 'Smith\\, John'),
    ('a+b', 'a\\+b'),
    ('"quoted"', '\\"quoted\\"'),
    ('back\\slash', 'back\\\\slash'),
    ('<x>;y=z', '\\<x\\>\\;y\\=z'),
    ('#first', '\\#first'),
    ('mid#dle', 'mid#dle'),
    (' lead', '\\ lead'),
    ('trail ', 'trail\\ '),
    ('plain', 'plain'),
])
def test_escape_rdn_value(value, expected):
    assert escape_rdn_value(value) == expected


def test_contact_dn_round_trips():
    dn = contact_dn('Smith, John', 'OU=API,DC=groupid,DC=lab')
    assert dn == 'CN=Smith\\, John,OU=API,DC=groupid,DC=lab'
    assert split_dn(dn) == [('CN', 'Smith, John'), ('OU', 'API'), ('DC', 'groupid'), ('DC', 'lab')]


def test_dn_key_ignores_case_spaces_and_escape_style():
    assert dn_key('CN=Smith\\, John,OU=API,DC=groupid,DC=lab') == dn_key('cn=smith\\2C john, ou=api ,dc=GROUPID,dc=lab')
    assert dn_key('CN=trail\\ ,DC=x') == (('cn', 'trail '), ('dc', 'x'))
    assert dn_key('CN=a,DC=x') != dn_key('CN=b,DC=x')
    assert dn_key('not a dn') is None


def test_guid_key():
    assert guid_key('{AAA92DB4-B912-49A8-9F85-56DA5F33DAAF}') == 'aaa92db4-b912-49a8-9f85-56da5f33daaf'
    assert guid_key('aaa92db4-b912-49a8-9f85-56da5f33daaf') == 'aaa92db4-b912-49a8-9f85-56da5f33daaf'
    assert guid_key('CN=x') is None
    assert guid_key(None) is None


def test_identity_key_kinds():
    assert identity_key('{AAA92DB4-B912-49A8-9F85-56DA5F33DAAF}')[0] == 'guid'
    assert identity_key('CN=x,DC=y')[0] == 'dn'
    assert identity_key('jsmith') == ('raw', 'jsmith')
