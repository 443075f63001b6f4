# -*- coding: utf-8 -*-
# Copyright: (c) 2026, groupid.groupid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection options of every groupid.groupid module.
    DOCUMENTATION = r'''
options:
  url:
    description:
      - Base URL of the Directory Manager site, for example V(https://dm.example.com:4443).
      - The modules append C(/GroupIDDataService/api/IdentityStores/{identity_store_id}/...) for data calls and
        C(/GroupIDSecurityService/connect/token) for the token.
      - If not set, the value of the E(GROUPID_URL) environment variable is used (read on the host that runs the
        module, normally the controller).
    type: str
    required: true
  identity_store_id:
    description:
      - The id of the identity store, from the C(SVC.IdentityStore) table of the Directory Manager database.
      - If not set, the value of the E(GROUPID_IDENTITY_STORE_ID) environment variable is used.
    type: int
    required: true
  access_token:
    description:
      - A bearer token from the Security Service, for example from M(groupid.groupid.groupid_token)
        put into O(access_token) for a whole play with C(module_defaults).
      - Mutually exclusive with O(username), O(password), O(client_id) and O(client_secret).
      - If the task sets none of the authentication options, the value of the E(GROUPID_ACCESS_TOKEN) environment
        variable is used.
    type: str
  username:
    description:
      - The account to get a token for, with the OAuth password grant.
      - The calls run with this account's Directory Manager role permissions.
      - If the task sets none of the authentication options, the value of the E(GROUPID_USERNAME) environment
        variable is used.
    type: str
  password:
    description:
      - The password of O(username).
      - If the task sets none of the authentication options, the value of the E(GROUPID_PASSWORD) environment
        variable is used.
    type: str
  client_id:
    description:
      - The API client id, from the C(SVC.Client) table of the Directory Manager database.
      - Sent as the form field C(client_Id), spelled as documented.
      - If the task sets none of the authentication options, the value of the E(GROUPID_CLIENT_ID) environment
        variable is used.
    type: str
  client_secret:
    description:
      - The API client secret, from the C(SVC.Client) table.
      - If the task sets none of the authentication options, the value of the E(GROUPID_CLIENT_SECRET) environment
        variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. Leave it on; use O(ca_path) for a private CA.
      - Setting it to V(false) emits a warning.
      - If not set, the value of the E(GROUPID_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file (or directory prepared with C(c_rehash)) of CA certificates to verify the server with,
        for sites that use a self-signed or internal certificate.
      - If not set, the value of the E(GROUPID_CA_PATH) environment variable is used.
    type: path
  timeout:
    description:
      - Seconds to wait for the server to connect or answer, per request.
    type: float
    default: 30
  retries:
    description:
      - How many times a read or a token request is tried again after a connection error, a timeout,
        or HTTP 429, 502, 503 or 504, with jittered exponential backoff that honours C(Retry-After)
        and waits 60 seconds at most in all. Each retry emits a warning.
      - An update is never sent again blindly; after a lost answer the contact is read again and only what
        still differs is sent, at most O(retries) times.
      - V(0) disables retries.
    type: int
    default: 3
notes:
  - The authentication options (O(access_token), O(username), O(password), O(client_id), O(client_secret)) take
    their E(GROUPID_*) environment variables only when the task sets none of them, so a task's token is never
    mixed with credentials from the environment; E(GROUPID_ACCESS_TOKEN) wins over environment credentials.
  - Authentication takes either O(access_token) or all four of O(username), O(password), O(client_id) and
    O(client_secret). With credentials, a token is requested once per task and renewed once if the server
    answers HTTP 401.
  - Directory Manager 11.1 security updates limit the Data Service to an IP allow-list; a controller that is not
    on it gets HTTP 403 even though the token request succeeds.
requirements:
  - requests
'''

    # The attributes every groupid.groupid module shares; each module adds its check_mode and diff_mode.
    COMMON_ATTRIBUTES = r'''
attributes:
  platform:
    platforms: all
  action_group:
    description: Use C(group/groupid.groupid.groupid) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - groupid.groupid.groupid
  action:
    support: none
  async:
    support: full
  bypass_host_loop:
    support: none
'''
