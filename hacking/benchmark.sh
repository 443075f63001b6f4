#!/usr/bin/env bash
# `make benchmark`: benchmarks/run.py in the tools venv (ansible-core of TOOLS_PY), simulator on PYTHONPATH.
# Extra arguments go through BENCH_ARGS, e.g. make benchmark BENCH_ARGS='--contacts 100 --loop 10'.
set -euo pipefail
# shellcheck source=hacking/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup_pybin
ensure_venv "$TOOLS_PY"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of words on purpose
PYTHONPATH=$ROOT/simulator tools python "$ROOT/benchmarks/run.py" ${BENCH_ARGS:-}
