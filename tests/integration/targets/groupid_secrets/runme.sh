#!/usr/bin/env bash
# Runs every module over its success and failure paths at -vvvv, in diff mode, and checks that the
# password, the client secret, the tokens and the value of a sensitive attribute appear nowhere in stdout,
# stderr or the results.
# No `set -x`: it would print the secrets this test looks for.
set -eu

config=../../integration_config.yml
out=$(mktemp -d)
sensitive=PIN-5150-secrets-target
trap 'rm -rf "$out"' EXIT
# through a file: -vvvv prints the command line's extra vars, but not the contents of a vars file
echo "secrets_sensitive_value: ${sensitive}" >"${out}/sensitive.yml"

ANSIBLE_ROLES_PATH=.. ansible-playbook -i "${INVENTORY_PATH}" -e "@${config}" -e "secrets_out=${out}" \
    -e "@${out}/sensitive.yml" \
    --diff -vvvv playbook.yml >"${out}/stdout" 2>"${out}/stderr" || { tail -n 40 "${out}/stdout" "${out}/stderr" >&2; exit 1; }

secret() {  # secret NAME: the value of NAME in the integration config (a plain "name: value" line)
    python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]])' "${config}" "$1"
}

leaks=0
check() {  # check LABEL VALUE
    if grep -rqF -- "$2" "${out}/stdout" "${out}/stderr" "${out}/results.json"; then
        echo "LEAK: the ${1} appears in the output, here (the value itself replaced by <LEAKED>):" >&2
        grep -rnF -- "$2" "${out}/stdout" "${out}/stderr" "${out}/results.json" | head -n 5 | while IFS= read -r line; do
            line=${line//"$2"/<LEAKED>}
            echo "    ${line:0:400}" >&2
        done
        leaks=$((leaks + 1))
    fi
}
check password "$(secret groupid_password)"
check "client secret" "$(secret groupid_client_secret)"
check "token from groupid_token" "$(cat "${out}/token_module")"
check "token passed as access_token" "$(cat "${out}/token_uri")"
check "value of a sensitive attribute" "${sensitive}"

grep -q 'PLAY RECAP' "${out}/stdout" || { echo "the playbook did not run to its end" >&2; exit 1; }
grep -q 'secrets-probe-ran' "${out}/stdout" || { echo "the probe tasks did not run" >&2; exit 1; }
[ "${leaks}" -eq 0 ] || exit 1
echo "no secret in $(wc -l <"${out}/stdout") lines of -vvvv output"
