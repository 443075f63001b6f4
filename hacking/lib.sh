# shellcheck shell=bash disable=SC2034  # (variables set here are used by the sourcing scripts)
# Shared helpers of hacking/test.sh, hacking/demo.sh, hacking/docs.sh and hacking/simulator.sh.
# Source it; it defines functions and a few variables and runs nothing else.
#
# What this machine needs worked around (see the tooling notes of the project):
#   * pyenv shims only work for the global Python: ansible-test finds python3.X by name,
#     so a directory of real interpreter symlinks goes first on PATH (setup_pybin).
#   * ansible-test bootstraps pip in its venvs from a download that is unreachable here:
#     an offline stand-in goes to ~/.ansible/test/cache/get_pip_X_Y.py (seed_get_pip).
#   * ansible-test needs the collection at .../ansible_collections/groupid/groupid as a real
#     directory (a symlink is rejected): the working tree is COPIED there (stage).

NS=groupid NAME=groupid
CORE_PYS="3.11 3.12 3.13"   # one controller Python per ansible-core line (pins: requirements-dev.txt)
TOOLS_PY=3.13               # its venv also holds every tool of requirements-dev.txt
FLOOR_PY=3.9                # oldest target Python of the modules (tests/config.yml python_requires)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=$ROOT/.cache
export PIP_DISABLE_PIP_VERSION_CHECK=1 ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_NOCOLOR=1
# PIP_DISABLE_PIP_VERSION_CHECK only silences pip; ANSIBLE_NOCOLOR keeps logs readable.

log() { printf '%s\n' "$*" >&2; }
die() { log "FATAL: $*"; exit 1; }

pyenv_root() { if [ -n "${PYENV_ROOT:-}" ]; then echo "$PYENV_ROOT"; else pyenv root 2>/dev/null || echo "$HOME/.pyenv"; fi; }

# setup_pybin: real pythonX.Y binaries (not pyenv shims) first on PATH.
setup_pybin() {
    local dir=$CACHE/pybin b
    mkdir -p "$dir"
    for b in "$(pyenv_root)"/versions/*/bin/python[23].*; do
        case $b in *-config | *m) continue ;; esac
        [ -x "$b" ] && ln -sfn "$b" "$dir/$(basename "$b")"
    done
    case ":$PATH:" in *":$dir:"*) ;; *) export PATH="$dir:$PATH" ;; esac
}

# venv_dir PYVER: the cached venv for PYVER, keyed by the hash of requirements-dev.txt.
venv_dir() {
    local key
    key=$(cat "$ROOT/requirements-dev.txt" "$ROOT/requirements.txt" | sha256sum | cut -c1-12)
    echo "$CACHE/venvs/$key/py$1"
}

# ensure_venv PYVER: create the venv unless it is complete (marker file). The tools venv gets all
# of requirements-dev.txt; the other ones only ansible-core, pinned by the same file as constraints.
ensure_venv() {
    local dir
    dir=$(venv_dir "$1")
    [ -f "$dir/.complete" ] && return 0
    mkdir -p "$CACHE/venvs"
    (
        flock 9   # one creator at a time: several make runs may share the checkout
        create_venv "$1" "$dir"
    ) 9>"$CACHE/venvs/.lock"
}

create_venv() {
    local py=$1 dir=$2
    [ -f "$dir/.complete" ] && return 0
    log "--- creating venv $dir"
    rm -rf "$dir"
    command -v "python$py" >/dev/null || die "python$py not found (expected under $(pyenv_root)/versions/)"
    "python$py" -m venv "$dir" || die "python$py -m venv failed"
    if [ "$py" = "$TOOLS_PY" ]; then
        pip_quiet "$dir" install -r "$ROOT/requirements-dev.txt" -r "$ROOT/requirements.txt"
    else
        pip_quiet "$dir" install -c "$ROOT/requirements-dev.txt" ansible-core
    fi || die "pip install into $dir failed"
    touch "$dir/.complete"
    # keep only the venvs of the current requirements
    find "$CACHE/venvs" -mindepth 1 -maxdepth 1 -type d ! -name "$(basename "$(dirname "$dir")")" -exec rm -rf {} +
}

# core_version VENV: the ansible-core version installed in VENV.
core_version() { "$1/bin/python" -c 'from ansible.release import __version__ as v; print(v)'; }

# pip_quiet VENV ARGS...: pip without the machine's harmless "Location ... is ignored" noise.
pip_quiet() {
    local venv=$1
    shift
    "$venv/bin/pip" -q "$@" 2>&1 | grep -v 'is ignored: it is neither'
    return "${PIPESTATUS[0]}"
}

# tools CMD...: run CMD with the tools venv activated.
tools() {
    local v
    v=$(venv_dir "$TOOLS_PY")
    PATH="$v/bin:$PATH" VIRTUAL_ENV=$v "$@"
}

# seed_get_pip VENV: offline stand-ins for ansible-test's get-pip downloads, for the pip
# versions that VENV's ansible-test bootstraps into its own venvs.
seed_get_pip() {
    local cache=$HOME/.ansible/test/cache v f
    mkdir -p "$cache"
    for v in $("$1/bin/python" - <<'PY'
import os, re, ansible_test
path = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
print(' '.join(sorted(set(re.findall(r"pip=.([0-9.]+).", open(path).read())))))
PY
    ); do
        f=$cache/get_pip_${v//./_}.py
        [ -s "$f" ] && continue
        pip_quiet "$1" download --no-deps --only-binary=:all: -d "$cache" "pip==$v" || return 1
        cat >"$f.tmp" <<PY
# Offline stand-in for get-pip.py $v (written by hacking/lib.sh): run pip from its wheel
# and install what ansible-test asks for (pip==$v ...).
import glob, os, sys
here = os.path.dirname(os.path.abspath(__file__))
whl = glob.glob(os.path.join(here, 'pip-$v-py*.whl'))
if not whl:
    import ensurepip
    whl = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), '_bundled', 'pip-*.whl')))
sys.path.insert(0, whl[-1])
from pip._internal.cli.main import main
args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
sys.exit(main(['install', '--upgrade', '--force-reinstall', '--find-links', here] + args))
PY
        mv "$f.tmp" "$f"
    done
}

# seed_ssh_key: the SSH key pair that ansible-test integration creates on first use in
# ~/.ansible/test/; made here once, because two first runs at the same time race on it.
seed_ssh_key() {
    local dir=$HOME/.ansible/test
    mkdir -p "$dir"
    (
        flock 9
        [ -f "$dir/id_rsa" ] && [ -f "$dir/id_rsa.pub" ] && exit 0
        rm -f "$dir/id_rsa" "$dir/id_rsa.pub"
        ssh-keygen -m PEM -q -t rsa -N '' -f "$dir/id_rsa" &&
            sed -i -E 's/(BEGIN|END) PRIVATE KEY/\1 RSA PRIVATE KEY/' "$dir/id_rsa"
    ) 9>"$dir/.id_rsa.lock"
}

# stage DIR: copy the working tree (tracked + untracked, not ignored: uncommitted edits are
# tested, .venv/.cache/tests/output never travel) to DIR/ansible_collections/groupid/groupid.
stage() {
    local coll=$1/ansible_collections/$NS/$NAME
    mkdir -p "$coll"
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
        tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$coll" || return 1
    echo "$coll"
}

# sim_start SIMDIR STATEDIR [--tls]: start the simulator from SIMDIR (a simulator/ folder) in the
# background; wait for its ready file. Sets SIM_PID SIM_URL SIM_CA SIM_ADMIN. Pair with sim_stop.
sim_start() {
    local simdir=$1 state=$2 py ready
    py=$(venv_dir "$TOOLS_PY")/bin/python
    ready=$state/ready.json
    [ -d "$simdir/groupid_sim" ] || { log "no simulator at $simdir/groupid_sim"; return 1; }
    mkdir -p "$state"
    rm -f "$ready"
    PYTHONPATH=$simdir "$py" -m groupid_sim --port 0 --tls --cert-dir "$state/certs" \
        --ready-file "$ready" --quiet --seed "$simdir/seed.yml" >"$state/simulator.log" 2>&1 </dev/null &
    SIM_PID=$!
    local vals
    for _ in $(seq 1 150); do
        if vals=$("$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["url"], d["ca_path"], d["admin_url"], d.get("pid", ""))' \
            "$ready" 2>/dev/null); then
            read -r SIM_URL SIM_CA SIM_ADMIN SIM_CHILD <<<"$vals"
            return 0
        fi
        kill -0 "$SIM_PID" 2>/dev/null || break
        sleep 0.2
    done
    log "the simulator did not become ready; its log:"
    tail -n 30 "$state/simulator.log" >&2
    sim_stop
    return 1
}

sim_stop() {
    local p
    for p in ${SIM_CHILD:-} ${SIM_PID:-}; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    SIM_PID='' SIM_CHILD=''
    return 0
}

# sim_requests ADMIN_URL CA: print the simulator's request log, one "METHOD path" per line.
sim_requests() {
    tools python - "$1" "$2" <<'PY'
import sys, requests
log = requests.get(sys.argv[1] + '/requests', verify=sys.argv[2], timeout=10).json()
for n, r in enumerate(log.get('requests', log) if isinstance(log, dict) else log, 1):
    print('%3d  %-6s %s' % (n, r.get('method'), r.get('path')))
PY
}
