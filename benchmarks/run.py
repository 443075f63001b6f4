"""Benchmarks of groupid.groupid, measured side by side in one run against the bundled simulator.

Prints:
  1. requests sent by a converged groupid_contact task with a token (expected 1) and with credentials (expected 2);
  2. the per-task time of a loop of converged groupid_contact tasks against a loop of bare ansible.builtin.uri
     GETs to the same server (target: at most 1.10x);
  3. N contacts converged by groupid_contacts against a loop of groupid_contact (target: at least 20x faster),
     for the all-changed and the all-converged case;
  4. the peak memory (max RSS) of the bulk module process.

Run it with `make benchmark` (which provides the tools venv), or by hand:
  PYTHONPATH=simulator python benchmarks/run.py [--contacts 500] [--loop 30] [--rounds 3]
No timed assertion anywhere: this script reports, it does not judge (except that it says which targets are met).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
USERNAME = 'GROUPID\\svc_ansible'
PASSWORD = 'Demo-Passw0rd!'
CLIENT_ID = 'ansible-demo'
CLIENT_SECRET = 'demo-client-secret'
CONTAINER = 'OU=Bench,DC=groupid,DC=lab'

# Measures the peak RSS of a module process: used as ansible_python_interpreter.
RSS_WRAPPER = '''#!%(python)s
import atexit, os, resource, runpy, sys
def _report():
    with open(os.environ['GROUPID_BENCH_RSS'], 'a') as handle:
        handle.write('%%d\\n' %% resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
atexit.register(_report)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
'''


def seed(path, count):
    contacts = []
    for index in range(count):
        contacts.append({
            'object_id': str(uuid.UUID(int=index + 1)),
            'container': CONTAINER,
            'attributes': {'CN': ['Bench Contact %04d' % index], 'displayName': ['Bench %04d' % index],
                           'department': ['Start']},
        })
    data = {
        'token_lifetime': 3600,
        'clients': [{'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET}],
        'users': [{'username': USERNAME, 'password': PASSWORD}],
        'identity_stores': [{'id': 2, 'contacts': contacts}],
    }
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(data, handle)
    return [c['object_id'] for c in contacts]


class Simulator:
    def __init__(self, workdir, seed_path):
        ready = os.path.join(workdir, 'ready.json')
        env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, 'simulator'))
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'groupid_sim', '--port', '0', '--seed', seed_path, '--ready-file', ready,
             '--quiet'], env=env, stdout=subprocess.DEVNULL)
        deadline = time.time() + 30
        while not os.path.exists(ready):
            if time.time() > deadline or self.process.poll() is not None:
                raise RuntimeError('the simulator did not start')
            time.sleep(0.05)
        with open(ready, encoding='utf-8') as handle:
            info = json.load(handle)
        self.url = info['url']
        self.admin = info['admin_url']

    def admin_call(self, method, path):
        request = urllib.request.Request(self.admin + path, method=method, data=b'' if method == 'POST' else None)
        with urllib.request.urlopen(request) as response:
            body = response.read()
        return json.loads(body) if body else None

    def requests(self):
        return self.admin_call('GET', '/requests')['requests']

    def clear(self):
        self.admin_call('DELETE', '/requests')

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def token(sim):
    form = urllib.parse.urlencode({'grant_type': 'password', 'username': USERNAME, 'password': PASSWORD,
                                   'client_Id': CLIENT_ID, 'client_secret': CLIENT_SECRET,
                                   'identity_store_id': '2'}).encode()
    with urllib.request.urlopen(sim.url + '/GroupIDSecurityService/connect/token', data=form) as response:
        return json.loads(response.read())['access_token']


class Runner:
    """Writes and runs playbooks with the collection on ANSIBLE_COLLECTIONS_PATH."""

    def __init__(self, workdir, sim):
        self.workdir = workdir
        self.sim = sim
        collections = os.path.join(workdir, 'collections', 'ansible_collections', 'groupid')
        os.makedirs(collections)
        os.symlink(ROOT, os.path.join(collections, 'groupid'))
        self.env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.join(workdir, 'collections'),
                        ANSIBLE_LOCALHOST_WARNING='False', ANSIBLE_INVENTORY_UNPARSED_WARNING='False',
                        GROUPID_URL=sim.url,
                        GROUPID_IDENTITY_STORE_ID='2')
        self.playbook_bin = shutil.which('ansible-playbook', path=os.path.dirname(sys.executable)) or 'ansible-playbook'

    def run(self, name, tasks, extra_env=None, extra_vars=None):
        path = os.path.join(self.workdir, name + '.yml')
        play = [{'name': name, 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}]
        with open(path, 'w', encoding='utf-8') as handle:
            json.dump(play, handle)
        cmd = [self.playbook_bin, path]
        if extra_vars:
            vars_path = os.path.join(self.workdir, name + '.vars.json')
            with open(vars_path, 'w', encoding='utf-8') as handle:
                json.dump(extra_vars, handle)
            cmd += ['-e', '@' + vars_path]
        env = dict(self.env, **(extra_env or {}))
        start = time.perf_counter()
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
            raise RuntimeError('playbook %s failed' % name)
        return elapsed


def contact_task(identity, department, auth):
    args = {'identity': identity, 'attributes': {'set': {'department': department}}}
    args.update(auth)
    return {'name': 'contact', 'groupid.groupid.groupid_contact': args}


def loop_task(module_args, count, module='groupid.groupid.groupid_contact'):
    return {'name': 'loop', module: module_args, 'loop': '{{ range(%d) | list }}' % count}


def per_task(runner, sides, count, rounds):
    """Per-task cost of each side: median over ``rounds`` of (T_count - T_1) / (count - 1).

    ``sides`` maps a name to make_tasks(n). The sides run interleaved, round by round, so that both
    see the same machine conditions; the difference of two runs removes the playbook's fixed cost.
    """
    samples = dict((name, []) for name in sides)
    for index in range(rounds):
        for name, make_tasks in sides.items():
            one = runner.run('%s-1-r%d' % (name, index), make_tasks(1))
            many = runner.run('%s-%d-r%d' % (name, count, index), make_tasks(count))
            samples[name].append((many - one) / (count - 1))
    return dict((name, statistics.median(values)) for name, values in samples.items())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--contacts', type=int, default=500, help='contacts for the bulk comparison (default 500)')
    parser.add_argument('--loop', type=int, default=30, help='tasks in the per-task loops (default 30)')
    parser.add_argument('--rounds', type=int, default=3, help='interleaved rounds of the per-task loops, median'
                        ' taken (default 3)')
    options = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix='groupid-bench-')
    seed_path = os.path.join(workdir, 'seed.json')
    ids = seed(seed_path, max(options.contacts, 1))
    sim = Simulator(workdir, seed_path)
    lines = []

    def report(text):
        print(text, flush=True)
        lines.append(text)

    try:
        runner = Runner(workdir, sim)
        bearer = token(sim)
        creds = {'username': USERNAME, 'password': PASSWORD, 'client_id': CLIENT_ID, 'client_secret': CLIENT_SECRET}
        with_token = {'access_token': bearer}
        report('# groupid.groupid benchmarks')
        machine = (platform.platform(), os.cpu_count(), platform.python_version(), runner.playbook_bin)
        report('machine: %s, %d cores, Python %s, %s' % machine)

        # 1. Requests per converged task.
        runner.run('prime', [contact_task(ids[0], 'Converged', with_token)])
        for label, auth, expected in (('token', with_token, 1), ('credentials', creds, 2)):
            sim.clear()
            runner.run('count-' + label, [contact_task(ids[0], 'Converged', auth)])
            sent = sim.requests()
            report('requests by a converged groupid_contact task with %s: %d (expected %d): %s'
                   % (label, len(sent), expected, ', '.join(r['method'] for r in sent)))

        # 2. Per-task time: converged groupid_contact vs bare uri GET, same server, same loop shape.
        uri_args = {'url': sim.url + '/GroupIDDataService/api/IdentityStores/2/Contacts/' + ids[0], 'method': 'GET',
                    'body_format': 'json', 'body': ['department'],
                    'headers': {'Authorization': 'Bearer ' + bearer}}
        contact_args = contact_task(ids[0], 'Converged', with_token)['groupid.groupid.groupid_contact']
        times = per_task(runner, {
            'loop-contact': lambda n: [loop_task(contact_args, n)],
            'loop-uri': lambda n: [loop_task(uri_args, n, 'ansible.builtin.uri')],
        }, options.loop, options.rounds)
        ours, theirs = times['loop-contact'], times['loop-uri']
        ratio = ours / theirs
        report('per-task time (median of %d interleaved rounds, loops of %d tasks), converged groupid_contact: %.3fs;'
               ' ansible.builtin.uri GET: %.3fs; ratio %.2fx (target <= 1.10x: %s)'
               % (options.rounds, options.loop, ours, theirs, ratio, 'met' if ratio <= 1.10 else 'NOT met'))

        # 3. Bulk vs loop, all changed and all converged.
        count = options.contacts
        rss_file = os.path.join(workdir, 'rss')
        wrapper = os.path.join(workdir, 'python-rss')
        with open(wrapper, 'w', encoding='utf-8') as handle:
            handle.write(RSS_WRAPPER % {'python': sys.executable})
        os.chmod(wrapper, 0o755)

        def bulk(department):
            entries = [{'identity': i, 'attributes': {'set': {'department': department}}} for i in ids[:count]]
            task = {'name': 'bulk', 'groupid.groupid.groupid_contacts': dict(with_token, contacts='{{ entries }}')}
            # implicit localhost sets ansible_python_interpreter itself: only a variable overrides it
            return runner.run('bulk-' + department, [task],
                              extra_vars={'entries': entries, 'ansible_python_interpreter': wrapper},
                              extra_env={'GROUPID_BENCH_RSS': rss_file})

        def looped(department):
            task = {'name': 'loop', 'groupid.groupid.groupid_contact': dict(
                with_token, identity='{{ item }}', attributes={'set': {'department': department}}),
                'loop': '{{ entries }}'}
            return runner.run('loop-' + department, [task], extra_vars={'entries': ids[:count]})

        # Each side first changes every contact (all changed), then runs again (all converged).
        changed_bulk = bulk('Phase1')
        converged_bulk = bulk('Phase1')
        changed_loop = looped('Phase2')
        converged_loop = looped('Phase2')
        cases = (('all changed', changed_bulk, changed_loop), ('all converged', converged_bulk, converged_loop))
        for case, bulk_time, loop_time in cases:
            speedup = loop_time / bulk_time
            verdict = 'met' if speedup >= 20 else 'NOT met'
            report('%d contacts, %s: groupid_contacts %.1fs, loop of groupid_contact %.1fs, %.1fx faster'
                   ' (target >= 20x: %s)' % (count, case, bulk_time, loop_time, speedup, verdict))
        with open(rss_file, encoding='utf-8') as handle:
            peaks = [int(line) for line in handle if line.strip()]
        report('peak memory of the groupid_contacts module process (%d contacts): %.1f MiB'
               % (count, max(peaks) / 1024.0))
    finally:
        sim.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
