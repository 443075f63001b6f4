# -*- coding: utf-8 -*-
# Copyright: (c) 2026, groupid.groupid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The attribute planner: pure functions, no I/O.

PRIVATE to the groupid.groupid collection; no compatibility promise for other users.

``normalize_spec`` validates the user's ``attributes`` option and turns it into a
:class:`Spec`; ``plan`` compares a contact's current attributes with a Spec and returns
a :class:`Plan` holding, for each attribute that has to change, the values before and
after and the wire entries (value, action) that get it there. Check mode, the real run
and the diff all come from the same Plan.
"""

from __future__ import annotations

import re

# The Data Service's attribute action codes, in one place.
# 0 is the only code in the published update samples (it sets a single value).
# 1 and 2 are INFERRED from decompiled GroupID code (reference section 4): 1 appends a
# value, 2 removes a value. Multi-valued changes are therefore always sent as 1/2 deltas
# and a clear as the removal of every current value, which is right whether 0 means
# "replace the attribute" or "leave unflagged values alone".
ACTION_REPLACE = 0
ACTION_ADD = 1
ACTION_REMOVE = 2

OPERATIONS = ('set', 'add', 'remove')

# An LDAP attribute description without options (RFC 4512 section 2.5): a descriptor
# (keystring) or a numeric OID.
_ATTRIBUTE_NAME = re.compile(r'^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)+)$')


class SpecError(ValueError):
    """A user input problem; the message names the option and what is wrong."""


class Spec:
    """The validated desired state: per attribute (keyed by lower-case name)."""

    def __init__(self):
        self.names = {}          # key -> the user's spelling
        self.set = {}            # key -> list of values (deduplicated)
        self.add = {}
        self.remove = {}
        self.case_insensitive = set()   # keys
        self.sensitive = set()          # keys whose values never appear in results or diffs

    def keys(self):
        """Every managed attribute's key, in the user's order."""
        return list(self.names)

    def attribute_names(self):
        """Every managed attribute in the user's spelling."""
        return [self.names[k] for k in self.names]

    def is_empty(self):
        return not self.names

    def shown(self, name, values, changed=False):
        """``values`` of attribute ``name`` as results and diffs show them: sorted, or hidden when sensitive."""
        if name.lower() not in self.sensitive:
            return sorted(values)
        return hide(values, changed)


def hide(values, changed=False):
    """The stand-in for the values of a sensitive attribute: how many there are, never what they are."""
    if not values:
        return []
    return ['<hidden: %d value%s%s>' % (len(values), '' if len(values) == 1 else 's', ', changed' if changed else '')]


class AttributeChange:
    """One attribute's change: before/after values and the entries to send."""

    def __init__(self, name, operation, before, after, entries, sensitive=False):
        self.name = name
        self.operation = operation
        self.before = before
        self.after = after
        self.entries = entries      # list of (value, action)
        self.sensitive = sensitive  # values hidden in to_dict() and in the diff

    def show(self, values, changed=False):
        """``values`` as results and diffs show them: sorted, or hidden when the attribute is sensitive."""
        return hide(values, changed) if self.sensitive else sorted(values)

    def to_dict(self):
        return {
            'attribute': self.name,
            'operation': self.operation,
            'before': self.show(self.before),
            'after': self.show(self.after, changed=True),
            'add': self.show([v for v, a in self.entries if a == ACTION_ADD]),
            'remove': self.show([v for v, a in self.entries if a == ACTION_REMOVE]),
            'replace': self.show([v for v, a in self.entries if a == ACTION_REPLACE]),
        }


class Plan:
    """The result of :func:`plan`: ordered attribute changes."""

    def __init__(self, changes):
        self.changes = changes

    def __bool__(self):
        return bool(self.changes)

    __nonzero__ = __bool__

    def payload(self):
        """``AttributesCollection`` for the PATCH body, in the documented Value/Action form."""
        return dict(
            (c.name, [{'Value': value, 'Action': action} for value, action in c.entries])
            for c in self.changes
        )

    def to_list(self):
        return [c.to_dict() for c in self.changes]

    def diff(self, names=None):
        """before/after of the changed attributes, values sorted.

        ``names``: restrict to these attribute names (for example the ones applied).
        """
        wanted = None if names is None else set(n.lower() for n in names)
        before = {}
        after = {}
        for change in self.changes:
            if wanted is not None and change.name.lower() not in wanted:
                continue
            before[change.name] = change.show(change.before)
            after[change.name] = change.show(change.after, changed=True)
        return {'before': before, 'after': after}


def _as_text(value, where):
    """One attribute value as text; ints become strings, other types are refused."""
    if isinstance(value, bool):
        raise SpecError(
            "%s: %r is a boolean; attribute values are strings, quote the value (for example 'TRUE' or 'FALSE')"
            % (where, value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    raise SpecError(
        "%s: a value of type %s is not supported; attribute values are strings (or integers), quote the value"
        % (where, type(value).__name__))


def _as_values(value, where, allow_clear):
    """A scalar or list option value as a list of strings ([] means clear)."""
    if value is None:
        values = []
    elif isinstance(value, (list, tuple)):
        values = [_as_text(v, '%s[%d]' % (where, i)) for i, v in enumerate(value) if not (allow_clear and v is None)]
    else:
        values = [_as_text(value, where)]
    if allow_clear:
        return [v for v in values if v != '']
    if not values or '' in values:
        raise SpecError('%s: needs at least one non-empty value' % where)
    return values


def _key_func(case_insensitive):
    if case_insensitive:
        return lambda v: v.casefold()
    return lambda v: v


def _dedupe(values, key):
    seen = set()
    result = []
    for value in values:
        k = key(value)
        if k not in seen:
            seen.add(k)
            result.append(value)
    return result


def validate_attribute_name(name, where):
    """Raise SpecError unless ``name`` is an LDAP attribute name."""
    if not isinstance(name, str) or not _ATTRIBUTE_NAME.match(name):
        raise SpecError(
            '%s: %r is not a valid attribute name (letters, digits and hyphens, starting with a letter, or a numeric OID)'
            % (where, name))


def normalize_spec(attributes, case_insensitive_attributes=None, sensitive_attributes=None):
    """Validate the ``attributes`` option and return a :class:`Spec`.

    ``attributes`` is a dict with optional ``set``, ``add`` and ``remove`` keys, each a
    dict of attribute name -> value or list of values.
    """
    spec = Spec()
    attributes = attributes or {}
    for option, names, keys in (('case_insensitive_attributes', case_insensitive_attributes, spec.case_insensitive),
                                ('sensitive_attributes', sensitive_attributes, spec.sensitive)):
        for name in names or []:
            validate_attribute_name(name, option)
            keys.add(name.lower())
    unknown = sorted(set(attributes) - set(OPERATIONS))
    if unknown:
        raise SpecError('attributes: unknown key(s) %s; use set, add or remove' % ', '.join(unknown))
    for operation in OPERATIONS:
        entries = attributes.get(operation)
        if entries is None:
            continue
        if not isinstance(entries, dict):
            raise SpecError('attributes.%s: must be a dictionary of attribute name to value(s), got %s'
                            % (operation, type(entries).__name__))
        target = getattr(spec, operation)
        for name, value in entries.items():
            where = 'attributes.%s.%s' % (operation, name)
            validate_attribute_name(name, 'attributes.%s' % operation)
            key = name.lower()
            if key in target:
                raise SpecError('attributes.%s: %r and %r name the same attribute (names are case-insensitive)'
                                % (operation, spec.names[key], name))
            if operation == 'set' and (key in spec.add or key in spec.remove) or \
                    operation != 'set' and key in spec.set:
                raise SpecError(
                    "attributes: %r is in attributes.set and in attributes.add/remove; use set alone for the"
                    " exact values, or add/remove alone" % name)
            values = _as_values(value, where, allow_clear=(operation == 'set'))
            compare = _key_func(key in spec.case_insensitive)
            target[key] = _dedupe(values, compare)
            spec.names.setdefault(key, name)
    for key in set(spec.add) & set(spec.remove):
        compare = _key_func(key in spec.case_insensitive)
        both = set(compare(v) for v in spec.add[key]) & set(compare(v) for v in spec.remove[key])
        if both:
            raise SpecError('attributes: %r both adds and removes %s'
                            % (spec.names[key], ', '.join(sorted(repr(v) for v in both))))
    return spec


def current_values(current, name):
    """The values of ``name`` in a current-attributes dict, matching names case-insensitively."""
    key = name.lower()
    for attr, values in (current or {}).items():
        if attr.lower() == key:
            return list(values or [])
    return []


def _entries_for_set(before, desired, compare):
    """Entries that turn ``before`` into exactly ``desired`` (deduplicated lists)."""
    before_keys = set(compare(v) for v in before)
    desired_keys = set(compare(v) for v in desired)
    if not desired:
        return [(v, ACTION_REMOVE) for v in before]
    if len(desired) == 1 and len(before) <= 1:
        # The documented form: one value with action 0.
        return [(desired[0], ACTION_REPLACE)]
    entries = [(v, ACTION_ADD) for v in desired if compare(v) not in before_keys]
    entries += [(v, ACTION_REMOVE) for v in before if compare(v) not in desired_keys]
    return entries


def plan(current, spec):
    """Compare ``current`` (attribute name -> list of strings) with ``spec``.

    Returns a :class:`Plan` with one :class:`AttributeChange` per attribute that
    differs, in the user's order. Pure: reads its arguments, changes nothing.
    """
    changes = []
    for key in spec.keys():
        name = spec.names[key]
        compare = _key_func(key in spec.case_insensitive)
        before = current_values(current, name)
        before_keys = set(compare(v) for v in before)
        if key in spec.set:
            desired = spec.set[key]
            if set(compare(v) for v in desired) == before_keys:
                continue
            entries = _entries_for_set(before, desired, compare)
            if entries and entries[0][1] == ACTION_REPLACE:
                after = list(desired)
            else:
                # Kept values stay as the server holds them (spelling of case-insensitive values included).
                desired_keys = set(compare(v) for v in desired)
                after = [v for v in before if compare(v) in desired_keys]
                after += [v for v in desired if compare(v) not in before_keys]
            operation = 'set' if desired else 'clear'
        else:
            to_add = [v for v in spec.add.get(key, []) if compare(v) not in before_keys]
            remove_keys = set(compare(v) for v in spec.remove.get(key, []))
            # Remove the values as the server holds them (their spelling may differ
            # when the attribute is case-insensitive).
            to_remove = [v for v in before if compare(v) in remove_keys]
            if not to_add and not to_remove:
                continue
            entries = [(v, ACTION_ADD) for v in to_add] + [(v, ACTION_REMOVE) for v in to_remove]
            removed = set(compare(v) for v in to_remove)
            after = [v for v in before if compare(v) not in removed] + to_add
            operation = 'update'
        changes.append(AttributeChange(name, operation, before, after, entries, sensitive=key in spec.sensitive))
    return Plan(changes)
