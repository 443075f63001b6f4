# -*- coding: utf-8 -*-
# Copyright: (c) 2026, groupid.groupid contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contact identities: GUIDs and distinguished names (RFC 4514). Pure functions.

PRIVATE to the groupid.groupid collection; no compatibility promise for other users.
"""

from __future__ import annotations

import re

_GUID = re.compile(r'^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$')


def guid_key(identity):
    """The GUID in lower case without braces, or None when ``identity`` is no GUID."""
    match = _GUID.match((identity or '').strip())
    return match.group(1).lower() if match else None


def escape_rdn_value(value):
    """Escape an attribute value for use in a DN (RFC 4514 section 2.4)."""
    out = []
    for index, char in enumerate(value):
        if char in ',+"\\<>;=':
            out.append('\\' + char)
        elif char == '\x00':
            out.append('\\00')
        elif char == '#' and index == 0:
            out.append('\\#')
        elif char == ' ' and (index == 0 or index == len(value) - 1):
            out.append('\\ ')
        else:
            out.append(char)
    return ''.join(out)


def contact_dn(name, container):
    """``CN=<escaped name>,<container>``."""
    return 'CN=%s,%s' % (escape_rdn_value(name), container)


def _unescape(text):
    """Undo RFC 4514 escapes in one RDN value (``\\,`` and hex pairs such as ``\\2C``)."""
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


def split_dn(dn):
    """A DN as a list of (type, value) pairs, unescaped; ValueError when it is no DN."""
    parts, current, index = [], [], 0
    while index < len(dn):
        char = dn[index]
        if char == '\\' and index + 1 < len(dn):
            current.append(dn[index:index + 2])
            index += 2
            continue
        if char in ',;':
            parts.append(''.join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append(''.join(current))
    rdns = []
    for part in parts:
        attr, sep, value = part.partition('=')
        if not sep or not attr.strip():
            raise ValueError('%r is not a distinguished name' % dn)
        value = value.lstrip()
        while value.endswith(' ') and not value.endswith('\\ '):
            value = value[:-1]
        rdns.append((attr.strip(), _unescape(value)))
    return rdns


def dn_key(dn):
    """A case-insensitive comparison key of a DN, or None when it is no DN."""
    try:
        return tuple((attr.lower(), value.lower()) for attr, value in split_dn(dn))
    except ValueError:
        return None


def identity_key(identity):
    """A comparison key for a GUID or a DN (what the server would resolve alike)."""
    guid = guid_key(identity)
    if guid:
        return ('guid', guid)
    key = dn_key(identity)
    if key:
        return ('dn', key)
    return ('raw', identity)
