# -*- coding: utf-8 -*-
# Copyright: (c) 2026, groupid.groupid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Converging many contacts in one task (groupid_contacts).

PRIVATE to the groupid.groupid collection; no compatibility promise for other users.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.groupid.groupid.plugins.module_utils._client import GroupIDError
from ansible_collections.groupid.groupid.plugins.module_utils._contact import ContactConverger, read_many
from ansible_collections.groupid.groupid.plugins.module_utils._lifecycle import ensure_absent, ensure_present


def _names_of(specs):
    """The union of the managed attribute names, each once (names are case-insensitive)."""
    names = {}
    for spec in specs:
        for name in spec.attribute_names():
            names.setdefault(name.lower(), name)
    return list(names.values())


def _same_contact(entries, found):
    """{identity: message} for entries whose identities turn out to name the same contact (a GUID and a DN, say).

    Their updates would be planned against the same state and could undo each other, so none of them is sent.
    """
    by_object = {}
    for index, entry in enumerate(entries):
        identity = entry[0]
        contact = found.get(identity)
        if contact is not None and contact['object_id']:
            by_object.setdefault(str(contact['object_id']).lower(), []).append((index, identity))
    shared = {}
    for object_id, owners in by_object.items():
        if len(owners) > 1:
            names = ', '.join('contacts[%d] (%s)' % owner for owner in owners)
            for _index, identity in owners:
                shared[identity] = ('%s name the same contact %s; nothing was sent for them. Merge them into one entry.'
                                    % (names, object_id))
    return shared


def _failed(identity, object_id, message):
    return {'identity': identity, 'object_id': object_id, 'changed': False, 'failed': True, 'msg': message,
            'plan': [], 'results': [], 'attributes': {}, 'diff': None, 'created': False, 'deleted': False}


def converge_many(client, entries, check_mode=False, warn=None, chunk_size=100, parallel=1, protect=None):
    """Converge ``entries``; one outcome dict per entry, in order.

    Each entry is (identity, Spec, placement), placement a dict with ``state`` (present or absent) and the
    ``name`` and ``container`` that create a missing contact. Reads happen in chunks of ``chunk_size`` with
    Get Contacts; then each contact that differs gets its own create, update or delete, ``parallel`` at a
    time. A failure of one contact is recorded in its outcome and does not stop the others; a failure of a
    read fails the whole call.
    """
    if client.access_token is None:
        client.login()
    client.use_pool(parallel)
    found = {}
    for start in range(0, len(entries), chunk_size):
        chunk = entries[start:start + chunk_size]
        contacts, _missing = read_many(client, [entry[0] for entry in chunk],
                                       _names_of(entry[1] for entry in chunk), chunk_size)
        found.update(contacts)
    shared = _same_contact(entries, found)

    def one(entry):
        identity, spec, placement = entry
        contact = found.get(identity)
        object_id = contact['object_id'] if contact else None
        if identity in shared:
            return _failed(identity, object_id, shared[identity])
        converger = ContactConverger(client, spec, check_mode=check_mode, warn=warn, protect=protect)
        known = (object_id, contact['attributes']) if contact else None
        try:
            if placement.get('state') == 'absent':
                result = ensure_absent(converger, identity, known=known)
            else:
                result = ensure_present(converger, identity, placement.get('name'), placement.get('container'),
                                        known=known)
        except GroupIDError as exc:
            return _failed(identity, object_id, str(exc))
        after = result.get('contact') or {}
        return {
            'identity': identity, 'object_id': after.get('object_id', object_id), 'changed': result['changed'],
            'failed': result['failed'], 'msg': result['msg'], 'plan': result['plan'], 'results': result['results'],
            'attributes': after.get('attributes') or {}, 'diff': result['diff'],
            'created': bool(result.get('created')),
            'deleted': placement.get('state') == 'absent' and bool(result['changed']),
        }

    if parallel <= 1:
        return [one(entry) for entry in entries]
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return list(pool.map(one, entries))
