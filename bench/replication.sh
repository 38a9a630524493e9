#!/usr/bin/env bash
# What "acknowledged means replicated" costs: bookings by distinct people (the flash crowd, as
# bench/compare.sh runs it) against jkjav-server on a Redis primary with one replica (redis-server
# --replicaof), side by side:
#
#   REDIS_MIN_REPLICAS=0  the replica is there, but no booking waits for it (no WAIT is sent)
#   REDIS_MIN_REPLICAS=1  every booking call is followed by one WAIT 1 <REDIS_WAIT_TIMEOUT_MS>
#
# Each run: a fresh primary + replica, the campaign seeded, `wrk -t2 -c50 -d10s --latency -s
# bench/flash_crowd.lua` (bounded: -d10s inside `timeout 40`). Prints both rates, p50/p99, the
# 5xx answers (503 UNCONFIRMED would be among them), the WAITs the primary ran (INFO commandstats),
# and the ratio of the rates. Goal (issue 13): ratio >= 0.8.
#
#   bench/replication.sh
#   THREADS=1 bench/replication.sh             # server threads (default 2)
#   REPLICATION_WAIT_MS=200 bench/replication.sh  # REDIS_WAIT_TIMEOUT_MS (default 500)
#   BENCH_KEEP=1 bench/replication.sh          # keep logs and raw outputs (path printed)
#
# Everything on 127.0.0.1, on free ports; every process started here is stopped by its PID on exit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_NAME=replication.sh
# shellcheck source=bench/lib.sh
source bench/lib.sh   # SERVER, CAMPAIGN, die, stop_pid, free_port, start_redis, start_server, ...

HTTP_PORT=0   # any free port, read back by start_server
WAIT_MS=${REPLICATION_WAIT_MS:-500}
REPLICA_PID="" REPLICA_PORT=""
WORK=$(mktemp -d -t jkjav-replication.XXXXXX)

bench_preflight wrk redis-server redis-cli curl
bench_stop_extra() { stop_replica; }
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

stop_replica() { stop_pid "$REPLICA_PID" "redis-server (replica)" 5; REPLICA_PID=""; }

# start_replica DIR: redis-server --replicaof the primary (REDIS_PORT) on a free port; waits up to
# 10 s until it has synced and the primary counts it online.
start_replica() {
    local dir=$1 deadline
    mkdir -p "$dir/replica"
    REPLICA_PORT=$(free_port)
    redis-server --bind 127.0.0.1 --port "$REPLICA_PORT" --save "" --appendonly no --dir "$dir/replica" \
        --logfile "$dir/replica.log" --replicaof 127.0.0.1 "$REDIS_PORT" >/dev/null 2>&1 &
    REPLICA_PID=$!
    deadline=$((SECONDS + 10))
    until redis-cli -p "$REDIS_PORT" info replication 2>/dev/null | grep -q "port=$REPLICA_PORT,state=online"; do
        kill -0 "$REPLICA_PID" 2>/dev/null || die "the replica exited (see $dir/replica.log)"
        ((SECONDS < deadline)) || die "the replica did not sync within 10 s (see $dir/replica.log)"
        sleep 0.1
    done
}

declare -A RPS P50 P99 S200 S5XX WAITS
run() {
    local replicas=$1 name="replicas-$1" file result kv
    echo "-- REDIS_MIN_REPLICAS=$replicas"
    start_redis "$WORK/$name" --repl-diskless-sync-delay 0   # the replica syncs at once, not after 5 s
    start_replica "$WORK/$name"
    start_server "$WORK/$name" "REDIS_MIN_REPLICAS=$replicas" "REDIS_WAIT_TIMEOUT_MS=$WAIT_MS"
    file=$WORK/wrk-$name.txt
    timeout 40 wrk -t2 -c50 -d10s --latency -s bench/flash_crowd.lua "http://127.0.0.1:$HTTP_PORT" >"$file" 2>&1 \
        || die "wrk failed: $(tail -5 "$file")"
    server_alive "after the flash crowd"
    result=$(grep '^FLASH_RESULT ' "$file") || die "no FLASH_RESULT line in $file"
    local -A F=()
    for kv in ${result#FLASH_RESULT }; do F[${kv%%=*}]=${kv#*=}; done
    RPS[$replicas]=${F[rps]} P50[$replicas]=${F[p50_ms]} P99[$replicas]=${F[p99_ms]}
    S200[$replicas]=${F[s200]} S5XX[$replicas]=${F[s5xx]}
    WAITS[$replicas]=$(redis-cli -p "$REDIS_PORT" info commandstats | sed -n 's/^cmdstat_wait:calls=\([0-9]*\),.*/\1/p')
    WAITS[$replicas]=${WAITS[$replicas]:-0}
    echo "   req/s ${F[rps]}   p50 ${F[p50_ms]} ms   p99 ${F[p99_ms]} ms   200 ${F[s200]}   5xx ${F[s5xx]}   WAITs ${WAITS[$replicas]}"
    stop_pid "$SERVER_PID" jkjav-server 15
    SERVER_PID=""
    stop_replica
    stop_redis
}

echo "== bookings by distinct people, primary + 1 replica on loopback, THREADS=$THREADS, nproc $(nproc), $(date -u +%FT%TZ)"
echo "   wrk -t2 -c50 -d10s --latency -s bench/flash_crowd.lua (each run against a fresh primary and replica)"
run 0
run 1

ratio=$(awk -v a="${RPS[1]}" -v b="${RPS[0]}" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r != "n/a" && r + 0 >= 0.8) ? "met" : "NOT met" }')
echo
echo "| REDIS_MIN_REPLICAS | req/s | p50 ms | p99 ms | 200 | 5xx | WAITs sent |"
echo "|---|---|---|---|---|---|---|"
for replicas in 0 1; do
    echo "| $replicas | ${RPS[$replicas]} | ${P50[$replicas]} | ${P99[$replicas]} | ${S200[$replicas]} | ${S5XX[$replicas]} | ${WAITS[$replicas]} |"
done
echo
echo "ratio (1 / 0): $ratio (goal >= 0.8: $verdict); bookings per WAIT with 1: $(awk -v s="${S200[1]}" -v w="${WAITS[1]}" 'BEGIN { if (w + 0 == 0) print "n/a"; else printf "%.1f", s / w }')"
