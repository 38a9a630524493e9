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
cleanup() {
  stop_all
  rm -rf "$work"
}
trap cleanup EXIT

start_redis "$work"
start_server "$work"  # seeds the campaign first: servers never seed

JKJAV_URL="http://127.0.0.1:$HTTP_PORT" node --test tests/contract/
