#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, groupid.groupid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: groupid_token
short_description: Get a Directory Manager access token once, for a whole play
version_added: 0.1.0
description:
  - Exchanges O(username), O(password), O(client_id) and O(client_secret) for a bearer token with the OAuth
    password grant of the Directory Manager Security Service (C(POST /GroupIDSecurityService/connect/token)).
  - Put the returned RV(access_token) into O(groupid.groupid.groupid_contact#module:access_token) of the
    following tasks, for example with C(module_defaults), so that they do not each log in again.
  - Set C(no_log) on this task; the token is a credential.
  - An O(access_token) given to this module, for example from C(module_defaults), is ignored.
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
    details: Getting a token changes nothing, so it is requested in check mode too.
  diff_mode:
    support: none
options: {}
notes:
  - The token expires after RV(expires_in) seconds (1200 in the published samples). A play that runs longer
    should get a new one, or let each task log in with credentials, which renews an expired token once.
seealso:
  - ref: ansible_collections.groupid.groupid.docsite.guide_authentication
    description: Authentication and token reuse.
'''

EXAMPLES = r'''
- name: Manage contacts with one login per play
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/groupid.groupid.groupid:
      url: https://dm.example.com:4443
      identity_store_id: 2
      ca_path: /etc/pki/tls/certs/example-ca.pem
  tasks:
    - name: Log in once
      groupid.groupid.groupid_token:
        username: 'EXAMPLE\svc_ansible'
        password: "{{ vault_groupid_password }}"
        client_id: "{{ groupid_client_id }}"
        client_secret: "{{ vault_groupid_client_secret }}"
      register: groupid_login
      no_log: true

    - name: Every task of this block reuses the token
      module_defaults:
        group/groupid.groupid.groupid:
          url: https://dm.example.com:4443
          identity_store_id: 2
          ca_path: /etc/pki/tls/certs/example-ca.pem
          access_token: "{{ groupid_login.access_token }}"
      block:
        - name: Department of a contact
          groupid.groupid.groupid_contact:
            identity: aaa92db4-b912-49a8-9f85-56da5f33daaf
            attributes:
              set:
                department: Operations
'''

RETURN = r'''
access_token:
  description: The bearer token. Keep it out of logs (C(no_log)).
  returned: success
  type: str
  sample: eyJhbGciOiJSUzI1NiIsImtpZCI6...
token_type:
  description: The token type the server returned.
  returned: success
  type: str
  sample: Bearer
expires_in:
  description: The token's lifetime in seconds, as the server returned it.
  returned: success
  type: int
  sample: 1200
expires_at:
  description: When the token expires, in UTC, ISO 8601, computed from RV(expires_in) and the local clock.
  returned: when the server returned expires_in
  type: str
  sample: '2026-12-04T14:21:12Z'
scope:
  description: The scopes of the token.
  returned: success
  type: str
  sample: directorymanager.api groupid_identity offline_access openid profile
'''

import datetime

from ansible_collections.groupid.groupid.plugins.module_utils._client import GroupIDError
from ansible_collections.groupid.groupid.plugins.module_utils._module import GroupIDModule


def main():
    module = GroupIDModule(argument_spec={}, needs_credentials=True, supports_check_mode=True)
    client = module.client(hide_token=False)
    try:
        client.login()
    except GroupIDError as exc:
        module.fail_request(exc)
    info = client.token_info
    result = dict(changed=False, access_token=client.access_token, token_type=info['token_type'],
                  expires_in=info['expires_in'], scope=info['scope'])
    if isinstance(info['expires_in'], int):
        expires = datetime.datetime.fromtimestamp(info['obtained_at'] + info['expires_in'], datetime.timezone.utc)
        result['expires_at'] = expires.strftime('%Y-%m-%dT%H:%M:%SZ')
    module.exit_json(**result)


if __name__ == '__main__':
    main()
