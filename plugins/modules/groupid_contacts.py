#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, groupid.groupid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: groupid_contacts
short_description: Converge the attributes of many Directory Manager contacts in one task
version_added: 0.1.0
description:
  - Converges a list of contacts, each declared like in M(groupid.groupid.groupid_contact), in one task.
  - Reads the contacts in batches with the documented Get Contacts call, plans each one with the same planner as
    M(groupid.groupid.groupid_contact), and sends one update per contact that differs, over one reused HTTP
    connection (one per worker with O(parallel)).
  - Creates missing contacts and deletes contacts declared absent, as M(groupid.groupid.groupid_contact) does.
  - A failure of one contact does not stop the others; the task fails at the end and lists the contacts that failed.
author:
  - groupid.groupid contributors (@groupid)
extends_documentation_fragment:
  - groupid.groupid.connection
  - groupid.groupid.connection.common_attributes
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
attributes:
  check_mode:
    support: full
    details: Reads and plans every contact like a real run and stops before the updates.
  diff_mode:
    support: full
    details: One diff per changed contact, headed by its identity; identical in check mode.
options:
  contacts:
    description:
      - The contacts and the attribute values each must have.
    type: list
    elements: dict
    required: true
    suboptions:
      identity:
        description:
          - The contact's identity, as in O(groupid.groupid.groupid_contact#module:identity).
          - Without it, the contact is found by the distinguished name C(CN=<name>,<container>).
          - One of O(contacts[].identity) and O(contacts[].name) is required.
        type: str
      state:
        description:
          - V(present) converges the contact, creating it first when it does not exist and O(contacts[].name) and
            O(contacts[].container) are given; V(absent) deletes it. As in
            O(groupid.groupid.groupid_contact#module:state).
        type: str
        choices: [present, absent]
        default: present
      name:
        description:
          - The contact's name (its C(CN)), to create it and, without O(contacts[].identity), to find it. Renaming
            is not supported.
        type: str
      container:
        description:
          - The distinguished name of the contact's parent OU. Moving is not supported.
          - Required together with O(contacts[].name).
        type: str
      attributes:
        description:
          - The attribute values, as in O(groupid.groupid.groupid_contact#module:attributes).
        type: dict
        default: {}
        suboptions:
          set:
            description: Afterwards the attribute has exactly these values; V(null), V("") or V([]) clears it.
            type: dict
          add:
            description: These values are present afterwards; other values stay.
            type: dict
          remove:
            description: These values are absent afterwards.
            type: dict
      case_insensitive_attributes:
        description:
          - Attributes of this contact whose values compare case-insensitively, added to the task-wide
            O(case_insensitive_attributes).
        type: list
        elements: str
        default: []
      sensitive_attributes:
        description:
          - Attributes of this contact whose values are hidden, added to the task-wide O(sensitive_attributes).
        type: list
        elements: str
        default: []
  case_insensitive_attributes:
    description:
      - Attributes whose values compare case-insensitively, for every contact.
    type: list
    elements: str
    default: []
  sensitive_attributes:
    description:
      - Attributes whose values are hidden in every contact's plan, attributes and diff, as in
        O(groupid.groupid.groupid_contact#module:sensitive_attributes).
    type: list
    elements: str
    default: []
  chunk_size:
    description:
      - How many contacts one read request asks for.
    type: int
    default: 100
  parallel:
    description:
      - How many updates run at the same time. V(1) sends them one after another over one connection.
      - Keep it small; the Directory Manager server applies each update to Active Directory.
    type: int
    default: 1
notes:
  - The comparison rules are those of M(groupid.groupid.groupid_contact); see its notes.
  - Every contact's input is checked before the first request; one bad entry fails the task before anything is
    read or written.
  - Two entries that turn out to name the same contact (its GUID and its distinguished name, say) would be planned
    against the same state and could undo each other; both fail with a message naming them, nothing is sent for
    them, and the other contacts are converged.
seealso:
  - module: groupid.groupid.groupid_contact
  - module: groupid.groupid.groupid_contact_info
'''

EXAMPLES = r'''
- name: Converge two contacts in one task
  groupid.groupid.groupid_contacts:
    contacts:
      - identity: aaa92db4-b912-49a8-9f85-56da5f33daaf
        attributes:
          set:
            department: Operations
      - identity: bee3ae99-d1d6-4480-a271-65d567784cca
        attributes:
          add:
            proxyAddresses: smtp:ops@example.com

- name: Create two partner contacts and retire a third, found by name
  groupid.groupid.groupid_contacts:
    contacts:
      - name: Lopez, Ana
        container: OU=Partners,DC=example,DC=com
        attributes:
          set:
            mail: ana.lopez@supplier.example
      - name: Ito, Ken
        container: OU=Partners,DC=example,DC=com
        attributes:
          set:
            mail: ken.ito@supplier.example
      - name: Old Partner
        container: OU=Partners,DC=example,DC=com
        state: absent

- name: Contacts from a variable, four updates at a time
  groupid.groupid.groupid_contacts:
    contacts: "{{ team_contacts }}"
    parallel: 4
'''

RETURN = r'''
contacts:
  description: One entry per contact, in the order given.
  returned: always
  type: list
  elements: dict
  contains:
    identity:
      description: The identity as given.
      type: str
      sample: aaa92db4-b912-49a8-9f85-56da5f33daaf
    object_id:
      description: The object id, when the contact was found.
      type: str
      sample: aaa92db4-b912-49a8-9f85-56da5f33daaf
    changed:
      description: Whether the server applied at least one attribute of this contact (in check mode, would).
      type: bool
      sample: true
    failed:
      description: Whether this contact failed.
      type: bool
      sample: false
    msg:
      description: What happened to this contact.
      type: str
      sample: 1 attribute(s) changed
    plan:
      description: As RV(groupid.groupid.groupid_contact#module:plan).
      type: list
      elements: dict
      sample: []
    results:
      description: As RV(groupid.groupid.groupid_contact#module:results).
      type: list
      elements: dict
      sample: []
    attributes:
      description: The managed attributes after the run, each a sorted list of strings (sensitive ones hidden).
      type: dict
      sample: {"department": ["Operations"]}
    created:
      description: Whether the contact was created (in check mode, would be).
      type: bool
      sample: false
    deleted:
      description: Whether the contact was deleted (in check mode, would be).
      type: bool
      sample: false
failed_contacts:
  description: The identities of the contacts that failed.
  returned: always
  type: list
  elements: str
  sample: []
summary:
  description: How many contacts were converged already, changed, and failed.
  returned: always
  type: dict
  sample: {"ok": 480, "changed": 20, "failed": 0}
'''

from ansible_collections.groupid.groupid.plugins.module_utils._bulk import converge_many
from ansible_collections.groupid.groupid.plugins.module_utils._client import GroupIDError
from ansible_collections.groupid.groupid.plugins.module_utils._identity import identity_key
from ansible_collections.groupid.groupid.plugins.module_utils._module import (
    CONTACT_REQUIRED_ONE_OF,
    CONTACT_REQUIRED_TOGETHER,
    GroupIDModule,
    contact_argument_spec,
    contact_identity,
)
from ansible_collections.groupid.groupid.plugins.module_utils._planner import SpecError, normalize_spec


def main():
    argument_spec = dict(
        contacts=dict(type='list', elements='dict', required=True, options=contact_argument_spec(),
                      required_one_of=CONTACT_REQUIRED_ONE_OF, required_together=CONTACT_REQUIRED_TOGETHER),
        case_insensitive_attributes=dict(type='list', elements='str', default=[]),
        sensitive_attributes=dict(type='list', elements='str', default=[]),
        chunk_size=dict(type='int', default=100),
        parallel=dict(type='int', default=1),
    )
    module = GroupIDModule(argument_spec=argument_spec, supports_check_mode=True)
    p = module.params
    if not 1 <= p['chunk_size'] <= 1000:
        module.fail_json(msg='chunk_size: %s must be between 1 and 1000' % p['chunk_size'])
    if not 1 <= p['parallel'] <= 16:
        module.fail_json(msg='parallel: %s must be between 1 and 16' % p['parallel'])
    entries = []
    seen = {}
    for index, entry in enumerate(p['contacts']):
        where = 'contacts[%d]' % index
        identity = contact_identity(module, entry['identity'], entry['name'], entry['container'], where + '.')
        key = identity_key(identity)
        if key in seen:
            module.fail_json(msg='%s.identity: %r names the same contact as contacts[%d]; merge the two entries'
                                 % (where, identity, seen[key]))
        seen[key] = index
        try:
            spec = normalize_spec(entry['attributes'],
                                  list(p['case_insensitive_attributes']) + list(entry['case_insensitive_attributes']),
                                  list(p['sensitive_attributes']) + list(entry['sensitive_attributes']))
        except SpecError as exc:
            module.fail_json(msg='%s (%s): %s' % (where, identity, exc))
        entries.append((identity, spec, {'state': entry['state'], 'name': entry['name'], 'container': entry['container']}))

    try:
        outcomes = converge_many(module.client(), entries, check_mode=module.check_mode, warn=module.warn,
                                 chunk_size=p['chunk_size'], parallel=p['parallel'], protect=module.protect)
    except GroupIDError as exc:
        module.fail_request(exc)

    diffs = []
    for outcome in outcomes:
        diff = outcome.pop('diff', None)
        if module._diff and diff and diff['before'] != diff['after']:
            diffs.append(dict(diff, before_header=outcome['identity'], after_header=outcome['identity']))
    failed = [o['identity'] for o in outcomes if o['failed']]
    changed = [o for o in outcomes if o['changed']]
    result = dict(
        changed=bool(changed), contacts=outcomes, failed_contacts=failed,
        summary={'ok': len(outcomes) - len(changed) - len([o for o in outcomes if o['failed'] and not o['changed']]),
                 'changed': len(changed), 'failed': len(failed)},
    )
    if module._diff:
        result['diff'] = diffs
    if failed:
        details = '; '.join('%s: %s' % (o['identity'], o['msg']) for o in outcomes if o['failed'])
        module.fail_json(msg='%d of %d contact(s) failed: %s' % (len(failed), len(outcomes), details), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
