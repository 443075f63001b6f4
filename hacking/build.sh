#!/usr/bin/env bash
# `make build`: the collection tarball in dist/, built from a copy of the working tree
# (tracked and untracked files, nothing git-ignored; galaxy.yml's build_ignore applies on top).
set -euo pipefail
# shellcheck source=hacking/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup_pybin
ensure_venv "$TOOLS_PY"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
coll=$(stage "$tmp")
mkdir -p "$ROOT/dist"
(cd "$coll" && tools ansible-galaxy collection build --force --output-path "$ROOT/dist" .)
