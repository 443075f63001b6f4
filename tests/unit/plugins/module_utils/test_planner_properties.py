# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property-based tests of the planner (hypothesis).

For random current states and random set/add/remove specifications, applying the plan
with the server's action semantics (the simulator's: 0 replaces the attribute with the
action-0 values, 1 adds a value, 2 removes a value, values compared exactly) gives a state
that satisfies the specification; planning again gives nothing; and the diff is the real
before/after.
"""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ansible_collections.groupid.groupid.plugins.module_utils._planner import (
    ACTION_ADD,
    ACTION_REMOVE,
    ACTION_REPLACE,
    SpecError,
    current_values,
    normalize_spec,
    plan,
)

NAMES = ['mail', 'proxyAddresses', 'otherTelephone', 'Title']
VALUES = st.sampled_from(['a', 'A', 'b', 'B', 'smtp:x', 'SMTP:x', '1', '22'])
VALUE_LISTS = st.lists(VALUES, max_size=4)


def server_apply(current, payload):
    """The server's semantics for one PATCH (as the simulator implements them)."""
    state = dict((k, list(v)) for k, v in current.items())
    for name, entries in payload.items():
        key = next((k for k in state if k.lower() == name.lower()), name)
        values = state.get(key, [])
        replace = [e['Value'] for e in entries if e['Action'] == ACTION_REPLACE]
        if replace:
            values = [v for v in replace if v]
        for entry in entries:
            if entry['Action'] == ACTION_ADD and entry['Value'] not in values:
                values.append(entry['Value'])
        removed = set(e['Value'] for e in entries if e['Action'] == ACTION_REMOVE)
        state[key] = [v for v in values if v not in removed]
    return state


@st.composite
def current_states(draw):
    state = {}
    for name in draw(st.lists(st.sampled_from(NAMES), unique=True)):
        # The server keeps a value once per attribute (exact comparison).
        state[draw(st.sampled_from([name, name.upper(), name.lower()]))] = list(dict.fromkeys(draw(VALUE_LISTS)))
    return state


@st.composite
def specifications(draw):
    attributes = {'set': {}, 'add': {}, 'remove': {}}
    for name in draw(st.lists(st.sampled_from(NAMES), unique=True, min_size=1)):
        kind = draw(st.sampled_from(['set', 'add', 'remove', 'add+remove']))
        spelled = draw(st.sampled_from([name, name.lower()]))
        if kind == 'set':
            attributes['set'][spelled] = draw(st.one_of(st.none(), VALUES, VALUE_LISTS))
        if kind in ('add', 'add+remove'):
            attributes['add'][spelled] = draw(st.lists(VALUES, min_size=1, max_size=3))
        if kind in ('remove', 'add+remove'):
            attributes['remove'][spelled] = draw(st.lists(VALUES, min_size=1, max_size=3))
    case_insensitive = draw(st.lists(st.sampled_from(NAMES), unique=True))
    return attributes, case_insensitive


def valid_spec(specification):
    """The normalized spec, or hypothesis discards the example (an invalid spec is an error, tested elsewhere)."""
    attributes, case_insensitive = specification
    try:
        return normalize_spec(attributes, case_insensitive)
    except SpecError:
        assume(False)
        raise  # not reached: assume(False) raises


def keyed(values, insensitive):
    return set(v.casefold() if insensitive else v for v in values)


@settings(max_examples=400, deadline=None)
@given(current_states(), specifications())
def test_applied_plan_satisfies_spec_and_is_idempotent(current, specification):
    spec = valid_spec(specification)
    first = plan(current, spec)
    after = server_apply(current, first.payload())

    for key in spec.keys():
        insensitive = key in spec.case_insensitive
        now = keyed(current_values(after, spec.names[key]), insensitive)
        before = keyed(current_values(current, spec.names[key]), insensitive)
        if key in spec.set:
            assert now == keyed(spec.set[key], insensitive)
        else:
            added = keyed(spec.add.get(key, []), insensitive)
            removed = keyed(spec.remove.get(key, []), insensitive)
            assert added <= now
            assert not removed & now
            assert (before - removed) <= now     # other values stay

    # Idempotence: the converged state needs nothing more.
    assert not plan(after, spec)

    # The diff is the real before/after of exactly the attributes that changed.
    diff = first.diff()
    for change in first.changes:
        assert diff['before'][change.name] == sorted(current_values(current, change.name))
        assert diff['after'][change.name] == sorted(current_values(after, change.name))
    for name in spec.attribute_names():
        if name not in diff['before']:
            assert sorted(current_values(after, name)) == sorted(current_values(current, name))


@settings(max_examples=200, deadline=None)
@given(current_states(), specifications())
def test_no_entry_is_sent_that_changes_nothing(current, specification):
    spec = valid_spec(specification)
    for change in plan(current, spec).changes:
        present = current_values(current, change.name)
        for value, action in change.entries:
            if action == ACTION_ADD:
                assert value not in present
            if action == ACTION_REMOVE:
                assert value in present
        assert change.entries
