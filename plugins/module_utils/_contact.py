# -*- coding: utf-8 -*-
# Copyright: (c) 2026, groupid.groupid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converging one contact: read, plan, apply, and read the server's verdict.

PRIVATE to the groupid.groupid collection; no compatibility promise for other users.
"""

from __future__ import annotations

import random

from ansible_collections.groupid.groupid.plugins.module_utils._client import (
    GroupIDError,
    contact_attributes,
)
from ansible_collections.groupid.groupid.plugins.module_utils._identity import contact_dn, identity_key
from ansible_collections.groupid.groupid.plugins.module_utils._planner import plan as make_plan, current_values

STATUS_SUCCESS = 0
# INFERRED (reference section 5): 3 is a non-failure information status in decompiled
# GroupID code; the simulator uses it for a change held for approval.
STATUS_PENDING = 3


class ContactNotFound(GroupIDError):
    """The contact does not exist."""


class UpdateOutcome:
    """What the server said about one PATCH."""

    def __init__(self, results, applied, failed, pending, top_status, top_message):
        self.results = results        # [{name, status, message}]
        self.applied = applied        # names
        self.failed = failed          # [{name, status, message}]
        self.pending = pending        # [{name, status, message}]
        self.top_status = top_status
        self.top_message = top_message


def _lower_keys(obj):
    return dict((str(k).lower(), v) for k, v in obj.items()) if isinstance(obj, dict) else {}


def interpret_update(envelope, sent_names):
    """Turn the update response envelope into per-attribute outcomes.

    An attribute counts as applied only when its detail has status 0. A sent attribute
    without a detail is applied when the top-level status is 0 (the envelope covers it),
    and failed otherwise.
    """
    top = _lower_keys(envelope)
    if not top:
        raise GroupIDError('The update response is not the documented result object: %r' % (envelope,))
    top_status = top.get('status', STATUS_SUCCESS)
    top_message = top.get('message')
    by_exception = _lower_keys(top.get('exceptionmessagesattributewise'))
    details = {}
    for detail in top.get('details') or []:
        detail = _lower_keys(detail)
        if detail.get('name') is not None:
            details.setdefault(str(detail['name']).lower(), detail)
    results, applied, failed, pending = [], [], [], []
    for name in sent_names:
        detail = details.get(name.lower())
        if detail is None:
            status = top_status
            message = top_message or ('no per-attribute status in the response; the overall status was %s' % top_status)
        else:
            status = detail.get('status', STATUS_SUCCESS)
            message = detail.get('message') or by_exception.get(name.lower())
        entry = {'name': name, 'status': status, 'message': message}
        results.append(entry)
        if status == STATUS_SUCCESS:
            applied.append(name)
        elif status == STATUS_PENDING:
            pending.append(entry)
        else:
            failed.append(entry)
    if top_status not in (STATUS_SUCCESS, STATUS_PENDING) and not failed:
        # The envelope failed without saying which attribute: nothing can be trusted as applied.
        failed = [{'name': n, 'status': top_status, 'message': top_message} for n in applied]
        for entry in results:
            if entry['status'] == STATUS_SUCCESS:
                entry['status'] = top_status
                entry['message'] = top_message or 'the overall status of the update was %s' % top_status
        applied = []
    return UpdateOutcome(results, applied, failed, pending, top_status, top_message)


class ContactConverger:
    """Read a contact, plan against a Spec and, unless in check mode, apply the plan."""

    def __init__(self, client, spec, check_mode=False, warn=None, sleep=None, protect=None):
        self.client = client
        self.spec = spec
        self.check_mode = check_mode
        self.warn = warn or (lambda msg: None)
        self.sleep = sleep or client.sleep
        # protect(values): called with the current values of sensitive attributes as they are read,
        # so that the module masks them wherever they might appear (a server message, say).
        self.protect = protect or (lambda values: None)

    def read(self, identity):
        """(object id, current attributes) of the contact; ContactNotFound when absent."""
        contact = self.client.get_contact(identity, self.spec.attribute_names())
        if contact is None:
            raise ContactNotFound(
                'Contact %r was not found in identity store %s (HTTP 404 from %s).'
                % (identity, self.client.identity_store_id, self.client.data_url('Contacts', identity)),
                status=404)
        object_id = _lower_keys(contact).get('objectidfromidentitystore') or identity
        current = contact_attributes(contact)
        self.protect_current(current)
        return object_id, current

    def protect_current(self, current):
        """Hand the current values of the sensitive attributes to ``protect``."""
        secret = set()
        for key in self.spec.sensitive:
            secret.update(current_values(current, key))
        if secret:
            self.protect(secret)

    def managed_view(self, current):
        """The managed attributes, in the user's spelling, as sorted lists (sensitive ones hidden)."""
        return dict((name, self.spec.shown(name, current_values(current, name))) for name in self.spec.attribute_names())

    def converge(self, identity, current=None, object_id=None):
        """Return a result dict: changed, failed, msg, contact, plan, results, diff."""
        if current is None:
            object_id, current = self.read(identity)
        else:
            self.protect_current(current)
        plan = make_plan(current, self.spec)
        result = {
            'changed': bool(plan), 'failed': False, 'msg': '',
            'plan': plan.to_list(), 'results': [], 'diff': plan.diff(),
            'contact': {'object_id': object_id, 'attributes': self.managed_view(current)},
        }
        if not plan or self.check_mode:
            result['msg'] = ('%d attribute(s) would change' % len(plan.changes)) if plan else 'contact is converged'
            result['contact']['attributes'] = self.managed_view(_replace(current, plan.changes))
            return result
        return self._apply(identity, object_id, current, plan, result)

    def _send_until_answered(self, identity, object_id, plan):
        """PATCH the plan; after a lost answer, re-read and send only what still differs.

        Returns (envelope or None, the plan last sent, names confirmed by re-reading).
        A PATCH is never resent blindly: an add could be applied twice and a remove
        could hit a value that changed in between.
        """
        confirmed = []
        attempt = 0
        while True:
            try:
                return self.client.update_contact(object_id or identity, plan.payload()), plan, confirmed
            except GroupIDError as exc:
                if not exc.transient or attempt >= self.client.retries:
                    raise
                attempt += 1
                self.warn('update of contact %s did not complete (%s); reading it again and sending only what still'
                          ' differs (attempt %d of %d)' % (identity, exc, attempt, self.client.retries))
                self.sleep(random.uniform(0.25, 0.5) * (2 ** attempt))
                object_id, now = self.read(identity)
                remaining = make_plan(now, self.spec)
                still = set(c.name.lower() for c in remaining.changes)
                confirmed += [c.name for c in plan.changes if c.name.lower() not in still]
                if not remaining:
                    return None, remaining, confirmed
                plan = remaining

    def _apply(self, identity, object_id, current, plan, result):
        envelope, sent, confirmed = self._send_until_answered(identity, object_id, plan)
        outcome = UpdateOutcome([], [], [], [], STATUS_SUCCESS, None)
        if envelope is not None:
            outcome = interpret_update(envelope, [c.name for c in sent.changes])
        for name in confirmed:
            outcome.results.append({'name': name, 'status': STATUS_SUCCESS,
                                    'message': 'applied; confirmed by reading the contact again'})
            outcome.applied.append(name)
        applied_keys = set(n.lower() for n in outcome.applied)
        result['results'] = outcome.results
        result['changed'] = bool(outcome.applied)
        result['applied'] = list(outcome.applied)
        result['contact']['attributes'] = self.managed_view(
            _replace(current, [c for c in plan.changes if c.name.lower() in applied_keys]))
        result['diff'] = plan.diff(outcome.applied)
        if not outcome.failed and not outcome.pending:
            result['msg'] = '%d attribute(s) changed' % len(outcome.applied)
            return result
        result['failed'] = True
        parts = []
        if outcome.failed:
            parts.append('the server refused %s' % '; '.join(
                '%s (status %s: %s)' % (f['name'], f['status'], f['message'] or 'no message') for f in outcome.failed))
        if outcome.pending:
            parts.append('held for approval, not applied yet: %s' % '; '.join(
                '%s (%s)' % (p['name'], p['message'] or 'status %s' % p['status']) for p in outcome.pending))
        result['failed_attributes'] = [f['name'] for f in outcome.failed]
        result['pending_attributes'] = [p['name'] for p in outcome.pending]
        result['msg'] = 'Update of contact %s incomplete: %s. Applied: %s.' % (
            identity, '; '.join(parts), ', '.join(outcome.applied) or 'nothing')
        return result


def _replace(current, changes):
    """A copy of ``current`` with the after-values of ``changes``."""
    after = dict(current)
    for change in changes:
        for key in [k for k in after if k.lower() == change.name.lower()]:
            del after[key]
        after[change.name] = list(change.after)
    return after


def describe_contact(contact):
    """A contact object as {object_id, dn, attributes} (dn from CN and container when present)."""
    attributes = contact_attributes(contact)
    object_id = _lower_keys(contact).get('objectidfromidentitystore')
    cn = current_values(attributes, 'CN')
    container = current_values(attributes, 'container')
    dn = contact_dn(cn[0], container[0]) if cn and container else None
    return {'object_id': object_id, 'dn': dn, 'attributes': attributes}


def read_many(client, identities, attributes, chunk_size):
    """Read contacts with Get Contacts in chunks.

    Returns ({requested identity: {identity, object_id, dn, attributes}}, [missing identities]).
    Identities that name the same contact (GUID case or braces, DN case) are asked for once.
    """
    unique = []
    seen = set()
    for identity in identities:
        key = identity_key(identity)
        if key not in seen:
            seen.add(key)
            unique.append(identity)
    by_key = {}
    for start in range(0, len(unique), chunk_size):
        for contact in client.get_contacts(unique[start:start + chunk_size], attributes):
            entry = describe_contact(contact)
            for value in (entry['object_id'], entry['dn']):
                if value:
                    by_key[identity_key(value)] = entry
    found = {}
    missing = []
    for identity in identities:
        entry = by_key.get(identity_key(identity))
        if entry is None:
            if identity not in missing:
                missing.append(identity)
        else:
            found[identity] = dict(entry, identity=identity)
    return found, missing
