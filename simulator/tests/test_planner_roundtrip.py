"""The collection's planner against the simulator's own update code (hypothesis).

tests/unit/.../test_planner_properties.py checks the planner against a small model of the
server written into that test. This test closes the loop with the real thing: for random
contacts and random set/add/remove specifications, the planner's PATCH payload goes through
the simulator's ``Directory.update`` (the code that answers the integration tests and the
demo), and then:

- every attribute of the update is reported applied (status 0);
- the contact read back through ``Directory.read`` (the Get Contact shape) satisfies the spec;
- planning again against that read gives nothing (idempotence);
- the plan's diff is the real before/after of the changed attributes.
"""

from __future__ import annotations

import importlib.util
import os

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from groupid_sim.state import Directory

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _load_planner():
    # The planner is pure Python with no imports from Ansible, so it loads from its file as it is shipped.
    path = os.path.join(ROOT, 'plugins', 'module_utils', '_planner.py')
    spec = importlib.util.spec_from_file_location('groupid_planner_under_test', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


planner = _load_planner()

STORE = 2
OBJECT_ID = '0d6f2a7e-1111-4c3b-9a55-3e0a7c0f0001'
MULTI = ['proxyAddresses', 'otherTelephone', 'url']
SINGLE = ['department', 'title']
VALUES = st.sampled_from(['a', 'A', 'b', 'B', 'smtp:x', 'SMTP:x', '1', 'Zoë'])


def spellings(name):
    return st.sampled_from([name, name.upper(), name.lower()])


@st.composite
def contacts(draw):
    """A contact's managed attributes as the directory holds them (a value once per attribute)."""
    attributes = {}
    for name in draw(st.lists(st.sampled_from(MULTI), unique=True)):
        attributes[draw(spellings(name))] = list(dict.fromkeys(draw(st.lists(VALUES, max_size=4))))
    for name in draw(st.lists(st.sampled_from(SINGLE), unique=True)):
        attributes[draw(spellings(name))] = [draw(VALUES)]
    return attributes


@st.composite
def specifications(draw):
    """set/add/remove for multi-valued attributes; set of at most one value for single-valued ones."""
    attributes = {'set': {}, 'add': {}, 'remove': {}}
    for name in draw(st.lists(st.sampled_from(MULTI), unique=True)):
        spelled = draw(spellings(name))
        kinds = draw(st.sampled_from([('set',), ('add',), ('remove',), ('add', 'remove')]))
        for kind in kinds:
            attributes[kind][spelled] = draw(st.lists(VALUES, max_size=3))
    for name in draw(st.lists(st.sampled_from(SINGLE), unique=True)):
        attributes['set'][draw(spellings(name))] = draw(st.one_of(st.none(), st.just(''), VALUES))
    case_insensitive = draw(st.lists(st.sampled_from(MULTI + SINGLE), unique=True, max_size=2))
    return attributes, case_insensitive


def directory_with(attributes):
    contact = {'object_id': OBJECT_ID, 'container': 'OU=Props,DC=groupid,DC=lab',
               'attributes': dict(attributes, CN=['Property Contact'])}
    return Directory({'identity_stores': [{'id': STORE, 'contacts': [contact]}]})


def read(directory, names):
    """The Get Contact answer as name -> values, the way the modules read it."""
    body = directory.read(STORE, OBJECT_ID, names)
    collection = body['attributesBusinessObject']['attributesCollection']
    return dict((name, [entry['value'] for entry in entries]) for name, entries in collection.items())


def keyed(values, insensitive):
    return set(v.casefold() if insensitive else v for v in values)


@settings(max_examples=300, deadline=None)
@given(contacts(), specifications())
def test_plan_applied_by_the_simulator_converges(attributes, specification):
    user_attributes, case_insensitive = specification
    try:
        spec = planner.normalize_spec(user_attributes, case_insensitive)
    except planner.SpecError:
        assume(False)
        raise  # not reached: assume(False) raises
    assume(not spec.is_empty())
    directory = directory_with(attributes)
    names = spec.attribute_names()
    before = read(directory, names)
    first = planner.plan(before, spec)

    if first:
        answer = directory.update(STORE, OBJECT_ID, first.payload())
        assert answer['status'] == 0, answer
        assert [d['status'] for d in answer['details']] == [0] * len(first.changes), answer
    after = read(directory, names)

    for key in spec.keys():
        insensitive = key in spec.case_insensitive
        name = spec.names[key]
        now = keyed(planner.current_values(after, name), insensitive)
        then = keyed(planner.current_values(before, name), insensitive)
        if key in spec.set:
            assert now == keyed(spec.set[key], insensitive)
        else:
            assert keyed(spec.add.get(key, []), insensitive) <= now
            assert not keyed(spec.remove.get(key, []), insensitive) & now
            assert then - keyed(spec.remove.get(key, []), insensitive) <= now

    assert not planner.plan(after, spec), 'a second run would change something'

    diff = first.diff()
    for change in first.changes:
        assert diff['before'][change.name] == sorted(planner.current_values(before, change.name))
        assert diff['after'][change.name] == sorted(planner.current_values(after, change.name))
    for name in names:
        if name not in diff['before']:
            assert sorted(planner.current_values(after, name)) == sorted(planner.current_values(before, name))
