# -*- coding: utf-8 -*-
# Copyright: (c) 2026, groupid.groupid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module base: connection options, input checks and the client factory.

PRIVATE to the groupid.groupid collection; no compatibility promise for other users.
The options here are documented once, in the ``groupid.groupid.connection`` doc fragment.
"""

from __future__ import annotations

import os
import re

from urllib.parse import urlparse

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.groupid.groupid.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    GroupIDClient,
    GroupIDError,
)
from ansible_collections.groupid.groupid.plugins.module_utils._identity import contact_dn
from ansible_collections.groupid.groupid.plugins.module_utils._planner import SpecError

CREDENTIAL_OPTIONS = ('username', 'password', 'client_id', 'client_secret')
AUTH_ENVIRONMENT = (
    ('access_token', 'GROUPID_ACCESS_TOKEN'),
    ('username', 'GROUPID_USERNAME'),
    ('password', 'GROUPID_PASSWORD'),
    ('client_id', 'GROUPID_CLIENT_ID'),
    ('client_secret', 'GROUPID_CLIENT_SECRET'),
)
SECRET_OPTIONS = ('access_token', 'password', 'client_secret')
_CONTROL = re.compile(r'[\x00-\x1f\x7f]')


def connection_argument_spec():
    """The connection options every module of the collection takes."""
    return dict(
        url=dict(type='str', required=True, fallback=(env_fallback, ['GROUPID_URL'])),
        identity_store_id=dict(type='int', required=True, fallback=(env_fallback, ['GROUPID_IDENTITY_STORE_ID'])),
        # The authentication options read their environment variables late (see _late_bind_auth):
        # only when the task sets none of them, so that a task's access_token is never mixed
        # with credentials from the environment.
        access_token=dict(type='str', no_log=True),
        username=dict(type='str'),
        password=dict(type='str', no_log=True),
        client_id=dict(type='str'),
        client_secret=dict(type='str', no_log=True),
        validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['GROUPID_VALIDATE_CERTS'])),
        ca_path=dict(type='path', fallback=(env_fallback, ['GROUPID_CA_PATH'])),
        timeout=dict(type='float', default=30),
        retries=dict(type='int', default=3),
    )


def contact_argument_spec():
    """One contact: ``identity`` or ``name`` + ``container``, ``state``, and the attribute options."""
    spec = dict(
        identity=dict(type='str'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        name=dict(type='str'),
        container=dict(type='str'),
    )
    spec.update(attributes_argument_spec())
    return spec


# How the options of contact_argument_spec() depend on each other.
CONTACT_REQUIRED_ONE_OF = [('identity', 'name')]
CONTACT_REQUIRED_TOGETHER = [('name', 'container')]


def attributes_argument_spec():
    """The ``attributes`` option (set/add/remove), ``case_insensitive_attributes`` and ``sensitive_attributes``."""
    return dict(
        attributes=dict(type='dict', default={}, options=dict(
            set=dict(type='dict'),
            add=dict(type='dict'),
            remove=dict(type='dict'),
        )),
        case_insensitive_attributes=dict(type='list', elements='str', default=[]),
        sensitive_attributes=dict(type='list', elements='str', default=[]),
    )


def declared_secrets(params):
    """The values the task gives for its ``sensitive_attributes`` (in ``attributes`` and in ``contacts``)."""
    values = set()

    def collect(attributes, sensitive):
        keys = set(str(name).lower() for name in sensitive or [])
        if not keys or not isinstance(attributes, dict):
            return
        for operation in ('set', 'add', 'remove'):
            entries = attributes.get(operation)
            for name, given in entries.items() if isinstance(entries, dict) else ():
                if str(name).lower() in keys:
                    for value in given if isinstance(given, (list, tuple)) else [given]:
                        if value is not None and value != '':
                            values.add(str(value))

    collect(params.get('attributes'), params.get('sensitive_attributes'))
    for entry in params.get('contacts') or []:
        if isinstance(entry, dict):
            collect(entry.get('attributes'),
                    list(params.get('sensitive_attributes') or []) + list(entry.get('sensitive_attributes') or []))
    return values


class GroupIDModule(AnsibleModule):
    """AnsibleModule with the connection options and the checks every module shares."""

    def __init__(self, argument_spec, needs_credentials=False, **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec)
        super().__init__(argument_spec=spec, **kwargs)
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
        # needs_credentials: the module exchanges credentials for a token (groupid_token); an
        # access_token (say from module_defaults) is then ignored rather than a conflict.
        self.needs_credentials = needs_credentials
        if needs_credentials:
            self.params['access_token'] = None
        self.protect(declared_secrets(self.params))   # also when no_log skipped _log_invocation
        self._late_bind_auth()
        self._check_connection_options()

    def protect(self, values):
        """Mask ``values`` (of sensitive attributes) wherever they would appear in the module's output."""
        self.no_log_values.update(v for v in values if v)

    def _log_invocation(self):
        # AnsibleModule logs its arguments to the host's journal or syslog while it is being set up:
        # the values of sensitive attributes must be masked by then, like no_log options.
        self.protect(declared_secrets(self.params))
        super()._log_invocation()

    def _late_bind_auth(self):
        """Fill the authentication options from GROUPID_* variables when the task sets none of them.

        A task (or module_defaults) that gives an access_token or any credential uses only what it
        gives; the environment then cannot add a conflicting half (for example credentials that an
        AWX credential injects next to a token from groupid_token).
        """
        names = [name for name, _var in AUTH_ENVIRONMENT if not (self.needs_credentials and name == 'access_token')]
        if any(self.params[name] for name in names):
            return
        for name, variable in AUTH_ENVIRONMENT:
            if name in names and os.environ.get(variable):
                self.params[name] = os.environ[variable]
                if name in SECRET_OPTIONS:
                    self.no_log_values.add(self.params[name])
        if self.params['access_token'] and not self.needs_credentials:
            # A token in the environment wins over credentials in the environment.
            for name in CREDENTIAL_OPTIONS:
                self.params[name] = None

    def fail_spec(self, exc):
        """Fail for a user input problem found before any request."""
        self.fail_json(msg=str(exc), changed=False)

    def _check_connection_options(self):
        p = self.params
        parsed = urlparse(p['url'] or '')
        if parsed.scheme not in ('http', 'https') or not parsed.netloc:
            self.fail_json(msg='url: %r is not an http(s) URL such as https://dm.example.com:4443' % p['url'])
        if parsed.query or parsed.fragment:
            self.fail_json(msg='url: %r must be the site base URL, without a query or fragment' % p['url'])
        if p['identity_store_id'] < 1:
            self.fail_json(msg='identity_store_id: %s is not a positive identity store id (see the'
                               ' SVC.IdentityStore table)' % p['identity_store_id'])
        if p['timeout'] <= 0:
            self.fail_json(msg='timeout: %s must be a positive number of seconds' % p['timeout'])
        if p['retries'] < 0:
            self.fail_json(msg='retries: %s must be 0 or more' % p['retries'])
        if p['ca_path'] and not os.path.exists(p['ca_path']):
            self.fail_json(msg='ca_path: %s does not exist on the host that runs the module (%s); give the path of'
                               ' the PEM file (or a folder of them) of the CA that signed the server certificate'
                               % (p['ca_path'], 'normally the controller'))
        given = [o for o in CREDENTIAL_OPTIONS if p[o]]
        if p['access_token']:
            if given:
                self.fail_json(msg='access_token cannot be combined with %s: give a token, or the credentials to'
                                   ' get one' % ', '.join(given))
        elif len(given) != len(CREDENTIAL_OPTIONS):
            missing = [o for o in CREDENTIAL_OPTIONS if not p[o]]
            if self.needs_credentials:
                self.fail_json(msg='missing credentials: set username, password, client_id and client_secret'
                                   ' (missing: %s)' % ', '.join(missing))
            self.fail_json(msg='missing authentication: set access_token, or all of username, password, client_id'
                               ' and client_secret (missing: %s)' % ', '.join(missing))
        if not p['validate_certs']:
            self.warn('validate_certs is false: the server certificate is not checked, so credentials and tokens'
                      ' can be intercepted. Prefer ca_path with the CA that signed the server certificate.')
        if parsed.scheme == 'http':
            self.warn('url uses plain http: the %s travels unencrypted. Use https.'
                      % ('access token' if p['access_token'] else 'password, client secret and token'))

    def client(self, hide_token=True):
        """A GroupIDClient built from the connection options.

        hide_token: add every token obtained to the values masked in the output (off only
        for groupid_token, whose job is to return the token).
        """
        p = self.params
        return GroupIDClient(
            url=p['url'], identity_store_id=p['identity_store_id'], access_token=p['access_token'],
            username=p['username'], password=p['password'], client_id=p['client_id'],
            client_secret=p['client_secret'], validate_certs=p['validate_certs'], ca_path=p['ca_path'],
            timeout=p['timeout'], retries=p['retries'], warn=self.warn,
            on_token=self.no_log_values.add if hide_token else None,
        )

    def fail_request(self, exc, **result):
        """Fail for a GroupIDError, keeping what is known (changed, results...)."""
        result.setdefault('changed', False)
        if isinstance(exc, GroupIDError):
            if exc.url:
                result['url'] = exc.url
            if exc.status:
                result['status'] = exc.status
        self.fail_json(msg=str(exc), **result)


def check_identity(module, identity, option='identity'):
    """Refuse an empty identity or one with control characters, before any request."""
    if identity is None or not identity.strip():
        module.fail_json(msg='%s: must not be empty' % option)
    if _CONTROL.search(identity):
        module.fail_json(msg='%s: %r contains control characters (a pasted newline or tab?)' % (option, identity))


def contact_identity(module, identity, name, container, prefix=''):
    """The identity to find a contact by: ``identity``, or else ``CN=<name>,<container>``; each input checked."""
    for option, value in (('name', name), ('container', container)):
        if value is not None:
            check_identity(module, value, prefix + option)
    if identity is None:
        identity = contact_dn(name, container)
    check_identity(module, identity, prefix + 'identity')
    return identity


__all__ = ['GroupIDModule', 'attributes_argument_spec', 'connection_argument_spec', 'contact_argument_spec',
           'check_identity', 'contact_identity', 'SpecError', 'CONTACT_REQUIRED_ONE_OF', 'CONTACT_REQUIRED_TOGETHER']
