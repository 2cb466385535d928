#!/usr/bin/env bash
# Copies the monitoring files of docker/monitoring/ into spartan/aztec-spartan.sh (between its BEGIN and END
# MONITORING FILES lines), so that `config --monitoring` can write them wherever the script was installed. Run by
# spartan/build-install.sh; a test checks that the embedded copies are current.
set -euo pipefail
cd "$(dirname "$0")"
readonly SRC=../docker/monitoring
FILES="prometheus.yml alerts.yml grafana/provisioning/datasources/prometheus.yml"
FILES="$FILES grafana/provisioning/dashboards/aztec.yml grafana/dashboards/node.json"
readonly FILES="$FILES grafana/dashboards/validators.json grafana/dashboards/l1.json"
readonly EOF_MARK=AZTEC_MONITORING_FILE_EOF

block="$(mktemp)"
trap 'rm -f "$block" "$block.sh"' EXIT
{
  echo '# BEGIN MONITORING FILES: copied from docker/monitoring/ by spartan/build-monitoring.sh; do not edit here.'
  echo "readonly MONITORING_FILES=\"${FILES}\""
  echo '# The content of one monitoring file, by its path under docker/monitoring/.'
  echo 'monitoring_file() {'
  # shellcheck disable=SC2016 # shell code written out: its $1 is meant literally
  echo '  case "$1" in'
  for f in $FILES; do
    grep -q "^${EOF_MARK}\$" "$SRC/$f" && { echo "build-monitoring: $f contains the line ${EOF_MARK}" >&2; exit 1; }
    echo "    $f)"
    echo "      cat <<'${EOF_MARK}'"
    cat "$SRC/$f"
    [ -z "$(tail -c 1 "$SRC/$f")" ] || echo
    echo "${EOF_MARK}"
    echo '      ;;'
  done
  echo '    *) return 1 ;;'
  echo '  esac'
  echo '}'
  echo '# END MONITORING FILES'
} >"$block"

awk -v block="$block" '
  /^# BEGIN MONITORING FILES/ { while ((getline line < block) > 0) print line; skip = 1; next }
  /^# END MONITORING FILES/ { skip = 0; next }
  !skip { print }
' aztec-spartan.sh >"$block.sh"
grep -q '^# BEGIN MONITORING FILES' "$block.sh" || { echo "build-monitoring: no BEGIN MONITORING FILES line in aztec-spartan.sh" >&2; exit 1; }
cat "$block.sh" >aztec-spartan.sh
