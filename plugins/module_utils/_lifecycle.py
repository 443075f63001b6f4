# -*- coding: utf-8 -*-
# Copyright: (c) 2026, groupid.groupid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Creating and deleting contacts (state present/absent of groupid_contact).

PRIVATE to the groupid.groupid collection; no compatibility promise for other users.
"""

from __future__ import annotations

from ansible_collections.groupid.groupid.plugins.module_utils._client import GroupIDError
from ansible_collections.groupid.groupid.plugins.module_utils._contact import STATUS_SUCCESS, ContactNotFound
from ansible_collections.groupid.groupid.plugins.module_utils._identity import dn_key
from ansible_collections.groupid.groupid.plugins.module_utils._planner import ACTION_REPLACE, current_values

CREATE_ACTION = ACTION_REPLACE   # the published create sample sends every value with action 0


def _envelope_status(envelope):
    top = dict((str(k).lower(), v) for k, v in (envelope or {}).items()) if isinstance(envelope, dict) else {}
    return top.get('status', STATUS_SUCCESS), top.get('message'), top.get('data')


def create_payload(name, spec):
    """``attributesCollection`` of a create: CN, objectClass contact, and the set/add values."""
    collection = {
        'CN': [{'value': name, 'action': CREATE_ACTION}],
        'objectClass': [{'value': 'contact', 'action': CREATE_ACTION}],
    }
    for key in spec.keys():
        values = spec.set.get(key) or spec.add.get(key) or []
        if values:
            collection[spec.names[key]] = [{'value': v, 'action': CREATE_ACTION} for v in values]
    return collection


def check_placement(current, name, container, identity):
    """Refuse a rename or a move: the found contact must have this CN and container."""
    errors = []
    cn = current_values(current, 'CN')
    if name is not None and cn and cn[0].lower() != name.lower():
        errors.append('its name (CN) is %r, not %r' % (cn[0], name))
    parent = current_values(current, 'container')
    if container is not None and parent and dn_key(parent[0]) != dn_key(container):
        errors.append('its container is %r, not %r' % (parent[0], container))
    if errors:
        raise GroupIDError('Contact %r exists but %s. Renaming or moving a contact is not supported: fix name or'
                           ' container, or use the identity of another contact.' % (identity, ' and '.join(errors)))


# ``known`` of ensure_present/ensure_absent: the contact as already read, (object id, current attributes),
# or None when a read found no such contact; UNREAD makes them read it themselves.
UNREAD = object()


def _lookup(converger, identity, known):
    """(object id, current attributes) of the contact; ContactNotFound when there is none."""
    if known is UNREAD:
        return converger.read(identity)
    if known is None:
        raise ContactNotFound('Contact %r was not found in identity store %s.'
                              % (identity, converger.client.identity_store_id), status=404)
    converger.protect_current(known[1])
    return known


def ensure_present(converger, identity, name=None, container=None, known=UNREAD):
    """Converge an existing contact, or create it when name and container are given."""
    try:
        object_id, current = _lookup(converger, identity, known)
    except ContactNotFound as exc:
        if name is None or container is None:
            raise ContactNotFound('%s To create it, give name (its CN) and container (the DN of its parent OU).'
                                  % exc, status=404) from exc
        return _create(converger, name, container)
    check_placement(current, name, container, identity)
    result = converger.converge(identity, current=current, object_id=object_id)
    result['created'] = False
    return result


def _create(converger, name, container):
    spec = converger.spec
    payload = create_payload(name, spec)
    values = dict((k, [e['value'] for e in v]) for k, v in payload.items())
    result = {
        'changed': True, 'failed': False, 'created': True, 'plan': [], 'results': [],
        'diff': {'before': {}, 'after': dict((k, spec.shown(k, v, changed=True)) for k, v in values.items())},
        'contact': {'object_id': None, 'attributes': converger.managed_view(values)},
        'msg': 'contact would be created' if converger.check_mode else 'contact created',
    }
    if converger.check_mode:
        return result
    envelope = converger.client.create_contact(container, payload)
    status, message, object_id = _envelope_status(envelope)
    if status != STATUS_SUCCESS or not object_id:
        raise GroupIDError('Creating contact %r in %r failed: status %s: %s'
                           % (name, container, status, message or 'no message and no new object id'))
    result['contact']['object_id'] = object_id
    # Read the new contact back and send what the create could not carry (nothing, normally).
    try:
        _oid, current = converger.read(object_id)
    except ContactNotFound:
        converger.warn('The new contact %s could not be read back yet (the server may not have replicated it);'
                       ' assuming the create applied every value.' % object_id)
        return result
    rest = converger.converge(object_id, current=current, object_id=object_id)
    result['plan'] = rest['plan']
    result['results'] = rest['results']
    result['contact']['attributes'] = rest['contact']['attributes']
    if rest['failed']:
        result['failed'] = True
        result['msg'] = 'contact created as %s, but %s' % (object_id, rest['msg'])
    return result


def ensure_absent(converger, identity, known=UNREAD):
    """Delete the contact; a contact that is already gone is no change."""
    try:
        object_id, current = _lookup(converger, identity, known)
    except ContactNotFound:
        return {'changed': False, 'failed': False, 'msg': 'contact is absent', 'plan': [], 'results': [],
                'diff': {'before': {}, 'after': {}}, 'contact': None}
    before = dict((k, converger.spec.shown(k, v)) for k, v in current.items() if v)
    result = {'changed': True, 'failed': False, 'plan': [], 'results': [],
              'diff': {'before': before, 'after': {}},
              'contact': {'object_id': object_id, 'attributes': converger.managed_view(current)},
              'msg': 'contact would be deleted' if converger.check_mode else 'contact deleted'}
    if converger.check_mode:
        return result
    envelope = converger.client.delete_contact(object_id)
    if envelope is None:
        result.update(changed=False, msg='contact was deleted by someone else meanwhile',
                      diff={'before': {}, 'after': {}})
        return result
    status, message, _data = _envelope_status(envelope)
    if status != STATUS_SUCCESS:
        raise GroupIDError('Deleting contact %r failed: status %s: %s' % (identity, status, message or 'no message'))
    return result
