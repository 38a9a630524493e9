#!/usr/bin/env bash
# ctest entry for the OpenAPI contract test: a real redis-server and jkjav-server on free loopback
# ports, then `node --test` checks every response against the schemas in openapi/openapi.json.
set -euo pipefail
server_binary=${1:?usage: run_contract.sh path/to/jkjav-server}
cd "$(dirname "$0")/../.."

if [[ ! -d node_modules/ajv ]]; then
  echo "contract: node_modules is missing; run 'make deps' first" >&2
  exit 1
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
# Servers never seed: the campaign is opened the one way an operator does it.
admin_binary="$(dirname "$server_binary")/jkjav-admin"
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done
"$admin_binary" seed --campaign tests/contract/campaign.json --redis-url "redis://127.0.0.1:$redis_port" >"$work/seed.log" 2>&1 ||
  { cat "$work/seed.log" >&2; exit 1; }
server_port=$(free_port)
PORT=$server_port REDIS_URL=redis://127.0.0.1:$redis_port CAMPAIGN_FILE=tests/contract/campaign.json \
  SNAPSHOT_MS=50 THREADS=2 RATE_LIMIT_LOOKUPS_PER_IP=0 "$server_binary" >"$work/server.log" 2>&1 &
pids+=($!)

deadline=$((SECONDS + 20))
until curl -fsS "http://127.0.0.1:$server_port/readyz" >/dev/null 2>&1; do
  if ((SECONDS > deadline)); then
    echo "contract: server not ready in time" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.05
done

JKJAV_URL="http://127.0.0.1:$server_port" node --test tests/contract/
