"""Fixtures: a simulator on a free port, over plain HTTP or TLS, and helpers for its API."""

from __future__ import annotations

import os

import pytest
import requests

from groupid_sim.server import start_simulator

SEED = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'seed.yml')
USER = 'GROUPID\\svc_ansible'
PASSWORD = 'Demo-Passw0rd!'
CLIENT_ID = 'ansible-demo'
CLIENT_SECRET = 'demo-client-secret'
C1 = 'aaa92db4-b912-49a8-9f85-56da5f33daaf'
C2 = 'bee3ae99-d1d6-4480-a271-65d567784cca'
SMITH = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b'


class Api:
    """A small client for the tests: token, data calls, admin calls."""

    def __init__(self, sim, verify=True):
        self.sim = sim
        self.url = sim.url
        self.verify = sim.ca_path if sim.ca_path else verify
        self.session = requests.Session()
        self._token = None

    def token_response(self, **overrides):
        form = {'grant_type': 'password', 'username': USER, 'password': PASSWORD, 'client_Id': CLIENT_ID,
                'client_secret': CLIENT_SECRET, 'identity_store_id': '2'}
        form.update(overrides)
        form = dict((k, v) for k, v in form.items() if v is not None)
        return self.session.post(self.url + '/GroupIDSecurityService/connect/token', data=form, verify=self.verify)

    @property
    def token(self):
        if self._token is None:
            self._token = self.token_response().json()['access_token']
        return self._token

    def data(self, method, path, body=None, store=2, token=None, raw=None):
        headers = {'Authorization': 'Bearer %s' % (token or self.token)}
        url = '%s/GroupIDDataService/api/IdentityStores/%s/Contacts%s' % (self.url, store, path)
        if raw is not None:
            return self.session.request(method, url, data=raw, headers=headers, verify=self.verify)
        return self.session.request(method, url, json=body, headers=headers, verify=self.verify)

    def patch(self, identity, collection):
        return self.data('PATCH', '', {'objectIdentity': identity, 'attributesToUpdate': {'AttributesCollection': collection}})

    def admin(self, method, path, body=None):
        response = self.session.request(method, self.url + '/_simulator' + path, json=body, verify=self.verify)
        return response

    def contact(self, identity, store=2):
        response = self.admin('GET', '/contacts/%s/%s' % (store, requests.utils.quote(identity, safe='')))
        return response.json() if response.status_code == 200 else None

    def fault(self, **fault):
        response = self.admin('POST', '/faults', fault)
        assert response.status_code == 200, response.text
        return response.json()

    def log(self):
        return self.admin('GET', '/requests').json()['requests']


@pytest.fixture
def sim():
    simulator = start_simulator(SEED)
    yield simulator
    simulator.stop()


@pytest.fixture
def api(sim):
    return Api(sim)
