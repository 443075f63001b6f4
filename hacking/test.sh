#!/usr/bin/env bash
# `make test`: every check of the collection, each one a counted step. Does its own set-up:
# cached venvs (.cache/venvs/), real interpreters on PATH, ansible-test's offline pip bootstrap,
# a staged COPY of the working tree at <tmp>/ansible_collections/groupid/groupid per job.
#
# Output: one line per step; the log of a failed step is tailed; all logs stay in
# .cache/logs/<run>/ (.cache/logs/latest points to the last run).
# Last line: "ci: N passed, M failed"; exit status non-zero when a step failed.
#
# Jobs (each in its own staged copy): "checks PY" = sanity + units, "integration PY" (with its own
# simulator) for each ansible-core line, and "tools" (lint, build, docs...). They run JOBS at a time.
#
# Environment: JOBS=1 runs the jobs one after the other (default 2, for 2 cores);
# KEEP=1 keeps the run's temporary directory; ONLY="regex" runs only the matching steps;
# TARGETS="a b" limits the integration tests to these targets.
set -uo pipefail
# shellcheck source=hacking/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JOBS=${JOBS:-2}
ONLY=${ONLY:-}
RUN=$(mktemp -d "${TMPDIR:-/tmp}/groupid-test.XXXXXX")
LOGS=$CACHE/logs/$(date +%Y%m%d-%H%M%S)-$$
STATUS=$RUN/status
T0=$SECONDS

cleanup() {
    [ -n "${KEEP:-}" ] && { log "kept $RUN"; return; }
    rm -rf "$RUN"
}
trap cleanup EXIT
mkdir -p "$LOGS" "$STATUS"
ln -sfn "$(basename "$LOGS")" "$CACHE/logs/latest"
# keep the logs of the last 5 runs
find "$CACHE/logs" -mindepth 1 -maxdepth 1 -type d | sort | head -n -5 | xargs -r rm -rf

# step NAME CMD...: run CMD with its output in $LOGS/NAME.log; record and print the result.
step() {
    local name=$1 s=$SECONDS id rc
    shift
    if [ -n "$ONLY" ] && ! [[ $name =~ $ONLY ]]; then return 0; fi
    id=${name//[^A-Za-z0-9.-]/_}
    "$@" >"$LOGS/$id.log" 2>&1 </dev/null
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "passed $name" >"$STATUS/$id"
        say "ok      $name ($((SECONDS - s))s)"
    else
        echo "failed $name" >"$STATUS/$id"
        say "FAILED  $name ($((SECONDS - s))s, exit $rc) - from ${LOGS#"$ROOT"/}/$id.log:" \
            "$(excerpt "$LOGS/$id.log" | sed 's/^/    | /')"
    fi
}

# excerpt LOG: the ERROR/FATAL lines of LOG if it has some (ansible-test, ansible), else its end.
excerpt() {
    if grep -qE '^(ERROR|FATAL|fatal:)' "$1"; then
        grep -E '^(ERROR|FATAL|fatal:)' "$1" | cut -c1-600 | tail -n 40
    else
        tail -n 40 "$1"
    fi
}

# skip NAME REASON: a step that cannot run yet (shown, not counted).
skip() {
    if [ -n "$ONLY" ] && ! [[ $1 =~ $ONLY ]]; then return 0; fi
    echo "skipped $1: $2" >"$STATUS/${1//[^A-Za-z0-9.-]/_}"
    say "skip    $1 ($2)"
}

# say LINE...: print lines as one block (the two lanes write to the same terminal).
say() { flock "$RUN/.say" printf '%s\n' "$@"; }

summary() {
    local passed failed
    passed=$(cat "$STATUS"/* 2>/dev/null | grep -c '^passed')
    failed=$(cat "$STATUS"/* 2>/dev/null | grep -c '^failed')
    grep -h '^skipped' "$STATUS"/* 2>/dev/null
    [ "$failed" -eq 0 ] || { echo "failed steps:"; grep -h '^failed' "$STATUS"/* | sed 's/^failed /  - /'; }
    echo "total $((SECONDS - T0))s (logs: ${LOGS#"$ROOT"/}/)"
    echo "ci: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

# ---------------------------------------------------------------------------------------------
# Set-up: interpreters, venvs, ansible-test's pip bootstrap, shellcheck. Failures here are fatal
# but still end with the summary line.
setup() {
    setup_pybin
    local py
    for py in $CORE_PYS; do ensure_venv "$py" || return 1; done
    for py in $CORE_PYS; do seed_get_pip "$(venv_dir "$py")" || return 1; done
    seed_ssh_key || return 1
    # the collection has shell scripts: without shellcheck, ansible-test's shellcheck test passes silently
    if ! command -v shellcheck >/dev/null; then
        install_shellcheck || { log "shellcheck missing and apt-get install failed"; return 1; }
    fi
}

install_shellcheck() {
    command -v apt-get >/dev/null || return 1
    local sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q shellcheck ||
        { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q shellcheck; }
}

# ---------------------------------------------------------------------------------------------
# The jobs of one ansible-core line, each in its own staged copy:
#   checks PY:       sanity (compile/import on every supported target Python found) and units on
#                    the line's controller Python (+ the oldest target Python for the oldest line)
#   integration PY:  the integration targets against a simulator of its own

# core_job KIND PYVER: the set-up common to both kinds; sets venv, core and coll.
core_job() {
    venv=$(venv_dir "$2")
    core=$(core_version "$venv")
    coll=$(stage "$RUN/$1-$2") || { echo "failed staging for $1 py$2" >"$STATUS/stage-$1-$2"; return 1; }
}

checks() {
    local py=$1 venv core coll
    core_job checks "$py" || return
    # ansible-test's sanity venvs in ~/.ansible/test/venv are shared (between core lines and between
    # concurrent runs) and created without a lock: one sanity run at a time on this machine
    step "sanity core $core py$py" locked "$HOME/.ansible/test/.sanity.lock" \
        ansible_test "$venv" "$coll" sanity --venv
    step "units core $core py$py" ansible_test "$venv" "$coll" units --venv --python "$py"
    if [ "$py" = "${CORE_PYS%% *}" ]; then   # oldest core line: also the modules' oldest target Python
        step "units core $core py$FLOOR_PY" ansible_test "$venv" "$coll" units --venv --python "$FLOOR_PY"
    fi
}

integration() {
    local py=$1 venv core coll
    core_job integration "$py" || return
    step "integration core $core py$py" integration_run "$venv" "$coll" "$py"
}

# locked LOCKFILE CMD...: run CMD (a function too) while holding LOCKFILE.
locked() {
    local lock=$1
    shift
    mkdir -p "$(dirname "$lock")"
    (flock 9 && "$@") 9>"$lock"
}

# ansible_test VENV COLL ARGS...: ansible-test of VENV's core, run in the staged collection COLL.
ansible_test() {
    local venv=$1 coll=$2
    shift 2
    (cd "$coll" && PATH="$venv/bin:$PATH" VIRTUAL_ENV=$venv TMPDIR=$RUN \
        "$venv/bin/ansible-test" "$@" --color no)
}

# integration_run VENV COLL PYVER: start the simulator (TLS), hand its address to the targets
# through tests/integration/integration_config.yml, run ansible-test integration, stop it.
integration_run() (
    local venv=$1 coll=$2 py=$3
    trap sim_stop EXIT
    sim_start "$coll/simulator" "$RUN/sim-$py" || exit 1
    cat >"$coll/tests/integration/integration_config.yml" <<EOF
---
groupid_url: '$SIM_URL'
groupid_ca_path: '$SIM_CA'
groupid_admin_url: '$SIM_ADMIN'
groupid_identity_store_id: 2
groupid_username: 'GROUPID\svc_ansible'
groupid_password: 'Demo-Passw0rd!'
groupid_client_id: ansible-demo
groupid_client_secret: demo-client-secret
EOF
    # shellcheck disable=SC2086  # TARGETS: a space-separated list of targets (default: all)
    ansible_test "$venv" "$coll" integration --venv --python "$py" ${TARGETS:-}
)

# ---------------------------------------------------------------------------------------------
# Everything that is not ansible-test, with the tools venv, in its own staged copy.
tools_job() {
    local coll dist inst
    coll=$(stage "$RUN/tools") || { echo "failed staging for tools" >"$STATUS/stage-tools"; return; }
    dist=$RUN/dist inst=$RUN/installed
    export ANSIBLE_COLLECTIONS_PATH=$RUN/tools
    cd "$coll" || return

    step "action group lists every module" tools python hacking/check_action_groups.py
    if [ -d simulator/tests ]; then
        step "simulator tests" tools env PYTHONPATH=simulator python -m pytest -q -p no:cacheprovider simulator/tests
    else
        skip "simulator tests" "simulator/tests does not exist yet"
    fi
    step "ansible-lint (production profile)" tools ansible-lint --offline --nocolor
    step "antsibull-docs lint-collection-docs" tools antsibull-docs lint-collection-docs --plugin-docs .
    step "antsibull-changelog lint" tools antsibull-changelog lint
    step "galaxy build + tarball contents" galaxy_build "$dist"
    step "ansible-doc of every module (installed tarball)" galaxy_install_doc "$dist" "$inst"
    step "galaxy-importer" galaxy_importer "$dist"
    step "ansible-builder introspect" builder_introspect "$inst"
    step "docs site build" env DOCS_BUILD_DIR="$RUN/docs" "$ROOT/hacking/docs.sh" "$coll"
    cd "$ROOT" || return
}

galaxy_build() {
    local dist=$1 clutter
    rm -rf "$dist"
    tools ansible-galaxy collection build --force --output-path "$dist" . || return 1
    tar -tzf "$dist"/*.tar.gz >"$dist/contents.txt" || return 1
    clutter=$(grep -E '^(tests/output|simulator|\.ci|benchmarks|hacking|\.cache|\.venv|build|dist|\.hypothesis|tests/integration/integration_config\.yml|tests/integration/inventory)(/|$)' "$dist/contents.txt")
    if [ -n "$clutter" ]; then
        echo "the tarball contains files that belong in galaxy.yml build_ignore:"
        echo "$clutter"
        return 1
    fi
    echo "$(wc -l <"$dist/contents.txt") entries, no clutter"
}

# galaxy_install_doc DIST INST: install the tarball into INST; ansible-doc of each module from there
galaxy_install_doc() {
    local dist=$1 inst=$2 src=$PWD m rc=0
    rm -rf "$inst"
    (
        export ANSIBLE_COLLECTIONS_PATH=$inst
        cd "$RUN" || exit 1   # not inside a collection: only INST may provide groupid.groupid
        tools ansible-galaxy collection install --force -p "$inst" "$dist"/*.tar.gz || exit 1
        for m in "$inst/ansible_collections/$NS/$NAME"/plugins/modules/*.py; do
            m=$(basename "$m" .py)
            if tools ansible-doc -t module "$NS.$NAME.$m" >"$RUN/doc-$m.txt" && [ -s "$RUN/doc-$m.txt" ]; then
                echo "ansible-doc $NS.$NAME.$m: $(wc -l <"$RUN/doc-$m.txt") lines"
            else
                echo "ansible-doc $NS.$NAME.$m: FAILED"
                rc=1
            fi
        done
        # every module of the source tree made it into the tarball
        for m in "$src"/plugins/modules/*.py; do
            m=plugins/modules/$(basename "$m")
            [ -f "$inst/ansible_collections/$NS/$NAME/$m" ] || { echo "$m is missing from the tarball"; rc=1; }
        done
        exit $rc
    )
}

galaxy_importer() {
    (cd "$RUN" && tools python -m galaxy_importer.main "$1"/*.tar.gz)
}

# the installed collection must declare requests through meta/execution-environment.yml
builder_introspect() {
    local out
    out=$(tools ansible-builder introspect --sanitize "$1") || return 1
    echo "$out"
    grep -Eq "^ *- '?requests .*# from collection $NS\\.$NAME" <<<"$out" ||
        { echo "requests from groupid.groupid is missing in the introspection"; return 1; }
}

# run_jobs JOB...: run each JOB (a function and its arguments), JOBS of them at a time.
run_jobs() {
    local job running=0
    for job in "$@"; do
        if [ "$running" -ge "$JOBS" ]; then
            wait -n
            running=$((running - 1))
        fi
        # shellcheck disable=SC2086  # JOB is "function args"
        $job &
        running=$((running + 1))
    done
    wait
}

# ---------------------------------------------------------------------------------------------
main() {
    cd "$ROOT" || exit 1
    log "make test: logs in ${LOGS#"$ROOT"/}/, $JOBS jobs at a time"
    local s=$SECONDS
    if ! setup >"$LOGS/setup.log" 2>&1 </dev/null; then
        echo "failed set-up" >"$STATUS/setup"
        log "FAILED  set-up - end of ${LOGS#"$ROOT"/}/setup.log:"
        tail -n 40 "$LOGS/setup.log" | sed 's/^/    | /' >&2
        summary
        exit 1
    fi
    setup_pybin   # PATH change of the set-up subshell does not reach us
    log "set-up done ($((SECONDS - s))s): $(for py in $CORE_PYS; do echo "core $(core_version "$(venv_dir "$py")") py$py"; done | paste -sd' ')"

    # longest jobs first, so that two lanes end at about the same time
    local py jobs=()
    for py in $CORE_PYS; do jobs+=("integration $py"); done
    jobs+=(tools_job)
    for py in $CORE_PYS; do jobs+=("checks $py"); done
    run_jobs "${jobs[@]}"
    summary
}

main "$@"
