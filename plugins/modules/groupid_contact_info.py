#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, groupid.groupid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: groupid_contact_info
short_description: Read Directory Manager contacts
version_added: 0.1.0
description:
  - Reads one or many contacts with the documented Get Contacts call (C(GET .../Contacts) with
    C(userIdentities) and C(attributesToLoad)), in chunks of O(chunk_size) identities.
  - Returns each contact as its object id plus its attributes as lists of strings. Never writes.
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
    details: Reads only; the same in check mode.
  diff_mode:
    support: N/A
    details: Reads only.
options:
  identities:
    description:
      - The contacts to read, by object GUID (C(objectIdFromIdentityStore)) or distinguished name.
      - Duplicates are read once.
    type: list
    elements: str
    required: true
  attributes:
    description:
      - The attributes to load. The server also returns its default set (C(CN), C(container), C(objectClass),
        C(name), C(objectCategory) in the published sample).
    type: list
    elements: str
    default: []
  sensitive_attributes:
    description:
      - 'Attributes whose values are hidden in RV(contacts), shown only as how many there are, as
        V(<hidden: 1 value>), and masked like C(no_log) values wherever else they would appear.'
    type: list
    elements: str
    default: []
  chunk_size:
    description:
      - How many identities one request asks for.
    type: int
    default: 100
notes:
  - Identities that the server does not return are listed in RV(missing). Whether the real server leaves unknown
    identities out of the answer or fails the call is not documented; the collection assumes it leaves them out.
seealso:
  - module: groupid.groupid.groupid_contact
  - module: groupid.groupid.groupid_contacts
'''

EXAMPLES = r'''
- name: Read two contacts' mail attributes
  groupid.groupid.groupid_contact_info:
    identities:
      - aaa92db4-b912-49a8-9f85-56da5f33daaf
      - CN=Smith\, John,OU=API,DC=groupid,DC=lab
    attributes: [mail, proxyAddresses]
  register: found

- name: Show the addresses
  ansible.builtin.debug:
    msg: "{{ found.contacts | map(attribute='attributes.proxyAddresses') | list }}"
'''

RETURN = r'''
contacts:
  description: The contacts found, in the order of O(identities).
  returned: success
  type: list
  elements: dict
  contains:
    identity:
      description: The requested identity this contact answers.
      type: str
      sample: aaa92db4-b912-49a8-9f85-56da5f33daaf
    object_id:
      description: The object id (C(objectIdFromIdentityStore)).
      type: str
      sample: aaa92db4-b912-49a8-9f85-56da5f33daaf
    dn:
      description: The distinguished name, built from C(CN) and C(container) when the server returned them.
      type: str
      sample: CN=Demo Contact1,OU=API,DC=groupid,DC=lab
    attributes:
      description: Every attribute the server returned, each a list of strings (sensitive ones hidden).
      type: dict
      sample: {"CN": ["Demo Contact1"], "mail": ["contact1@groupid.lab"]}
missing:
  description: The requested identities that the server did not return.
  returned: success
  type: list
  elements: str
  sample: [00000000-0000-0000-0000-000000000000]
'''

from ansible_collections.groupid.groupid.plugins.module_utils._client import GroupIDError
from ansible_collections.groupid.groupid.plugins.module_utils._contact import read_many
from ansible_collections.groupid.groupid.plugins.module_utils._module import GroupIDModule, check_identity
from ansible_collections.groupid.groupid.plugins.module_utils._planner import SpecError, hide, validate_attribute_name


def main():
    module = GroupIDModule(
        argument_spec=dict(
            identities=dict(type='list', elements='str', required=True),
            attributes=dict(type='list', elements='str', default=[]),
            sensitive_attributes=dict(type='list', elements='str', default=[]),
            chunk_size=dict(type='int', default=100),
        ),
        supports_check_mode=True,
    )
    p = module.params
    for index, identity in enumerate(p['identities']):
        check_identity(module, identity, 'identities[%d]' % index)
    try:
        for option in ('attributes', 'sensitive_attributes'):
            for name in p[option]:
                validate_attribute_name(name, option)
    except SpecError as exc:
        module.fail_spec(exc)
    if not 1 <= p['chunk_size'] <= 1000:
        module.fail_json(msg='chunk_size: %s must be between 1 and 1000' % p['chunk_size'])

    client = module.client()
    try:
        found, missing = read_many(client, p['identities'], p['attributes'], p['chunk_size'])
    except GroupIDError as exc:
        module.fail_request(exc)
    sensitive = set(name.lower() for name in p['sensitive_attributes'])
    contacts = []
    seen = set()
    for identity in p['identities']:
        entry = found.get(identity)
        if entry is not None and entry['object_id'] not in seen:
            seen.add(entry['object_id'])
            attributes = {}
            for name, values in entry['attributes'].items():
                if name.lower() in sensitive:
                    module.protect(values)
                    values = hide(values)
                attributes[name] = values
            contacts.append(dict(entry, attributes=attributes))
    module.exit_json(changed=False, contacts=contacts, missing=missing)


if __name__ == '__main__':
    main()
