"""Command line: python -m groupid_sim [--port 0] [--tls --cert-dir DIR] [--seed FILE] ..."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import threading

from .server import DEFAULT_SEED, start_simulator


def write_atomically(path, data):
    """Write JSON to ``path`` through a temporary file in the same folder and os.replace."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, temp = tempfile.mkstemp(dir=directory, prefix='.ready-', suffix='.tmp')
    with os.fdopen(handle, 'w', encoding='utf-8') as out:
        json.dump(data, out)
    os.replace(temp, path)


def main(argv=None):
    parser = argparse.ArgumentParser(prog='groupid_sim', description=__doc__)
    parser.add_argument('--host', default='127.0.0.1', help='address to bind (loopback only; default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=0, help='port; 0 picks a free one (default)')
    parser.add_argument('--seed', default=DEFAULT_SEED, help='YAML or JSON seed file (default: the bundled seed.yml)')
    parser.add_argument('--state-file', help='persist the state here (atomic writes); loaded at start if present')
    parser.add_argument('--tls', action='store_true', help='serve HTTPS with a generated CA')
    parser.add_argument('--cert-dir', help='where --tls writes ca.pem and server.pem (default: a temporary folder)')
    parser.add_argument('--token-lifetime', type=int, metavar='SECONDS', help='token lifetime in seconds (default: the seed, or 1200)')
    parser.add_argument('--ready-file', help='write {url, ca_path, pid, admin_url} as JSON here when ready')
    parser.add_argument('--quiet', action='store_true', help='no access log on stderr')
    options = parser.parse_args(argv)
    if options.host not in ('127.0.0.1', 'localhost'):
        parser.error('--host must be a loopback address (127.0.0.1 or localhost)')
    if options.token_lifetime is not None and options.token_lifetime < 1:
        parser.error('--token-lifetime must be at least 1 second')

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    sim = start_simulator(options.seed, host=options.host, port=options.port, tls=options.tls,
                          cert_dir=options.cert_dir, state_file=options.state_file,
                          token_lifetime=options.token_lifetime, quiet=options.quiet)
    sys.stdout.write(sim.url + '\n')
    sys.stdout.flush()
    if options.ready_file:
        write_atomically(options.ready_file, {'url': sim.url, 'ca_path': sim.ca_path, 'pid': os.getpid(),
                                              'admin_url': sim.admin_url})
    stop.wait()
    sim.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
