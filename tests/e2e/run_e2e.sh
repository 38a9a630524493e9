#!/usr/bin/env bash
# ctest entry for the booking page's end-to-end test: a real redis-server and two jkjav-servers on
# loopback serving the built page (WEB_ROOT), one of them with RATE_LIMIT_BOOKINGS_PER_IP=0.5 (one
# booking per 2 s per address: its second booking gets `429` with `Retry-After: 2`); then `node --test`
# drives Debian's headless Chromium through the page with playwright-core. Two more servers, each with
# its own Redis, have a waiting room (queue_page.test.mjs): campaign-queue.json admits at once,
# campaign-queue-held.json admits slowly and never past its slots (overAdmitFactor 1), so a test
# decides when the page waits. Screenshots (390 px wide) go to ARTIFACTS.
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
queue_pids=()  # server, redis, server, redis: the waiting rooms'
cleanup() {
  stop_pid "$limited_pid" jkjav-server 15
  for pid in "${queue_pids[@]}"; do stop_pid "$pid" "jkjav-server or redis-server" 15; done
  stop_all
  rm -rf "$work"
}
trap cleanup EXIT

# The waiting rooms first (start_redis and start_server keep only the last PIDs).
queue_secret=e2e-test-queue-secret-of-32-bytes-or-more
for name in queue queue-held; do
  mkdir -p "$work/$name"
  start_redis "$work/$name"
  HTTP_PORT=0 CAMPAIGN=tests/e2e/campaign-$name.json
  start_server "$work/$name" "QUEUE_SECRET=$queue_secret"
  queue_pids+=("$SERVER_PID" "$REDIS_PID")
  declare "url_${name//-/_}=http://127.0.0.1:$HTTP_PORT"
  REDIS_PID="" SERVER_PID=""
done
HTTP_PORT=0 CAMPAIGN=tests/e2e/campaign.json

start_redis "$work"
mkdir -p "$work/limited" "$artifacts"
start_server "$work/limited" RATE_LIMIT_BOOKINGS_PER_IP=0.5  # seeds the campaign first: servers never seed
limited_pid=$SERVER_PID
limited_url="http://127.0.0.1:$HTTP_PORT"
HTTP_PORT=0
start_server "$work"

JKJAV_URL="http://127.0.0.1:$HTTP_PORT" JKJAV_LIMITED_URL=$limited_url \
  JKJAV_QUEUE_URL=$url_queue JKJAV_QUEUE_HELD_URL=$url_queue_held CHROMIUM=$chromium E2E_ARTIFACTS=$artifacts \
  node --test --test-reporter=spec tests/e2e/
