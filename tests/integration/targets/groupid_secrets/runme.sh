#!/usr/bin/env bash
# Runs every module over its success and failure paths at -vvvv, in diff mode, and checks that the
# password, the client secret and the tokens appear nowhere in stdout, stderr or the results.
# No `set -x`: it would print the secrets this test looks for.
set -eu

config=../../integration_config.yml
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

ANSIBLE_ROLES_PATH=.. ansible-playbook -i "${INVENTORY_PATH}" -e "@${config}" -e "secrets_out=${out}" \
    --diff -vvvv playbook.yml >"${out}/stdout" 2>"${out}/stderr" || { tail -n 40 "${out}/stdout" "${out}/stderr" >&2; exit 1; }

secret() {  # secret NAME: the value of NAME in the integration config (a plain "name: value" line)
    python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]])' "${config}" "$1"
}

leaks=0
check() {  # check LABEL VALUE
    if grep -rqF -- "$2" "${out}/stdout" "${out}/stderr" "${out}/results.json"; then
        echo "LEAK: the ${1} appears in the output" >&2
        leaks=$((leaks + 1))
    fi
}
check password "$(secret groupid_password)"
check "client secret" "$(secret groupid_client_secret)"
check "token from groupid_token" "$(cat "${out}/token_module")"
check "token passed as access_token" "$(cat "${out}/token_uri")"

grep -q 'PLAY RECAP' "${out}/stdout" || { echo "the playbook did not run to its end" >&2; exit 1; }
grep -q 'secrets-probe-ran' "${out}/stdout" || { echo "the probe tasks did not run" >&2; exit 1; }
[ "${leaks}" -eq 0 ] || exit 1
echo "no secret in $(wc -l <"${out}/stdout") lines of -vvvv output"
