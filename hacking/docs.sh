#!/usr/bin/env bash
# `make docs`: the HTML docs site (module pages + the guides of docs/docsite/extra-docs.yml),
# built with antsibull-docs into build/docs/build/html (or $DOCS_BUILD_DIR/build/html).
#
# Usage: hacking/docs.sh [COLLECTION_DIR]
#   COLLECTION_DIR: a collection at .../ansible_collections/groupid/groupid whose parent of
#   ansible_collections is on ANSIBLE_COLLECTIONS_PATH (make test passes its staged copy).
#   Without it, the working tree is used through a symlink under .cache/ (ansible-doc accepts one).
set -euo pipefail
# shellcheck source=hacking/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dest=${DOCS_BUILD_DIR:-$ROOT/build/docs}
if [ $# -ge 1 ]; then
    coll=$1
else
    setup_pybin
    ensure_venv "$TOOLS_PY"
    coll=$CACHE/docs-collection/ansible_collections/$NS/$NAME
    mkdir -p "$(dirname "$coll")"
    ln -sfn "$ROOT" "$coll"
    export ANSIBLE_COLLECTIONS_PATH=$CACHE/docs-collection
fi

# Every guide listed in extra-docs.yml must exist (antsibull-docs would only warn).
tools python - "$coll/docs/docsite" <<'PY'
import os, sys, yaml
docsite = sys.argv[1]
conf = yaml.safe_load(open(os.path.join(docsite, 'extra-docs.yml')))
missing = [toc for section in conf.get('sections', []) for toc in section.get('toctree', [])
           if not os.path.exists(os.path.join(docsite, 'rst', toc + '.rst'))]
if missing:
    sys.exit('docs/docsite/extra-docs.yml lists guides that do not exist: '
             + ', '.join('docs/docsite/rst/%s.rst' % m for m in missing))
PY

rm -rf "$dest"
mkdir -p "$dest"
tools antsibull-docs sphinx-init --use-current --lenient --dest-dir "$dest" "$NS.$NAME"
# no network: intersphinx inventories cannot be fetched
sed -i '/^intersphinx_mapping = {/,/^}/d' "$dest/conf.py"
if ! tools "$dest/build.sh" >"$dest/build.log" 2>&1; then
    tail -n 40 "$dest/build.log"
    die "docs build failed (log: $dest/build.log)"
fi
page=$dest/build/html/collections/$NS/$NAME/groupid_contact_module.html
[ -s "$page" ] || die "the module page $page was not built"
# Sphinx warnings fail the build, except references that only intersphinx could resolve (no network
# here): labels outside this collection, such as common_return_values.
bad=$(grep -E 'WARNING|ERROR' "$dest/build.log" |
    grep -vE "undefined label: '([a-z_]+|ansible_collections\.(ansible|community)\.[^']*)'" || true)
if [ -n "$bad" ]; then
    echo "$bad"
    die "the docs build has warnings (log: $dest/build.log)"
fi
log "docs: $dest/build/html/index.html"
