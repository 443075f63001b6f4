"""A throw-away CA and server certificate for 127.0.0.1 and localhost (trustme)."""

from __future__ import annotations

import os
import tempfile

import trustme


def make_certificates(cert_dir=None):
    """Write ca.pem and server.pem (certificate chain and key) into ``cert_dir``; return both paths."""
    cert_dir = os.path.abspath(cert_dir or tempfile.mkdtemp(prefix='groupid-sim-certs-'))
    os.makedirs(cert_dir, exist_ok=True)
    authority = trustme.CA(organization_name='GroupID simulator CA')
    server = authority.issue_cert('127.0.0.1', 'localhost')
    ca_path = os.path.join(cert_dir, 'ca.pem')
    cert_path = os.path.join(cert_dir, 'server.pem')
    authority.cert_pem.write_to_path(ca_path)
    server.private_key_and_cert_chain_pem.write_to_path(cert_path)
    os.chmod(cert_path, 0o600)
    return ca_path, cert_path
