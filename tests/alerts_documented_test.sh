#!/usr/bin/env bash
# Every alert in deploy/prometheus/alerts.yml has its row in docs/observability.md's "Alerts" table
# (what it means, what to do), and every alert the table names exists: the two are kept in step.
# The table is what lies between the document's `<!-- Alerts: begin` and `<!-- Alerts: end` lines.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
failures=0
rules=$(sed -nE 's/^ *- alert: ([A-Za-z0-9_]+).*/\1/p' deploy/prometheus/alerts.yml | sort)
doc=docs/observability.md
table=$(sed -n '/^<!-- Alerts: begin/,/^<!-- Alerts: end/p' "$doc" | sed -nE 's/^\| `([A-Za-z0-9_]+)` \|.*/\1/p' | sort)
[[ -n $rules ]] || { echo "FAIL no alert found in deploy/prometheus/alerts.yml"; exit 1; }
[[ -n $table ]] || { echo "FAIL no Alerts table between the Alerts markers of $doc"; exit 1; }
for alert in $rules; do
  if grep -qx "$alert" <<<"$table"; then echo "ok   $alert is in $doc's Alerts table"; else echo "FAIL $alert has no row in $doc's Alerts table"; failures=$((failures + 1)); fi
done
for alert in $table; do
  grep -qx "$alert" <<<"$rules" || { echo "FAIL $doc's Alerts table names $alert, which alerts.yml does not have"; failures=$((failures + 1)); }
done
exit $((failures > 0))
