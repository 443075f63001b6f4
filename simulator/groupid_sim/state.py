"""The simulator's directory: identity stores, contacts, attribute semantics, tokens. No HTTP here."""

from __future__ import annotations

import copy
import hashlib
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

# The default set returned with every read, in the order of the published sample (reference section 2.2).
DEFAULT_ATTRIBUTES = ('objectCategory', 'CN', 'container', 'objectClass', 'name')
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
    """The keys of a JSON object in lower case (request keys are case-insensitive); {} for anything else."""
    return dict((str(k).lower(), v) for k, v in obj.items()) if isinstance(obj, dict) else {}


def text_value(value):
    """An attribute value as the server stores it: a string (JSON numbers and booleans too), or None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def parse_action(action):
    """The action code as an int (a JSON number or a string of digits), or None when it is no action code."""
    if isinstance(action, bool):
        return None
    if isinstance(action, int):
        return action
    if isinstance(action, str) and action.strip().isdigit():
        return int(action.strip())
    return None


def token_key(token):
    """Tokens are kept (and persisted) only as their SHA-256, never in clear."""
    return hashlib.sha256(token.encode('utf-8')).hexdigest()


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
            self.attributes[name] = [text_value(v) for v in values if v is not None and v != '']
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
        if name.lower() in ('objectidfromidentitystore', 'objectguid'):
            return [self.object_id]
        key = self.key_of(name)
        return list(self.attributes[key]) if key else []

    def set_values(self, name, values):
        """Set an attribute; the first spelling stored is kept; an attribute without values is gone."""
        key = self.key_of(name) or name
        if values:
            self.attributes[key] = list(values)
        else:
            self.attributes.pop(key, None)

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
        self.seed = seed or {}
        self.state_file = state_file
        self.token_lifetime = int(token_lifetime or self.seed.get('token_lifetime') or 1200)
        self.initial_token_lifetime = self.token_lifetime
        self.clients = dict((str(c['client_id']), str(c['client_secret'])) for c in self.seed.get('clients') or [])
        self.users = dict((str(u['username']).lower(), str(u['password'])) for u in self.seed.get('users') or [])
        self.tokens = {}             # SHA-256 of the token -> {store, expires}
        self.pending_approvals = []
        self.approval_seq = 0         # the last approval id handed out (ids are never reused)
        self.stores = {}
        if state_file and os.path.exists(state_file):
            with open(state_file, encoding='utf-8') as handle:
                saved = json.load(handle)
            self._load(saved)
            self.tokens = dict((k, dict(v)) for k, v in (saved.get('tokens') or {}).items())
        else:
            self._load(self.seed)

    @classmethod
    def from_file(cls, path, **kwargs):
        with open(path, encoding='utf-8') as handle:
            seed = yaml.safe_load(handle)     # JSON is YAML too
        return cls(seed, **kwargs)

    def _load(self, data):
        self.stores = {}
        for store in data.get('identity_stores') or []:
            contacts = [Contact(str(c['object_id']).lower(), c['container'], c.get('attributes'))
                        for c in store.get('contacts') or []]
            self.stores[int(store['id'])] = dict((c.object_id, c) for c in contacts)
        self.pending_approvals = list(data.get('pending_approvals') or [])
        self.approval_seq = max([a['id'] for a in self.pending_approvals] + [int(data.get('approval_seq') or 0)])

    def snapshot(self):
        """The persisted form (the seed's schema plus pending approvals and token hashes)."""
        with self.lock:
            return {'identity_stores': [{'id': sid, 'contacts': [c.to_admin() for c in contacts.values()]}
                                        for sid, contacts in self.stores.items()],
                    'pending_approvals': copy.deepcopy(self.pending_approvals), 'approval_seq': self.approval_seq,
                    'tokens': copy.deepcopy(self.tokens)}

    def admin_state(self):
        with self.lock:
            return {'identity_stores': dict((str(sid), [c.to_admin() for c in contacts.values()])
                                            for sid, contacts in self.stores.items()),
                    'pending_approvals': copy.deepcopy(self.pending_approvals)}

    def persist(self):
        """Write the state file atomically (temporary file in the same folder, then os.replace)."""
        if not self.state_file:
            return
        with self.lock:
            data = self.snapshot()
            directory = os.path.dirname(os.path.abspath(self.state_file))
            handle, temp = tempfile.mkstemp(dir=directory, prefix='.state-', suffix='.tmp')
            try:
                with os.fdopen(handle, 'w', encoding='utf-8') as out:
                    json.dump(data, out, indent=1)
                os.replace(temp, self.state_file)
            except BaseException:
                if os.path.exists(temp):
                    os.unlink(temp)
                raise

    def reset(self):
        """The seed state and the initial token lifetime; no pending approvals. Tokens stay valid."""
        with self.lock:
            self._load(self.seed)
            self.token_lifetime = self.initial_token_lifetime
            self.pending_approvals = []
            self.approval_seq = 0
            self.persist()

    def set_token_lifetime(self, seconds):
        with self.lock:
            self.token_lifetime = int(seconds)

    # -- tokens ------------------------------------------------------------------------------------------
    def issue_token(self, form):
        """The password grant (reference section 1.1); SimError(400, OAuth error body) when refused."""
        form = lower_keys(form)
        if str(form.get('grant_type') or '').lower() != 'password':
            raise SimError(400, {'error': 'unsupported_grant_type'})
        client_id = form.get('client_id')
        if client_id not in self.clients or self.clients[client_id] != form.get('client_secret'):
            raise SimError(400, {'error': 'invalid_client'})
        password = form.get('password')
        if password is None or self.users.get(str(form.get('username') or '').lower()) != password:
            raise SimError(400, {'error': 'invalid_grant', 'error_description': 'invalid_username_or_password'})
        try:
            store = int(form.get('identity_store_id'))
        except (TypeError, ValueError):
            store = None
        token = secrets.token_urlsafe(48)
        with self.lock:
            now = time.time()
            for key in [k for k, v in self.tokens.items() if v['expires'] < now - 86400]:
                del self.tokens[key]           # forget tokens expired for a day
            if store not in self.stores:
                raise SimError(400, {'error': 'invalid_grant', 'error_description': 'invalid identity store'})
            self.tokens[token_key(token)] = {'store': store, 'expires': now + self.token_lifetime}
            lifetime = self.token_lifetime
            self.persist()
        return {'access_token': token, 'refresh_token': secrets.token_urlsafe(48), 'scope': SCOPE,
                'token_type': 'Bearer', 'expires_in': lifetime}

    def check_token(self, token):
        """(info, None) when the token is valid, else (None, the WWW-Authenticate challenge)."""
        with self.lock:
            info = self.tokens.get(token_key(token)) if token else None
            info = dict(info) if info else None
        if info is None:
            return None, 'Bearer error="invalid_token"'
        if info['expires'] <= time.time():
            stamp = time.strftime('%m/%d/%Y %H:%M:%S', time.gmtime(info['expires']))
            return None, 'Bearer error="invalid_token", error_description="The token expired at \'%s\'"' % stamp
        return info, None

    def expire_tokens(self):
        with self.lock:
            now = time.time()
            live = [info for info in self.tokens.values() if info['expires'] > now]
            for info in live:
                info['expires'] = now - 1
            self.persist()
            return len(live)

    # -- contacts ---------------------------------------------------------------------------------------
    def has_store(self, store_id):
        with self.lock:
            return store_id in self.stores

    def store(self, store_id):
        if store_id not in self.stores:
            raise SimError(404, {'message': 'Identity store %s was not found.' % store_id})
        return self.stores[store_id]

    def find(self, store_id, identity):
        """The contact of this store with a GUID (any case, braces optional) or DN (RFC 4514), or None."""
        with self.lock:
            contacts = self.store(store_id)
            if not isinstance(identity, str) or not identity.strip():
                return None
            guid = guid_key(identity)
            if guid:
                return contacts.get(guid)
            key = dn_key(identity.strip())
            if key:
                for contact in contacts.values():
                    if dn_key(contact.dn) == key:
                        return contact
            return None

    def require(self, store_id, identity):
        contact = self.find(store_id, identity)
        if contact is None:
            raise SimError(404, {'message': 'The object %s was not found in identity store %s.' % (
                json.dumps(identity), store_id)})
        return contact

    def read(self, store_id, identity, attributes):
        with self.lock:
            return self.require(store_id, identity).to_api(store_id, attributes)

    def read_many(self, store_id, identities, attributes):
        """Unknown identities are left out (INFERRED); each contact once, in request order."""
        with self.lock:
            found, seen = [], set()
            for identity in identities:
                contact = self.find(store_id, identity)
                if contact is not None and contact.object_id not in seen:
                    seen.add(contact.object_id)
                    found.append(contact.to_api(store_id, attributes))
            return found

    def admin_contact(self, store_id, identity):
        with self.lock:
            try:
                contact = self.find(store_id, identity)
            except SimError:
                return None
            return contact.to_admin() if contact else None

    def update(self, store_id, identity, collection, failures=None, approval=False):
        """Apply an AttributesCollection; returns the response envelope."""
        failures = failures or {}
        with self.lock:
            contact = self.require(store_id, identity)
            details = []
            if approval:
                message = 'The request has been sent for approval.'
                self.approval_seq += 1
                self.pending_approvals.append({
                    'id': self.approval_seq, 'object_id': contact.object_id, 'store': store_id,
                    'dn': contact.dn, 'time': time.time(), 'attributes': copy.deepcopy(collection)})
                for name in collection:
                    details.append(envelope(status=3, message=message, name=name, type_=8))
                self.persist()
                return envelope(status=3, message=message, details=details)
            for name, entries in collection.items():
                details.append(self._apply_one(contact, name, entries, failures))
            self.persist()
        failed = any(d['status'] != 0 for d in details)
        return envelope(status=2 if failed else 0, details=details)

    def decide(self, approval_id, approve):
        """Approve (apply) or reject (drop) a held update; the envelope of the apply, or None for a reject."""
        with self.lock:
            held = next((a for a in self.pending_approvals if a['id'] == approval_id), None)
            if held is None:
                raise SimError(404, {'message': 'No pending approval %s.' % approval_id})
            self.pending_approvals.remove(held)
            if not approve:
                self.persist()
                return None
            contact = self.store(held['store']).get(held['object_id'])
            if contact is None:
                self.persist()
                raise SimError(409, {'message': 'The contact of approval %s no longer exists.' % approval_id})
            return self.update(held['store'], held['object_id'], held['attributes'])

    @staticmethod
    def _apply_one(contact, name, entries, failures):
        """One attribute of an update (the reference's action table, INFERRED): a detail envelope."""
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
            if not isinstance(entry, dict):
                return fail("Attribute '%s': every value must be an object with Value and Action." % name)
            entry = lower_keys(entry)
            action = parse_action(entry.get('action', 0))
            if action not in (0, 1, 2, 3):
                return fail("Attribute '%s': unknown action %s." % (name, json.dumps(entry.get('action'))))
            parsed.append((text_value(entry.get('value')), action))
        single = name.lower() in SINGLE_VALUED
        values = contact.get(name)
        if any(a in REPLACE_ACTIONS for _v, a in parsed):
            values = []
            for value, action in parsed:
                if action in REPLACE_ACTIONS and value and value not in values:
                    values.append(value)
            if len(values) > 1 and single:
                return fail("Attribute '%s' is single-valued; %d values were given." % (name, len(values)))
        for value, action in parsed:
            if action == ACTION_ADD and value:
                if single:
                    values = [value]
                elif value not in values:
                    values.append(value)
        removed = set(v for v, a in parsed if a == ACTION_REMOVE and v)
        values = [v for v in values if v not in removed]
        contact.set_values(name, values)
        return envelope(status=0, name=name, type_=8)

    def create(self, store_id, container, collection):
        """Create a contact (reference section 2.1); the envelope with the new GUID in ``data``."""
        if collection is not None and not isinstance(collection, dict):
            raise SimError(400, {'message': 'attributes.attributesCollection must be an object.'})
        values = {}
        for name, entries in (collection or {}).items():
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                raise SimError(400, {'message': "Attribute '%s': a list of values is expected." % name})
            values[name] = []
            for entry in entries:
                value = text_value(lower_keys(entry).get('value'))
                if value and value not in values[name]:
                    values[name].append(value)
        lowered = dict((k.lower(), v) for k, v in values.items())
        if not isinstance(container, str) or not container.strip() or not lowered.get('cn'):
            raise SimError(400, {'message': 'container and a CN attribute are required.'})
        classes = set(v.lower() for v in lowered.get('objectclass', ['contact']))
        if 'contact' not in classes or not classes <= {'top', 'person', 'organizationalperson', 'contact'}:
            raise SimError(400, {'message': 'objectClass must be contact.'})
        for name, given in values.items():
            if name.lower() in SINGLE_VALUED and len(given) > 1:
                raise SimError(400, {'message': "Attribute '%s' is single-valued; %d values were given." % (
                    name, len(given))})
        cn = lowered['cn'][0]
        container = container.strip()
        new_dn = dn_key('CN=%s,%s' % (escape_rdn(cn), container))
        if new_dn is None or dn_key(container) is None:
            raise SimError(400, {'message': 'The container %s is not a distinguished name.' % json.dumps(container)})
        attributes = dict((k, v) for k, v in values.items() if k.lower() not in READ_ONLY or k.lower() == 'cn')
        with self.lock:
            contacts = self.store(store_id)
            if any(dn_key(c.dn) == new_dn for c in contacts.values()):
                return envelope(status=2, data=None, message='An object with the name %s already exists in %s.' % (
                    json.dumps(cn), json.dumps(container)))
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
        """One detail per identity, in request order; unknown ones get status 2 (INFERRED)."""
        details = []
        with self.lock:
            self.store(store_id)
            for identity in identities:
                contact = self.find(store_id, identity)
                if contact is None:
                    details.append(envelope(status=2, message='The object %s was not found.' % json.dumps(identity)))
                else:
                    del self.stores[store_id][contact.object_id]
                    details.append(envelope())
            self.persist()
        failed = any(d['status'] for d in details)
        return envelope(status=2 if failed else 0, details=details)
