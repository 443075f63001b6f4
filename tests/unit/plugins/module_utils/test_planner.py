# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The planner, exhaustively: set/add/remove/clear, case, order, duplicates, types, conflicts."""

from __future__ import annotations

import pytest

from ansible_collections.groupid.groupid.plugins.module_utils._planner import (
    ACTION_ADD,
    ACTION_REMOVE,
    ACTION_REPLACE,
    SpecError,
    current_values,
    hide,
    normalize_spec,
    plan,
)


def make_plan(current, attributes, case_insensitive=None):
    return plan(current, normalize_spec(attributes, case_insensitive))


def entries(p, name):
    return [(e['Value'], e['Action']) for e in p.payload()[name]]


# -- action codes live in one place and have the documented/inferred values ------------------

def test_action_codes():
    assert (ACTION_REPLACE, ACTION_ADD, ACTION_REMOVE) == (0, 1, 2)


# -- set -----------------------------------------------------------------------------------------

def test_set_single_value_on_empty_attribute_uses_documented_replace():
    p = make_plan({}, {'set': {'department': 'Operations'}})
    assert p.payload() == {'department': [{'Value': 'Operations', 'Action': 0}]}
    assert p.diff() == {'before': {'department': []}, 'after': {'department': ['Operations']}}


def test_set_single_value_replacing_one_value():
    p = make_plan({'department': ['Sales']}, {'set': {'department': 'Operations'}})
    assert entries(p, 'department') == [('Operations', ACTION_REPLACE)]
    assert p.to_list()[0]['operation'] == 'set'
    assert p.to_list()[0]['before'] == ['Sales']


def test_set_equal_value_is_no_change():
    assert not make_plan({'department': ['Sales']}, {'set': {'department': 'Sales'}})


def test_set_multi_value_sends_deltas_not_replace():
    p = make_plan({'proxyAddresses': ['SMTP:a@x', 'smtp:b@x']},
                  {'set': {'proxyAddresses': ['SMTP:a@x', 'smtp:c@x']}})
    assert entries(p, 'proxyAddresses') == [('smtp:c@x', ACTION_ADD), ('smtp:b@x', ACTION_REMOVE)]


def test_set_one_value_over_many_values_sends_deltas():
    p = make_plan({'otherTelephone': ['1', '2']}, {'set': {'otherTelephone': '3'}})
    assert entries(p, 'otherTelephone') == [('3', ACTION_ADD), ('1', ACTION_REMOVE), ('2', ACTION_REMOVE)]
    assert p.diff()['after'] == {'otherTelephone': ['3']}


def test_set_many_values_on_empty_attribute_sends_adds():
    p = make_plan({}, {'set': {'otherTelephone': ['2', '1']}})
    assert entries(p, 'otherTelephone') == [('2', ACTION_ADD), ('1', ACTION_ADD)]
    assert p.diff()['after'] == {'otherTelephone': ['1', '2']}


@pytest.mark.parametrize('empty', [None, '', [], [''], ['', None]])
def test_set_empty_clears_by_removing_each_current_value(empty):
    p = make_plan({'proxyAddresses': ['SMTP:a@x', 'smtp:b@x']}, {'set': {'proxyAddresses': empty}})
    assert entries(p, 'proxyAddresses') == [('SMTP:a@x', ACTION_REMOVE), ('smtp:b@x', ACTION_REMOVE)]
    assert p.to_list()[0]['operation'] == 'clear'
    assert p.diff() == {'before': {'proxyAddresses': ['SMTP:a@x', 'smtp:b@x']}, 'after': {'proxyAddresses': []}}


def test_clear_of_empty_attribute_is_no_change():
    assert not make_plan({'title': []}, {'set': {'title': None}})
    assert not make_plan({}, {'set': {'title': []}})


# -- order and duplicates -------------------------------------------------------------------------------

def test_order_is_ignored():
    assert not make_plan({'otherTelephone': ['1', '2', '3']}, {'set': {'otherTelephone': ['3', '1', '2']}})


def test_duplicates_in_desired_are_ignored():
    assert not make_plan({'otherTelephone': ['1', '2']}, {'set': {'otherTelephone': ['1', '2', '2', '1']}})
    p = make_plan({}, {'add': {'otherTelephone': ['5', '5']}})
    assert entries(p, 'otherTelephone') == [('5', ACTION_ADD)]


def test_duplicates_in_current_are_ignored():
    assert not make_plan({'otherTelephone': ['1', '1', '2']}, {'set': {'otherTelephone': ['2', '1']}})


def test_diff_values_are_sorted_and_plan_keeps_user_order():
    p = make_plan({'b': ['z', 'a']}, {'set': {'b': ['y', 'c']}, 'add': {'a': 'q'}})
    assert [c['attribute'] for c in p.to_list()] == ['b', 'a']
    assert p.diff()['before']['b'] == ['a', 'z']
    assert p.diff()['after']['b'] == ['c', 'y']


# -- add / remove --------------------------------------------------------------------------------------------

def test_add_only_missing_values_and_keep_others():
    p = make_plan({'proxyAddresses': ['SMTP:a@x']}, {'add': {'proxyAddresses': ['SMTP:a@x', 'smtp:b@x']}})
    assert entries(p, 'proxyAddresses') == [('smtp:b@x', ACTION_ADD)]
    assert p.diff()['after'] == {'proxyAddresses': ['SMTP:a@x', 'smtp:b@x']}
    assert p.to_list()[0]['operation'] == 'update'


def test_add_present_value_is_no_change():
    assert not make_plan({'proxyAddresses': ['SMTP:a@x']}, {'add': {'proxyAddresses': 'SMTP:a@x'}})


def test_remove_only_present_values():
    p = make_plan({'proxyAddresses': ['SMTP:a@x', 'smtp:b@x']}, {'remove': {'proxyAddresses': ['smtp:b@x', 'smtp:c@x']}})
    assert entries(p, 'proxyAddresses') == [('smtp:b@x', ACTION_REMOVE)]
    assert p.diff()['after'] == {'proxyAddresses': ['SMTP:a@x']}


def test_remove_absent_value_is_no_change():
    assert not make_plan({'proxyAddresses': ['SMTP:a@x']}, {'remove': {'proxyAddresses': 'smtp:zz@x'}})
    assert not make_plan({}, {'remove': {'proxyAddresses': 'smtp:zz@x'}})


def test_add_and_remove_on_same_attribute_in_one_plan():
    p = make_plan({'proxyAddresses': ['SMTP:a@x', 'smtp:old@x']},
                  {'add': {'proxyAddresses': 'smtp:new@x'}, 'remove': {'proxyAddresses': 'smtp:old@x'}})
    assert entries(p, 'proxyAddresses') == [('smtp:new@x', ACTION_ADD), ('smtp:old@x', ACTION_REMOVE)]
    assert p.diff() == {'before': {'proxyAddresses': ['SMTP:a@x', 'smtp:old@x']},
                        'after': {'proxyAddresses': ['SMTP:a@x', 'smtp:new@x']}}


def test_add_and_remove_where_only_one_side_differs():
    p = make_plan({'proxyAddresses': ['SMTP:a@x']},
                  {'add': {'proxyAddresses': 'SMTP:a@x'}, 'remove': {'proxyAddresses': 'smtp:gone@x'}})
    assert not p


# -- case rules ------------------------------------------------------------------------------------------------

def test_attribute_names_match_case_insensitively_and_keep_user_spelling():
    p = make_plan({'DISPLAYNAME': ['Old']}, {'set': {'displayName': 'New'}})
    assert list(p.payload()) == ['displayName']
    assert p.diff()['before'] == {'displayName': ['Old']}
    assert not make_plan({'DISPLAYNAME': ['Same']}, {'set': {'displayName': 'Same'}})


def test_values_compare_exactly_by_default():
    p = make_plan({'proxyAddresses': ['smtp:a@x']}, {'set': {'proxyAddresses': 'SMTP:a@x'}})
    assert entries(p, 'proxyAddresses') == [('SMTP:a@x', ACTION_REPLACE)]
    p = make_plan({'proxyAddresses': ['smtp:a@x', 'smtp:b@x']}, {'add': {'proxyAddresses': 'SMTP:a@x'}})
    assert entries(p, 'proxyAddresses') == [('SMTP:a@x', ACTION_ADD)]


def test_case_insensitive_attribute_values():
    assert not make_plan({'mail': ['A@Example.com']}, {'set': {'mail': 'a@example.COM'}}, ['MAIL'])
    assert not make_plan({'mail': ['A@Example.com']}, {'add': {'mail': 'a@example.com'}}, ['mail'])


def test_case_insensitive_remove_sends_the_server_spelling():
    p = make_plan({'otherMailbox': ['A@X', 'b@x']}, {'remove': {'otherMailbox': 'a@x'}}, ['otherMailbox'])
    assert entries(p, 'otherMailbox') == [('A@X', ACTION_REMOVE)]


def test_case_insensitive_set_dedupes_by_case():
    p = make_plan({}, {'set': {'otherMailbox': ['A@X', 'a@x']}}, ['otherMailbox'])
    assert entries(p, 'otherMailbox') == [('A@X', ACTION_REPLACE)]


def test_case_insensitive_only_applies_to_named_attributes():
    p = make_plan({'mail': ['A@X'], 'title': ['Boss']}, {'set': {'mail': 'a@x', 'title': 'BOSS'}}, ['mail'])
    assert list(p.payload()) == ['title']


# -- types ---------------------------------------------------------------------------------------------------------

def test_integers_become_strings():
    p = make_plan({'employeeNumber': ['41']}, {'set': {'employeeNumber': 42}})
    assert entries(p, 'employeeNumber') == [('42', ACTION_REPLACE)]
    assert not make_plan({'employeeNumber': ['42']}, {'set': {'employeeNumber': 42}})
    assert not make_plan({'otherTelephone': ['1', '2']}, {'set': {'otherTelephone': [2, 1]}})


@pytest.mark.parametrize('value, kind', [
    (True, 'boolean'), (False, 'boolean'), ({'a': 1}, 'dict'), (1.5, 'float'), ([True], 'boolean'),
    ([['nested']], 'list'),
])
def test_unsupported_types_are_refused_with_quote_advice(value, kind):
    with pytest.raises(SpecError) as err:
        normalize_spec({'set': {'title': value}})
    assert 'attributes.set.title' in str(err.value)
    assert kind in str(err.value)
    assert 'quote' in str(err.value)


@pytest.mark.parametrize('operation', ['add', 'remove'])
@pytest.mark.parametrize('empty', [None, '', [], ['']])
def test_add_and_remove_need_values(operation, empty):
    with pytest.raises(SpecError, match='attributes.%s.proxyAddresses: needs at least one non-empty value' % operation):
        normalize_spec({operation: {'proxyAddresses': empty}})


# -- conflicts and names -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize('attributes', [
    {'set': {'mail': 'a'}, 'add': {'mail': 'b'}},
    {'set': {'mail': 'a'}, 'remove': {'Mail': 'b'}},
    {'add': {'mail': 'b'}, 'set': {'MAIL': 'a'}},
])
def test_same_attribute_in_set_and_add_or_remove_is_an_error(attributes):
    with pytest.raises(SpecError, match='in attributes.set and in attributes.add/remove'):
        normalize_spec(attributes)


def test_same_value_added_and_removed_is_an_error():
    with pytest.raises(SpecError, match="'proxyAddresses' both adds and removes 'smtp:a'"):
        normalize_spec({'add': {'proxyAddresses': ['smtp:a', 'smtp:b']}, 'remove': {'proxyAddresses': 'smtp:a'}})


def test_same_value_added_and_removed_by_case_with_case_insensitive_attribute():
    with pytest.raises(SpecError, match='both adds and removes'):
        normalize_spec({'add': {'mail': 'A'}, 'remove': {'mail': 'a'}}, ['mail'])
    # exact comparison: different values, no conflict
    assert normalize_spec({'add': {'mail': 'A'}, 'remove': {'mail': 'a'}})


def test_same_attribute_twice_by_case_is_an_error():
    with pytest.raises(SpecError, match='name the same attribute'):
        normalize_spec({'set': {'mail': 'a', 'MAIL': 'b'}})


@pytest.mark.parametrize('name', ['', 'has space', '1abc', 'a_b', 'mail;binary', 'ü', '-x', '1.'])
def test_invalid_attribute_names(name):
    with pytest.raises(SpecError, match='is not a valid attribute name'):
        normalize_spec({'set': {name: 'v'}})


@pytest.mark.parametrize('name', ['mail', 'extensionAttribute1', 'msDS-cloudExtensionAttribute1', '2.5.4.3'])
def test_valid_attribute_names(name):
    assert normalize_spec({'set': {name: 'v'}}).attribute_names() == [name]


def test_invalid_case_insensitive_attribute_name():
    with pytest.raises(SpecError, match='case_insensitive_attributes'):
        normalize_spec({}, ['bad name'])


def test_unknown_operation_and_wrong_shape():
    with pytest.raises(SpecError, match='unknown key'):
        normalize_spec({'replace': {'mail': 'a'}})
    with pytest.raises(SpecError, match='must be a dictionary'):
        normalize_spec({'set': ['mail']})


# -- empty plans and purity --------------------------------------------------------------------------------------------------

def test_empty_spec_gives_empty_plan():
    spec = normalize_spec({})
    assert spec.is_empty()
    p = plan({'mail': ['a']}, spec)
    assert not p
    assert p.payload() == {}
    assert p.diff() == {'before': {}, 'after': {}}
    assert p.to_list() == []


def test_plan_does_not_modify_its_inputs():
    current = {'proxyAddresses': ['SMTP:a', 'smtp:b']}
    attributes = {'set': {'proxyAddresses': ['SMTP:a']}, 'add': {'mail': ['m']}}
    spec = normalize_spec(attributes)
    plan(current, spec)
    plan(current, spec)
    assert current == {'proxyAddresses': ['SMTP:a', 'smtp:b']}
    assert attributes == {'set': {'proxyAddresses': ['SMTP:a']}, 'add': {'mail': ['m']}}


def test_diff_restricted_to_names():
    p = make_plan({}, {'set': {'mail': 'a', 'title': 't'}})
    assert p.diff(['MAIL']) == {'before': {'mail': []}, 'after': {'mail': ['a']}}


def test_current_values_matches_case_insensitively():
    assert current_values({'Mail': ['a']}, 'mail') == ['a']
    assert current_values({'Mail': None}, 'mail') == []
    assert current_values(None, 'mail') == []


# -- sensitive attributes: hidden in every view, sent unchanged ---------------------------------

def test_hide_counts_values_and_marks_changes():
    assert hide([]) == []
    assert hide(['a']) == ['<hidden: 1 value>']
    assert hide(['a', 'b'], changed=True) == ['<hidden: 2 values, changed>']


def test_sensitive_attribute_is_hidden_in_plan_and_diff_and_sent_as_is():
    spec = normalize_spec({'set': {'Info': 'new'}, 'add': {'pager': 'p2'}, 'remove': {'mobile': 'm1'}},
                          sensitive_attributes=['info', 'MOBILE'])
    p = plan({'info': ['old'], 'pager': ['p1'], 'mobile': ['m1', 'm2']}, spec)
    assert p.payload() == {'Info': [{'Value': 'new', 'Action': ACTION_REPLACE}],
                           'pager': [{'Value': 'p2', 'Action': ACTION_ADD}],
                           'mobile': [{'Value': 'm1', 'Action': ACTION_REMOVE}]}
    assert p.diff() == {'before': {'Info': ['<hidden: 1 value>'], 'pager': ['p1'], 'mobile': ['<hidden: 2 values>']},
                        'after': {'Info': ['<hidden: 1 value, changed>'], 'pager': ['p1', 'p2'],
                                  'mobile': ['<hidden: 1 value, changed>']}}
    listed = dict((c['attribute'], c) for c in p.to_list())
    assert listed['mobile']['remove'] == ['<hidden: 1 value>']
    assert listed['pager']['add'] == ['p2']
    assert 'old' not in repr(p.to_list()) and 'new' not in repr(p.to_list()) and 'm1' not in repr(p.to_list())
    assert spec.shown('INFO', ['x', 'y']) == ['<hidden: 2 values>']
    assert spec.shown('pager', ['b', 'a']) == ['a', 'b']


def test_sensitive_attribute_names_are_validated():
    with pytest.raises(SpecError, match='sensitive_attributes'):
        normalize_spec({'set': {'info': 'x'}}, sensitive_attributes=['bad name'])
