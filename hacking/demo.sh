#!/usr/bin/env bash
# `make demo`: examples/demo.yml against the bundled simulator (TLS), three times:
#   1. --check --diff   what would change; nothing is written
#   2. --diff           the real run: changed
#   3. --diff           again: ok, changed=0, no PATCH sent
# then examples/many_contacts.yml twice (one login, three contacts in one task: changed, then ok),
# then the simulator's request log, run by run (method + path).
set -euo pipefail
# shellcheck source=hacking/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

playbook=$ROOT/examples/demo.yml
[ -f "$playbook" ] || die "examples/demo.yml does not exist yet: nothing to demonstrate"
[ -d "$ROOT/simulator/groupid_sim" ] || die "simulator/groupid_sim does not exist yet: the demo needs the simulator"

setup_pybin
ensure_venv "$TOOLS_PY"

# ansible-playbook accepts the collection through a symlink (only ansible-test needs a copy)
colls=$CACHE/demo-collections
mkdir -p "$colls/ansible_collections/$NS"
ln -sfn "$ROOT" "$colls/ansible_collections/$NS/$NAME"

trap sim_stop EXIT
sim_start "$ROOT/simulator" "$CACHE/demo-simulator" || die "the simulator did not start"

export ANSIBLE_COLLECTIONS_PATH=$colls
export ANSIBLE_STDOUT_CALLBACK=ansible.builtin.default ANSIBLE_CALLBACK_RESULT_FORMAT=yaml
[ -t 1 ] && unset ANSIBLE_NOCOLOR   # colour on a terminal
export ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False
export GROUPID_URL=$SIM_URL GROUPID_CA_PATH=$SIM_CA GROUPID_IDENTITY_STORE_ID=2
export GROUPID_USERNAME='GROUPID\svc_ansible' GROUPID_PASSWORD='Demo-Passw0rd!'
export GROUPID_CLIENT_ID=ansible-demo GROUPID_CLIENT_SECRET=demo-client-secret

echo "simulator: $SIM_URL (CA: $SIM_CA)"
marks=()
run() {  # run TITLE PLAYBOOK ARGS...: one ansible-playbook run; remember where its requests end in the log
    local title=$1 playbook=$2
    shift 2
    printf '\n=== %s: ansible-playbook %s %s\n' "$title" "$*" "$playbook"
    (cd "$ROOT/examples" && tools ansible-playbook "$@" "$playbook")
    marks+=("$title=$(request_count)")
}
request_count() {
    tools python -c 'import sys, requests; print(len(requests.get(sys.argv[1] + "/requests", verify=sys.argv[2], timeout=10).json()["requests"]))' \
        "$SIM_ADMIN" "$SIM_CA"
}

run "run 1 (check mode: shows the change, writes nothing)" demo.yml --check --diff
run "run 2 (applies the change)" demo.yml --diff
run "run 3 (nothing left to change)" demo.yml --diff
run "run 4 (many contacts, one login, one task)" many_contacts.yml --diff
run "run 5 (many contacts again: nothing left to change)" many_contacts.yml

printf '\n=== the simulator request log (GET %s/requests)\n' "$SIM_ADMIN"
tools python - "$SIM_ADMIN" "$SIM_CA" "${marks[@]}" <<'PY'
import sys, requests
admin, ca, marks = sys.argv[1], sys.argv[2], sys.argv[3:]
log = requests.get(admin + '/requests', verify=ca, timeout=10).json()['requests']
start = 0
patches = {}
for mark in marks:
    title, end = mark.rsplit('=', 1)
    chunk = log[start:int(end)]
    patches[title.split(' (')[0]] = sum(1 for r in chunk if r.get('method') == 'PATCH')
    print('%s: %d requests, %d PATCH' % (title, len(chunk), patches[title.split(' (')[0]]))
    for r in chunk:
        print('    %-6s %s' % (r.get('method'), r.get('path')))
    start = int(end)
print()
for run in ('run 3', 'run 5'):
    sent = patches.get(run, 0)
    print('%s sent %s.' % (run, 'no PATCH: nothing was written' if sent == 0 else '%d PATCH: NOT idempotent' % sent))
PY
