#!/usr/bin/env bash
# `make simulator`: run the bundled simulator with TLS on a free port until Ctrl-C, and print
# the environment variables that point the modules at it.
set -euo pipefail
# shellcheck source=hacking/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup_pybin
ensure_venv "$TOOLS_PY"
state=$CACHE/simulator
trap sim_stop EXIT
trap 'exit 0' INT TERM
sim_start "$ROOT/simulator" "$state" || die "the simulator did not start (log: $state/simulator.log)"
cat <<EOT
simulator running (pid $SIM_PID); admin API: $SIM_ADMIN
export GROUPID_URL='$SIM_URL' GROUPID_CA_PATH='$SIM_CA' GROUPID_IDENTITY_STORE_ID=2
export GROUPID_USERNAME='GROUPID\\svc_ansible' GROUPID_CLIENT_ID=ansible-demo
export GROUPID_PASSWORD=... GROUPID_CLIENT_SECRET=...   # the demo credentials: see simulator/seed.yml
Ctrl-C stops it.
EOT
wait "$SIM_PID"
