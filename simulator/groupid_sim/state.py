"""The simulator's directory: identity stores, contacts, attribute semantics, tokens. No HTTP here."""

from __future__ import annotations

import copy
import json
import os
import re
import secrets
import tempfile
import threading
import time
import uuid

import yaml

READ_ONLY = frozenset(a.lower() for a in (
    'objectClass', 'objectGUID', 'objectIdFromIdentityStore', 'CN', 'name', 'distinguishedName', 'container',
    'objectCategory'))

SINGLE_VALUED = frozenset(a.lower() for a in (
    'displayName', 'mail', 'givenName', 'sn', 'initials', 'title', 'department', 'company', 'telephoneNumber',
    'mobile', 'description', 'physicalDeliveryOfficeName', 'l', 'st', 'c', 'co', 'postalCode', 'streetAddress',
    'mailNickname', 'info', 'facsimileTelephoneNumber', 'wWWHomePage', 'employeeNumber', 'employeeID',
    'targetAddress', 'homePhone', 'pager', 'ipPhone', 'manager', 'countryCode',
) + tuple('extensionAttribute%d' % i for i in range(1, 16)))

DEFAULT_ATTRIBUTES = ('CN', 'container', 'objectClass', 'name', 'objectCategory')
OBJECT_CATEGORY = 'CN=Person,CN=Schema,CN=Configuration,DC=groupid,DC=lab'
SCOPE = 'directorymanager.api groupid_identity offline_access openid profile'

# Action codes (reference section 4): 0 and 3 replace, 1 adds, 2 removes.
REPLACE_ACTIONS = (0, 3)
ACTION_ADD = 1
ACTION_REMOVE = 2

_GUID = re.compile(r'^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$')


class SimError(Exception):
    """An API error: HTTP status and message."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


# -- distinguished names (RFC 4514) ------------------------------------------------------------------

def escape_rdn(value):
    out = []
    for index, char in enumerate(value):
        if char in ',+"\\<>;=':
            out.append('\\' + char)
        elif char == '#' and index == 0:
            out.append('\\#')
        elif char == ' ' and index in (0, len(value) - 1):
            out.append('\\ ')
        else:
            out.append(char)
    return ''.join(out)


def _unescape(text):
    raw = bytearray()
    index = 0
    while index < len(text):
        char = text[index]
        if char == '\\' and index + 1 < len(text):
            pair = text[index + 1:index + 3]
            if len(pair) == 2 and all(c in '0123456789abcdefABCDEF' for c in pair):
                raw.append(int(pair, 16))
                index += 3
                continue
            raw.extend(text[index + 1].encode('utf-8'))
            index += 2
            continue
        raw.extend(char.encode('utf-8'))
        index += 1
    return raw.decode('utf-8', errors='replace')


def dn_key(dn):
    """A case-insensitive key of a DN after RFC 4514 parsing, or None when ``dn`` is no DN."""
    parts, current, index = [], [], 0
    while index < len(dn):
        if dn[index] == '\\' and index + 1 < len(dn):
            current.append(dn[index:index + 2])
            index += 2
            continue
        if dn[index] in ',;':
            parts.append(''.join(current))
            current = []
        else:
            current.append(dn[index])
        index += 1
    parts.append(''.join(current))
    key = []
    for part in parts:
        attr, sep, value = part.partition('=')
        if not sep or not attr.strip():
            return None
        value = value.lstrip()
        while value.endswith(' ') and not value.endswith('\\ '):
            value = value[:-1]
        key.append((attr.strip().lower(), _unescape(value).lower()))
    return tuple(key)


def guid_key(identity):
    match = _GUID.match((identity or '').strip())
    return match.group(1).lower() if match else None


# -- request helpers ------------------------------------------------------------------------------------

def lower_keys(obj):
    return dict((str(k).lower(), v) for k, v in obj.items()) if isinstance(obj, dict) else {}


def value_entry(value):
    return {
        'identityStoreId': 0, 'value': value, 'dn': None, 'action': 0, 'attributeCollection': {},
        'nestedAttributes': {'attributesCollection': {}, 'filePermissionCollection': {}, 'type': None},
    }


def envelope(status=0, message=None, data='', details=None, name=None, type_=0, server=None):
    return {
        'name': name, 'type': type_, 'status': status, 'message': message, 'data': data,
        'identityStoreObject': None, 'details': details or [], 'currentDirectoryServer': server,
        'errorCode': None, 'exceptionMessagesAttributeWise': None, 'isResyncAble': True,
    }


class Contact:
    def __init__(self, object_id, container, attributes):
        self.object_id = object_id
        self.container = container
        self.attributes = {}          # spelling -> list of values
        for name, values in (attributes or {}).items():
            if not isinstance(values, list):
                values = [values]
            self.attributes[name] = [str(v) for v in values if v is not None and v != '']
        cn = self.get('CN')
        if not cn:
            raise ValueError('contact %s has no CN' % object_id)
        self.set_values('objectClass', ['contact'])
        self.set_values('name', [cn[0]])
        self.set_values('objectCategory', [OBJECT_CATEGORY])

    @property
    def dn(self):
        return 'CN=%s,%s' % (escape_rdn(self.get('CN')[0]), self.container)

    def key_of(self, name):
        for key in self.attributes:
            if key.lower() == name.lower():
                return key
        return None

    def get(self, name):
        if name.lower() == 'container':
            return [self.container]
        if name.lower() == 'distinguishedname':
            return [self.dn]
        if name.lower() == 'objectidfromidentitystore':
            return [self.object_id]
        key = self.key_of(name)
        return list(self.attributes[key]) if key else []

    def set_values(self, name, values):
        key = self.key_of(name) or name
        self.attributes[key] = list(values)

    def to_admin(self):
        return {'object_id': self.object_id, 'dn': self.dn, 'container': self.container,
                'attributes': dict((k, list(v)) for k, v in self.attributes.items() if v)}

    def to_api(self, store_id, requested):
        """The documented Get Contact shape (reference section 2.2)."""
        collection = {}
        seen = set()
        for name in list(requested) + list(DEFAULT_ATTRIBUTES):
            if name.lower() in seen:
                continue
            seen.add(name.lower())
            values = [] if name.lower() == 'objectcategory' else self.get(name)
            collection[name] = [value_entry(v) for v in values]
        display = self.get('displayName')
        display = display[0] if display and any(n.lower() == 'displayname' for n in requested) else None
        flat = dict.fromkeys((
            'contactClassName', 'emailAddress', 'firstName', 'initials', 'lastName', 'alias', 'title',
            'department', 'companyName', 'dc', 'city', 'country', 'fax', 'mobilePhone', 'office', 'phoneNumber',
            'postalCode', 'state', 'streetAddress'))
        body = {'contactClassName': None, 'displayName': display}
        body.update((k, v) for k, v in flat.items() if k not in body)
        body.update({
            'objectIdFromIdentityStore': self.object_id, 'identityStoreId': store_id, 'identityStore': None,
            'objectType': 'contact', 'objectName': None, 'objectDisplayName': display, 'stopNotification': False,
            'attributesBusinessObject': {'attributesCollection': collection, 'filePermissionCollection': {},
                                         'type': None},
            'elasticHitScore': 0.0,
        })
        return body


class Directory:
    """All state, behind one lock."""

    def __init__(self, seed, state_file=None, token_lifetime=None):
        self.lock = threading.RLock()
        self.seed = seed
        self.state_file = state_file
        self.token_lifetime = int(token_lifetime or seed.get('token_lifetime', 1200))
        self.clients = dict((c['client_id'], c['client_secret']) for c in seed.get('clients', []))
        self.users = dict((u['username'].lower(), u['password']) for u in seed.get('users', []))
        self.tokens = {}             # token -> {store, expires}
        self.pending_approvals = []
        self.stores = {}
        if state_file and os.path.exists(state_file):
            with open(state_file, encoding='utf-8') as handle:
                self._load(json.load(handle))
        else:
            self._load(seed)

    @classmethod
    def from_file(cls, path, **kwargs):
        with open(path, encoding='utf-8') as handle:
            seed = yaml.safe_load(handle)
        return cls(seed, **kwargs)

    def _load(self, data):
        self.stores = {}
        for store in data.get('identity_stores', []):
            contacts = [Contact(c['object_id'].lower(), c['container'], c.get('attributes'))
                        for c in store.get('contacts', [])]
            self.stores[int(store['id'])] = dict((c.object_id, c) for c in contacts)
        self.pending_approvals = list(data.get('pending_approvals', []))

    def snapshot(self):
        return {'identity_stores': [{'id': sid, 'contacts': [c.to_admin() for c in contacts.values()]}
                                    for sid, contacts in self.stores.items()],
                'pending_approvals': self.pending_approvals}

    def persist(self):
        if not self.state_file:
            return
        directory = os.path.dirname(os.path.abspath(self.state_file))
        handle, temp = tempfile.mkstemp(dir=directory, prefix='.state-')
        with os.fdopen(handle, 'w', encoding='utf-8') as out:
            json.dump(self.snapshot(), out)
        os.replace(temp, self.state_file)

    def reset(self):
        with self.lock:
            self._load(self.seed)
            self.pending_approvals = []
            self.persist()

    # -- tokens ------------------------------------------------------------------------------------------
    def issue_token(self, form):
        form = lower_keys(form)
        if str(form.get('grant_type', '')).lower() != 'password':
            raise SimError(400, {'error': 'unsupported_grant_type'})
        client_id = form.get('client_id')
        if client_id not in self.clients or self.clients[client_id] != form.get('client_secret'):
            raise SimError(400, {'error': 'invalid_client'})
        if self.users.get(str(form.get('username', '')).lower()) != form.get('password') or form.get('password') is None:
            raise SimError(400, {'error': 'invalid_grant', 'error_description': 'invalid_username_or_password'})
        try:
            store = int(form.get('identity_store_id'))
        except (TypeError, ValueError):
            store = None
        if store not in self.stores:
            raise SimError(400, {'error': 'invalid_grant', 'error_description': 'unknown identity store'})
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = {'store': store, 'expires': time.time() + self.token_lifetime}
        return {'access_token': token, 'refresh_token': secrets.token_urlsafe(32), 'scope': SCOPE,
                'token_type': 'Bearer', 'expires_in': self.token_lifetime}

    def check_token(self, token, store):
        """None when valid, else the WWW-Authenticate header value."""
        info = self.tokens.get(token or '')
        if info is None:
            return 'Bearer error="invalid_token"'
        if info['expires'] <= time.time():
            stamp = time.strftime('%m/%d/%Y %H:%M:%S', time.gmtime(info['expires']))
            return 'Bearer error="invalid_token", error_description="The token expired at \'%s\'"' % stamp
        if info['store'] != store:
            return 'Bearer error="invalid_token", error_description="The token is for another identity store"'
        return None

    def expire_tokens(self):
        with self.lock:
            for info in self.tokens.values():
                info['expires'] = time.time() - 1
            return len(self.tokens)

    # -- contacts ---------------------------------------------------------------------------------------
    def store(self, store_id):
        if store_id not in self.stores:
            raise SimError(404, {'message': 'Identity store %s was not found.' % store_id})
        return self.stores[store_id]

    def find(self, store_id, identity):
        contacts = self.store(store_id)
        if not isinstance(identity, str) or not identity.strip():
            return None
        guid = guid_key(identity)
        if guid:
            return contacts.get(guid)
        key = dn_key(identity)
        if key:
            for contact in contacts.values():
                if dn_key(contact.dn) == key:
                    return contact
        return None

    def require(self, store_id, identity):
        contact = self.find(store_id, identity)
        if contact is None:
            raise SimError(404, {'message': 'Object %r was not found.' % identity})
        return contact

    def update(self, store_id, identity, collection, failures=None, approval=False):
        """Apply an AttributesCollection; returns the response envelope."""
        failures = failures or {}
        with self.lock:
            contact = self.require(store_id, identity)
            details = []
            if approval:
                message = 'The request has been sent for approval.'
                self.pending_approvals.append({'object_id': contact.object_id, 'store': store_id,
                                               'attributes': copy.deepcopy(collection)})
                for name in collection:
                    details.append(envelope(status=3, message=message, name=name, type_=8))
                self.persist()
                return envelope(status=3, message=message, details=details)
            for name, entries in collection.items():
                details.append(self._apply_one(contact, name, entries, failures))
            self.persist()
        failed = any(d['status'] != 0 for d in details)
        return envelope(status=2 if failed else 0, details=details)

    def _apply_one(self, contact, name, entries, failures):
        def fail(message, status=2):
            return envelope(status=status, message=message, name=name, type_=8)
        if name.lower() in failures:
            status, message = failures[name.lower()]
            return fail(message, status)
        if name.lower() in READ_ONLY:
            return fail("Attribute '%s' is read-only." % name)
        if not isinstance(entries, list):
            return fail("Attribute '%s': a list of values is expected." % name)
        parsed = []
        for entry in entries:
            entry = lower_keys(entry)
            action = entry.get('action', 0)
            if action not in (0, 1, 2, 3):
                return fail("Attribute '%s': unknown action %r." % (name, action))
            value = entry.get('value')
            parsed.append((None if value is None else str(value), action))
        values = contact.get(name)
        replace = [v for v, a in parsed if a in REPLACE_ACTIONS]
        if any(a in REPLACE_ACTIONS for _v, a in parsed):
            values = []
            for value in replace:
                if value and value not in values:
                    values.append(value)
            if len(values) > 1 and name.lower() in SINGLE_VALUED:
                return fail("Attribute '%s' is single-valued; %d values were given." % (name, len(values)))
        for value, action in parsed:
            if action == ACTION_ADD and value:
                if name.lower() in SINGLE_VALUED:
                    values = [value]
                elif value not in values:
                    values.append(value)
        removed = set(v for v, a in parsed if a == ACTION_REMOVE)
        values = [v for v in values if v not in removed]
        contact.set_values(name, values)
        return envelope(status=0, name=name, type_=8)

    def create(self, store_id, container, collection):
        with self.lock:
            contacts = self.store(store_id)
            values = {}
            for name, entries in (collection or {}).items():
                if not isinstance(entries, list):
                    raise SimError(400, {'message': "Attribute '%s': a list of values is expected." % name})
                values[name] = [str(lower_keys(e).get('value')) for e in entries
                                if lower_keys(e).get('value') not in (None, '')]
            lowered = dict((k.lower(), v) for k, v in values.items())
            if not container or not lowered.get('cn'):
                raise SimError(400, {'message': 'container and a CN attribute are required.'})
            if lowered.get('objectclass', ['contact']) != ['contact']:
                raise SimError(400, {'message': 'objectClass must be contact.'})
            cn = lowered['cn'][0]
            new_dn = dn_key('CN=%s,%s' % (escape_rdn(cn), container))
            if new_dn is None:
                raise SimError(400, {'message': 'container %r is not a distinguished name.' % container})
            if any(dn_key(c.dn) == new_dn for c in contacts.values()):
                return envelope(status=2, message='An object with the name %r already exists in %r.' % (cn, container),
                                data=None)
            attributes = dict((k, v) for k, v in values.items() if k.lower() not in ('objectclass', 'name'))
            object_id = str(uuid.uuid4())
            contacts[object_id] = Contact(object_id, container, attributes)
            self.persist()
        return envelope(data=object_id, server='dc.groupid.lab')

    def delete(self, store_id, identity):
        with self.lock:
            contact = self.require(store_id, identity)
            del self.stores[store_id][contact.object_id]
            self.persist()
        return envelope()

    def delete_many(self, store_id, identities):
        details = []
        with self.lock:
            for identity in identities:
                contact = self.find(store_id, identity)
                if contact is None:
                    details.append(envelope(status=2, message='Object %r was not found.' % (identity,)))
                else:
                    del self.stores[store_id][contact.object_id]
                    details.append(envelope())
            self.persist()
        failed = any(d['status'] for d in details)
        return envelope(status=2 if failed else 0, details=details)
