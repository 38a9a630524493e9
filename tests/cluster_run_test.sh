#!/usr/bin/env bash
# `make run-cluster` (scripts/run-cluster.sh) in a scratch JKJAV_VAR on free ports: it gets ready,
# HAProxy's URL answers availability and takes a booking, which both replicas then hold, a second
# one on the same ports refuses and leaves the first alone, and SIGTERM stops every process it
# started (Redis primary and two replicas, three Sentinels, three servers, HAProxy, the dev broker).
# Usage: cluster_run_test.sh BIN_DIR (where jkjav-server, jkjav-admin and jkjav-devbroker are)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export JKJAV_SERVER=$1/jkjav-server
scratch=$(mktemp -d)
export JKJAV_VAR=$scratch/var
# shellcheck source=tests/shell_checks.sh
source tests/shell_checks.sh
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cluster=""
all_pids=()
finish() {
    local pid
    if [[ -n $cluster ]]; then  # the test ended before the cluster was stopped: stop what it started
        kill -KILL "$cluster" 2>/dev/null
        for pid in "${all_pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    fi
    rm -rf "$scratch"
    echo "$passes passed, $failures failed"
}
trap finish EXIT

for name in CLUSTER_PORT CLUSTER_STATS_PORT REDIS_PRIMARY_PORT REDIS_REPLICA_PORT REDIS_REPLICA_2_PORT SENTINEL_PORT_1 \
    SENTINEL_PORT_2 SENTINEL_PORT_3; do
    printf -v "$name" %s "$(free_port)"
    export "${name?}"
done
export API_PORT_1=0 API_PORT_2=0 API_PORT_3=0 DEVBROKER_PORT=0 THREADS=1
scripts/run-cluster.sh >"$scratch/cluster.log" 2>&1 &
cluster=$!
env_file=$JKJAV_VAR/cluster/cluster.env
deadline=$((SECONDS + 90))
# Ready once it says so: the settings file is written just before the ready line is printed.
until [[ -f $env_file ]] && grep -q 'run-cluster: ready:' "$scratch/cluster.log"; do
    if ! kill -0 "$cluster" 2>/dev/null || ((SECONDS >= deadline)); then
        echo "FAIL make run-cluster did not get ready within 90 s:"
        cat "$scratch/cluster.log"
        exit 1
    fi
    sleep 0.2
done
# shellcheck disable=SC1090
source "$env_file"
all_pids=("$HAPROXY_PID" "$PRIMARY_PID" "$REPLICA_PID" "$REPLICA_2_PID" "$BROKER_PID" "${SENTINEL_PIDS[@]}" "${SERVER_PIDS[@]}")

check "it prints HAProxy's URL" contains "$scratch/cluster.log" "ready: http://127.0.0.1:$CLUSTER_PORT (HAProxy)"
check "it records HAProxy's URL" test "$URL" = "http://127.0.0.1:$CLUSTER_PORT"
check "it started three servers" test "${#SERVER_PIDS[@]}" = 3
check "and three Sentinels" test "${#SENTINEL_PIDS[@]}" = 3
check "which name the primary it started" \
    test "$(redis-cli -p "$SENTINEL_PORT_2" sentinel get-master-addr-by-name jkjav | paste -sd:)" = "127.0.0.1:$REDIS_PRIMARY_PORT"
check "the servers are given the three Sentinels" \
    test "$REDIS_SENTINELS" = "127.0.0.1:$SENTINEL_PORT_1,127.0.0.1:$SENTINEL_PORT_2,127.0.0.1:$SENTINEL_PORT_3"
check "the primary refuses writes without a replica (min-replicas-to-write 1)" \
    test "$(redis-cli -p "$REDIS_PRIMARY_PORT" config get min-replicas-to-write | tail -1)" = 1
check "and keeps an append-only file" test "$(redis-cli -p "$REDIS_PRIMARY_PORT" config get appendonly | tail -1)" = yes
check "GET /stations/PWTC through HAProxy answers 200" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "$URL/stations/PWTC")" = 200
booking=$(curl -s -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' "$URL/booking" \
    -d '{"address":"Kuala Lumpur","date":"20210516","firstName":"Fadhil","lastName":"Yaacob","location":"PWTC","mysejahteraId":"900127015527","phoneNumber":"0123456789"}')
check "a booking through HAProxy answers 200" test "$(tail -1 <<<"$booking")" = 200
replicated() {
    local deadline=$((SECONDS + 10))
    until [[ $(redis-cli -p "$1" exists jkjav:booking:900127015527) == 1 ]]; do
        ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}
check "and the replica holds it" replicated "$REDIS_REPLICA_PORT"
check "and so does the second replica" replicated "$REDIS_REPLICA_2_PORT"
check "each server waits for both replicas (the Sentinels' majority verdict)" \
    bash -c "grep -l 'a write waits for 2 replica' '$JKJAV_VAR'/cluster/api-*/server.log | wc -l | grep -qx 3"

timeout 30 scripts/run-cluster.sh >"$scratch/second.log" 2>&1
check "a second make run-cluster on the same ports exits non-zero" test $? -ne 0
check "naming the taken port and the setting to change" \
    contains "$scratch/second.log" "port $CLUSTER_PORT (HAProxy) is already taken"
check "and leaves the first one's state alone" test -f "$env_file"

kill -TERM "$cluster"
deadline=$((SECONDS + 40))
while kill -0 "$cluster" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
check "SIGTERM stops make run-cluster within 40 s" bash -c "! kill -0 $cluster 2>/dev/null"
wait "$cluster" 2>/dev/null
cluster=""
gone() { ! kill -0 "$1" 2>/dev/null; }
check "and HAProxy" gone "$HAPROXY_PID"
for i in 0 1 2; do check "and server $((i + 1))" gone "${SERVER_PIDS[i]}"; done
for i in 0 1 2; do check "and Sentinel $((i + 1))" gone "${SENTINEL_PIDS[i]}"; done
check "and the dev broker" gone "$BROKER_PID"
check "and the Redis replica" gone "$REPLICA_PID"
check "and the second Redis replica" gone "$REPLICA_2_PID"
check "and the Redis primary" gone "$PRIMARY_PID"
check "the servers drained and stopped cleanly" \
    bash -c "grep -l '\[info\] stopped' '$JKJAV_VAR'/cluster/api-*/server.log | wc -l | grep -qx 3"
check "and it removes its record of what runs" test ! -e "$env_file"

# A start that fails half-way (the campaign file is missing, so seeding fails after Redis, the
# Sentinels and the broker started) stops what it had started.
CAMPAIGN_FILE=$scratch/missing.json timeout 60 scripts/run-cluster.sh >"$scratch/failed.log" 2>&1
check "a start whose seeding fails exits non-zero" test $? -ne 0
check "saying why" contains "$scratch/failed.log" "jkjav-admin seed failed"
for port in "$REDIS_PRIMARY_PORT" "$REDIS_REPLICA_PORT" "$REDIS_REPLICA_2_PORT" "$SENTINEL_PORT_1" "$SENTINEL_PORT_2" "$SENTINEL_PORT_3"; do
    check "and nothing listens on port $port any more" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null"
done
exit $((failures > 0))
