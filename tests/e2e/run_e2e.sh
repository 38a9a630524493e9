#!/usr/bin/env bash
# ctest entry for the booking page's end-to-end test: a real redis-server and two jkjav-servers on
# loopback serving the built page (WEB_ROOT), one of them with RATE_LIMIT_BOOKINGS_PER_IP=0.5 (one
# booking per 2 s per address: its second booking gets `429` with `Retry-After: 2`); then `node --test`
# drives Debian's headless Chromium through the page with playwright-core. Screenshots (390 px
# wide) go to ARTIFACTS.
set -euo pipefail
server_binary=${1:?usage: run_e2e.sh path/to/jkjav-server WEB_ROOT ARTIFACTS}
web_root=${2:?usage: run_e2e.sh path/to/jkjav-server WEB_ROOT ARTIFACTS}
artifacts=${3:?usage: run_e2e.sh path/to/jkjav-server WEB_ROOT ARTIFACTS}
cd "$(dirname "$0")/../.."

if [[ ! -d node_modules/playwright-core || ! -d node_modules/@axe-core/playwright ]]; then
  echo "e2e: node_modules is missing playwright-core or @axe-core/playwright; run 'make deps' first" >&2
  exit 1
fi
chromium=${CHROMIUM:-/usr/bin/chromium}
[[ -x $chromium ]] || { echo "e2e: no Chromium at $chromium (apt-get install chromium, or set CHROMIUM)" >&2; exit 1; }
[[ -f $web_root/index.html ]] || { echo "e2e: no built page in $web_root (make build)" >&2; exit 1; }

SCRIPT_NAME=e2e
JKJAV_SERVER=$server_binary
# shellcheck source=scripts/lib/jkjav-procs.sh
source scripts/lib/jkjav-procs.sh
CAMPAIGN=tests/e2e/campaign.json
SERVER_ENV=(SNAPSHOT_MS=50 THREADS=2 RATE_LIMIT_LOOKUPS_PER_IP=0 "WEB_ROOT=$web_root")

work=$(mktemp -d)
limited_pid=""
cleanup() {
  stop_pid "$limited_pid" jkjav-server 15
  stop_all
  rm -rf "$work"
}
trap cleanup EXIT

start_redis "$work"
mkdir -p "$work/limited" "$artifacts"
start_server "$work/limited" RATE_LIMIT_BOOKINGS_PER_IP=0.5  # seeds the campaign first: servers never seed
limited_pid=$SERVER_PID
limited_url="http://127.0.0.1:$HTTP_PORT"
HTTP_PORT=0
start_server "$work"

JKJAV_URL="http://127.0.0.1:$HTTP_PORT" JKJAV_LIMITED_URL=$limited_url CHROMIUM=$chromium E2E_ARTIFACTS=$artifacts \
  node --test --test-reporter=spec tests/e2e/
