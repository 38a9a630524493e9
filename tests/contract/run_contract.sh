#!/usr/bin/env bash
# ctest entry for the OpenAPI contract test: a real redis-server and jkjav-server on loopback
# (scripts/lib/jkjav-procs.sh: the server binds port 0 and says which it got), then `node --test`
# checks every response against the schemas in openapi/openapi.json.
set -euo pipefail
server_binary=${1:?usage: run_contract.sh path/to/jkjav-server}
cd "$(dirname "$0")/../.."

if [[ ! -d node_modules/ajv ]]; then
  echo "contract: node_modules is missing; run 'make deps' first" >&2
  exit 1
fi

SCRIPT_NAME=contract
JKJAV_SERVER=$server_binary
# shellcheck source=scripts/lib/jkjav-procs.sh
source scripts/lib/jkjav-procs.sh
CAMPAIGN=tests/contract/campaign.json
SERVER_ENV=(SNAPSHOT_MS=50 THREADS=2 RATE_LIMIT_LOOKUPS_PER_IP=0)

work=$(mktemp -d)
queue_redis_pid="" queue_server_pid=""
cleanup() {
  stop_pid "$queue_server_pid" jkjav-server 15
  stop_pid "$queue_redis_pid" redis-server 5
  stop_all
  rm -rf "$work"
}
trap cleanup EXIT

# A second Redis and server for the waiting room: its campaign gates every booking with a ticket.
mkdir -p "$work/queue"
start_redis "$work/queue"
HTTP_PORT=0 CAMPAIGN=tests/contract/campaign-queue.json
start_server "$work/queue" QUEUE_SECRET=contract-test-queue-secret-of-32-bytes-or-more
queue_redis_pid=$REDIS_PID queue_server_pid=$SERVER_PID queue_port=$HTTP_PORT
REDIS_PID="" SERVER_PID=""

HTTP_PORT=0 CAMPAIGN=tests/contract/campaign.json
start_redis "$work"
start_server "$work"  # seeds the campaign first: servers never seed

JKJAV_URL="http://127.0.0.1:$HTTP_PORT" JKJAV_QUEUE_URL="http://127.0.0.1:$queue_port" node --test tests/contract/
