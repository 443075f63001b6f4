"""The published samples of the reference (sections 1.1 and 2.1 to 2.6), reproduced exactly."""

from __future__ import annotations

import json

from conftest import C1, C2

# Reference section 2.2, verbatim (the collapsed CN, container, objectClass and name entries expanded).
ENTRY_TAIL = {'dn': None, 'action': 0, 'attributeCollection': {},
              'nestedAttributes': {'attributesCollection': {}, 'filePermissionCollection': {}, 'type': None}}


def entry(value):
    return dict({'identityStoreId': 0, 'value': value}, **ENTRY_TAIL)


GET_CONTACT_SAMPLE = {
    'contactClassName': None, 'displayName': 'Contact1,Demo', 'emailAddress': None, 'firstName': None,
    'initials': None, 'lastName': None, 'alias': None, 'title': None, 'department': None, 'companyName': None,
    'dc': None, 'city': None, 'country': None, 'fax': None, 'mobilePhone': None, 'office': None, 'phoneNumber': None,
    'postalCode': None, 'state': None, 'streetAddress': None,
    'objectIdFromIdentityStore': 'aaa92db4-b912-49a8-9f85-56da5f33daaf', 'identityStoreId': 2, 'identityStore': None,
    'objectType': 'contact', 'objectName': None, 'objectDisplayName': 'Contact1,Demo', 'stopNotification': False,
    'attributesBusinessObject': {
        'attributesCollection': {
            'displayName': [entry('Contact1,Demo')],
            'objectCategory': [],
            'CN': [entry('Demo Contact1')],
            'container': [entry('OU=API,DC=groupid,DC=lab')],
            'objectClass': [entry('contact')],
            'name': [entry('Demo Contact1')],
        },
        'filePermissionCollection': {},
        'type': None,
    },
    'elasticHitScore': 0.0,
}

ENVELOPE_KEYS = ['name', 'type', 'status', 'message', 'data', 'identityStoreObject', 'details',
                 'currentDirectoryServer', 'errorCode', 'exceptionMessagesAttributeWise', 'isResyncAble']


def detail(name):
    return {'name': name, 'type': 8, 'status': 0, 'message': None, 'data': '', 'identityStoreObject': None,
            'details': [], 'currentDirectoryServer': None, 'errorCode': None, 'exceptionMessagesAttributeWise': None,
            'isResyncAble': True}


def plain_envelope(details=()):
    return {'name': None, 'type': 0, 'status': 0, 'message': None, 'data': '', 'identityStoreObject': None,
            'details': list(details), 'currentDirectoryServer': None, 'errorCode': None,
            'exceptionMessagesAttributeWise': None, 'isResyncAble': True}


def test_token_sample(api):
    body = api.token_response().json()
    assert list(body) == ['access_token', 'refresh_token', 'scope', 'token_type', 'expires_in']
    assert body['scope'] == 'directorymanager.api groupid_identity offline_access openid profile'
    assert (body['token_type'], body['expires_in']) == ('Bearer', 1200)
    assert isinstance(body['access_token'], str) and body['access_token'] != body['refresh_token']


def test_get_contact_sample_exactly(api):
    response = api.data('GET', '/' + C1, ['displayName'])
    assert response.status_code == 200
    assert response.headers['Content-Type'].startswith('application/json')
    body = response.json()
    assert body == GET_CONTACT_SAMPLE
    assert list(body) == list(GET_CONTACT_SAMPLE)                      # same key order as published
    assert list(body['attributesBusinessObject']['attributesCollection']) == list(
        GET_CONTACT_SAMPLE['attributesBusinessObject']['attributesCollection'])


def test_get_contacts_sample_is_an_array_of_the_same_objects(api):
    body = api.data('GET', '', {'userIdentities': [C1, C2], 'attributesToLoad': ['displayName']}).json()
    assert isinstance(body, list) and len(body) == 2
    assert body[0] == GET_CONTACT_SAMPLE
    assert body[1]['objectIdFromIdentityStore'] == C2 and body[1]['displayName'] == 'Contact2,Demo'


def test_update_contact_sample_exactly(api):
    request = {'objectIdentity': C1, 'attributesToUpdate': {'AttributesCollection': {
        'department': [{'Value': 'Operation', 'Action': 0}],
        'company': [{'Value': 'Imanami - Now part of Netwrix', 'Action': 0}]}}}
    body = api.data('PATCH', '', request).json()
    assert body == plain_envelope([detail('department'), detail('company')])
    assert list(body) == ENVELOPE_KEYS and list(body['details'][0]) == ENVELOPE_KEYS
    attributes = api.contact(C1)['attributes']
    assert attributes['department'] == ['Operation'] and attributes['company'] == ['Imanami - Now part of Netwrix']


def test_create_contact_sample_exactly(api):
    request = json.loads('''{
        "container": "OU=API,DC=groupid,DC=lab",
        "attributes": {"attributesCollection": {
            "CN": [{"value": "Demo Contact 4", "action": 0}],
            "objectClass": [{"value": "contact", "action": 0}]}}}''')
    body = api.data('POST', '', request).json()
    new_id = body.pop('data')
    expected = plain_envelope()
    del expected['data']
    expected['currentDirectoryServer'] = 'dc.groupid.lab'
    assert body == expected
    assert len(new_id) == 36 and new_id == new_id.lower()
    created = api.data('GET', '/' + new_id, ['displayName']).json()
    assert created['objectIdFromIdentityStore'] == new_id
    assert created['attributesBusinessObject']['attributesCollection']['CN'] == [entry('Demo Contact 4')]
    assert created['attributesBusinessObject']['attributesCollection']['displayName'] == []


def test_delete_contact_samples_exactly(api):
    assert api.data('DELETE', '/' + C1).json() == plain_envelope()
    api.admin('POST', '/reset')
    assert api.data('DELETE', '', [C1, C2]).json() == plain_envelope([plain_envelope(), plain_envelope()])
