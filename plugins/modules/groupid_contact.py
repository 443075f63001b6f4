#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, groupid.groupid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: groupid_contact
short_description: Converge the attributes of a Directory Manager contact
version_added: 0.1.0
description:
  - Declares the attribute values a contact in Netwrix Directory Manager (formerly Imanami GroupID) must have,
    and changes only what differs, through the Directory Manager REST Data Service.
  - Reads the contact once, asking only for the managed attributes, plans the changes, and sends one update
    (C(PATCH .../Contacts)) only when something differs.
  - V(changed) comes from the per-attribute statuses the server returns, not from what was sent.
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
    details: Runs the same read and plan as a real run and stops before the update.
  diff_mode:
    support: full
    details:
      - Shows before and after of the attributes that change, values sorted; identical in check mode.
      - After a partial failure the real run's diff shows only the attributes the server applied.
options:
  identity:
    description:
      - The contact's identity as the server knows it. Every published API sample uses the object GUID
        (C(objectIdFromIdentityStore)); that is the tested and recommended form.
      - Sent unchanged, URL-encoded where it goes into a URL path.
      - When not given, the contact is found by its distinguished name C(CN=<name>,<container>), built from
        O(name) and O(container) with the RFC 4514 escaping of the name. That the real server accepts a
        distinguished name as identity is inferred from the Management Shell, not documented for the REST API.
      - One of O(identity) or O(name) and O(container) is required.
    type: str
  state:
    description:
      - V(present) converges the attributes, creating the contact first when it does not exist and O(name) and
        O(container) are given.
      - V(absent) deletes the contact; a contact that does not exist is no change. O(attributes) is not applied
        (it is still checked, and its attributes are read for the diff).
    type: str
    choices: [present, absent]
    default: present
  name:
    description:
      - The contact's name (its C(CN)), used to create it and, without O(identity), to find it.
      - For an existing contact a different name is an error; renaming is not supported.
    type: str
  container:
    description:
      - The distinguished name of the contact's parent OU, for example V(OU=Contacts,DC=example,DC=com).
      - For an existing contact a different container is an error; moving is not supported.
    type: str
  attributes:
    description:
      - The attribute values the contact must have.
      - Each sub-option is a dictionary of attribute name to a value or a list of values.
      - An attribute may be in O(attributes.set), or in O(attributes.add) and/or O(attributes.remove), not both.
    type: dict
    default: {}
    suboptions:
      set:
        description:
          - Afterwards the attribute has exactly these values.
          - V(null), an empty string or an empty list clears the attribute.
        type: dict
      add:
        description:
          - These values are present afterwards; other values stay.
        type: dict
      remove:
        description:
          - These values are absent afterwards; other values stay.
        type: dict
  case_insensitive_attributes:
    description:
      - Attributes whose values compare case-insensitively, for example V(mail).
      - Values of other attributes compare exactly; V(SMTP:a@example.com) and V(smtp:a@example.com) in
        C(proxyAddresses) mean different things.
    type: list
    elements: str
    default: []
  sensitive_attributes:
    description:
      - Attributes whose values must never be shown, for example an C(info) field that holds a PIN.
      - 'Their values are hidden in RV(contact), RV(plan) and the diff, which show how many values there are and
        whether they change, as C(<hidden: 1 value, changed>). The values you give and the values read from the
        server are also masked wherever else they would appear, as Ansible masks C(no_log) options.'
      - Use C(no_log) on the task as well if even the attribute's presence is secret.
    type: list
    elements: str
    default: []
notes:
  - Attribute names match case-insensitively, as in Active Directory, and are sent in your spelling.
  - Values compare exactly unless the attribute is in O(case_insensitive_attributes).
  - Multi-valued attributes compare as sets; order and duplicates are ignored.
  - A create sends C(CN), C(objectClass=contact) and the values of O(attributes.set) and O(attributes.add) in the
    documented create call, reads the new contact back and updates whatever the create did not apply.
    Names are unique within a container, so the directory refuses a second contact with the same name and a
    create can never make a duplicate.
  - Values are strings. Integers are converted to strings; booleans, dictionaries and other types are refused
    with an error asking to quote the value.
  - A single value replacing at most one value is sent with action code C(0), the form of the published samples.
    Multi-valued changes are sent as value additions (C(1)) and removals (C(2)), and clearing as the removal of
    each current value. Codes C(1) and C(2) are inferred from decompiled Directory Manager code, not from the
    published documentation; see the API fidelity guide.
  - The module runs on the host it is delegated to, normally the controller.
seealso:
  - ref: ansible_collections.groupid.groupid.docsite.guide_attributes
    description: How set, add, remove, case and multi-valued attributes behave.
'''

EXAMPLES = r'''
- name: Converge a contact's department and mail addresses
  groupid.groupid.groupid_contact:
    url: https://dm.example.com:4443
    identity_store_id: 2
    username: 'EXAMPLE\svc_ansible'
    password: "{{ vault_groupid_password }}"
    client_id: "{{ groupid_client_id }}"
    client_secret: "{{ vault_groupid_client_secret }}"
    ca_path: /etc/pki/tls/certs/example-ca.pem
    identity: aaa92db4-b912-49a8-9f85-56da5f33daaf
    attributes:
      set:
        department: Operations
        company: Example Corp
      add:
        proxyAddresses:
          - smtp:ops@example.com
      remove:
        proxyAddresses:
          - smtp:old-ops@example.com
    case_insensitive_attributes:
      - mail

- name: Create the contact if it does not exist (found by CN and container on later runs)
  groupid.groupid.groupid_contact:
    name: Smith, John
    container: OU=Contacts,DC=example,DC=com
    attributes:
      set:
        mail: john.smith@partner.example
        displayName: John Smith (Partner)

- name: Delete a contact
  groupid.groupid.groupid_contact:
    identity: bee3ae99-d1d6-4480-a271-65d567784cca
    state: absent

- name: Clear the title, connection options from module_defaults
  module_defaults:
    group/groupid.groupid.groupid:
      url: https://dm.example.com:4443
      identity_store_id: 2
      access_token: "{{ groupid_token.access_token }}"
  groupid.groupid.groupid_contact:
    identity: aaa92db4-b912-49a8-9f85-56da5f33daaf
    attributes:
      set:
        title: []
'''

RETURN = r'''
created:
  description: Whether the contact was created (in check mode, would be).
  returned: when O(state=present)
  type: bool
  sample: false
contact:
  description:
    - The contact after the run (in check mode, as it would be), with the managed attributes only.
    - After a create in check mode, RV(contact.object_id) is V(null).
  returned: when the contact exists or was created
  type: dict
  contains:
    object_id:
      description: The object id (C(objectIdFromIdentityStore)).
      type: str
      sample: aaa92db4-b912-49a8-9f85-56da5f33daaf
    attributes:
      description:
        - Each managed attribute as a sorted list of strings, in your spelling; V([]) when empty.
        - 'An attribute of O(sensitive_attributes) shows only how many values it has, as V(<hidden: 2 values>).'
      type: dict
      sample: {"department": ["Operations"], "proxyAddresses": ["SMTP:ops@example.com", "smtp:ops2@example.com"]}
plan:
  description:
    - One entry per attribute that differs; empty when the contact is converged.
    - C(operation) is V(set), V(clear) or V(update) (add/remove); C(add), C(remove) and C(replace) are the values
      sent with action codes 1, 2 and 0.
    - The values of an attribute of O(sensitive_attributes) are hidden here too.
  returned: when the contact was read
  type: list
  elements: dict
  sample:
    - attribute: department
      operation: set
      before: [Sales]
      after: [Operations]
      add: []
      remove: []
      replace: [Operations]
results:
  description: Per attribute sent, the status and message the server returned (status 0 is success).
  returned: when an update was sent
  type: list
  elements: dict
  sample:
    - name: department
      status: 0
      message: null
applied:
  description: The attributes the server reported as applied.
  returned: when an update was sent
  type: list
  elements: str
  sample: [department]
failed_attributes:
  description: The attributes the server refused.
  returned: when the server refused an attribute
  type: list
  elements: str
  sample: [mail]
pending_attributes:
  description: The attributes held for approval by a Directory Manager workflow and not applied yet.
  returned: when the server held the update for approval
  type: list
  elements: str
  sample: [department]
'''

from ansible_collections.groupid.groupid.plugins.module_utils._client import GroupIDError
from ansible_collections.groupid.groupid.plugins.module_utils._contact import ContactConverger
from ansible_collections.groupid.groupid.plugins.module_utils._lifecycle import ensure_absent, ensure_present
from ansible_collections.groupid.groupid.plugins.module_utils._module import (
    CONTACT_REQUIRED_ONE_OF,
    CONTACT_REQUIRED_TOGETHER,
    GroupIDModule,
    contact_argument_spec,
    contact_identity,
)
from ansible_collections.groupid.groupid.plugins.module_utils._planner import SpecError, normalize_spec


def main():
    module = GroupIDModule(argument_spec=contact_argument_spec(), supports_check_mode=True,
                           required_one_of=CONTACT_REQUIRED_ONE_OF, required_together=CONTACT_REQUIRED_TOGETHER)
    p = module.params
    identity = contact_identity(module, p['identity'], p['name'], p['container'])
    try:
        spec = normalize_spec(p['attributes'], p['case_insensitive_attributes'], p['sensitive_attributes'])
    except SpecError as exc:
        module.fail_spec(exc)

    converger = ContactConverger(module.client(), spec, check_mode=module.check_mode, warn=module.warn,
                                 protect=module.protect)
    try:
        if p['state'] == 'absent':
            result = ensure_absent(converger, identity)
        else:
            result = ensure_present(converger, identity, p['name'], p['container'])
    except GroupIDError as exc:
        module.fail_request(exc)
    if not module._diff:
        result.pop('diff', None)
    if result.pop('failed'):
        msg = result.pop('msg')
        module.fail_json(msg=msg, **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
