#!/usr/bin/env bash
# jkjav failover drill (issue 13): a crowd of distinct people books through HAProxy while the
# drill kills machines of the cluster (scripts/run-cluster.sh: Redis primary + two replicas, three
# Sentinels, three jkjav-server, HAProxy, the dev broker, all on 127.0.0.1), then checks that
# what every client was told is what Redis and Kafka hold.
#
#   bench/failover.sh                     # about 1 minute; exit 1 if any check fails
#   FAILOVER_SHORT=1 bench/failover.sh    # one primary failover, invariants only (make test runs this)
#   BENCH_KEEP=1 bench/failover.sh        # keep the crowd's records, topic dumps and every log
#   FAILOVER_RATE=1500 FAILOVER_CONCURRENCY=48 FAILOVER_STEADY_SECONDS=5 bench/failover.sh
#
# Drill, each step followed by FAILOVER_STEADY_SECONDS of load:
#   0. steady load;
#   1. the Redis primary is SIGKILLed; once the Sentinels name a new primary it is restarted as that
#      one's replica, as a supervisor would restart a failed machine's Redis (not earlier: restarted
#      as a primary from its own AOF it could go back in time; bench/partition.sh kills one for good);
#   2. one jkjav-server is SIGKILLed (HAProxy takes it out);
#   3. the new primary is SIGKILLed the same way (its replicas: the other one, and the old primary
#      rejoined in 1).
# Checks (bench/chaos_check.py drill, against the primary at the end): every 200 is in Redis with
# its reference (0 lost); per slot, bookings + remaining = capacity; nobody holds two; every booking
# has its event in Kafka and no event names a booking that does not exist; after each kill a booking
# succeeds again within FAILOVER_MAX_WINDOW seconds (5; not checked in the short run, whose verdict
# never depends on timing). Prints bookings per second per phase.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_NAME=failover.sh
# shellcheck source=bench/lib.sh
source bench/lib.sh
# shellcheck source=bench/drill_lib.sh
source bench/drill_lib.sh

CAMPAIGN=bench/campaign-failover.json
SLOTS=NORTH:20210516,NORTH:20210517,SOUTH:20210516,SOUTH:20210517
SHORT=${FAILOVER_SHORT:-0}
RATE=${FAILOVER_RATE:-1500}
CONCURRENCY=${FAILOVER_CONCURRENCY:-48}
STEADY=${FAILOVER_STEADY_SECONDS:-5}
MAX_WINDOW=${FAILOVER_MAX_WINDOW-5}   # empty: the windows are printed, not checked
BURST_MAX=${FAILOVER_BURST_MAX:-500}
DRAIN_DEADLINE=60
TOPIC=booking-slot
MASTER_NAME=jkjav
if ((SHORT)); then
    RATE=${FAILOVER_RATE:-300}
    STEADY=${FAILOVER_STEADY_SECONDS:-3}
    # make test: invariants only, never a timing verdict (the window is printed).
    MAX_WINDOW=${FAILOVER_MAX_WINDOW-}
fi

bench_preflight redis-server redis-cli redis-sentinel haproxy curl python3 kcat
WORK=$(mktemp -d -t jkjav-failover.XXXXXX)
MARKS=$WORK/marks
CROWD_PID=""
CLUSTER_RUN_PID=""
declare -a CHECKS=() ROWS=()
declare -A REDIS_PID_AT=() REDIS_DIR_AT=()
RESTARTED_PIDS=()
FAILED=0

bench_stop_extra() {
    stop_pid "$CROWD_PID" chaos_crowd 5
    # run-cluster.sh stops what it started; the Redis nodes restarted here are ours to stop.
    stop_pid "$CLUSTER_RUN_PID" run-cluster.sh 40
    local pid
    for pid in "${RESTARTED_PIDS[@]}"; do stop_pid "$pid" redis-server 5; done
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The cluster, on free ports, its state under WORK.
ports=()
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do ports+=("$(free_port)"); done
say "== jkjav failover drill: $(date -u '+%Y-%m-%d %H:%M:%SZ'), $(nproc) cores, server $SERVER THREADS=$THREADS$( ((SHORT)) && echo ', short')"
JKJAV_VAR=$WORK CAMPAIGN_FILE=$CAMPAIGN THREADS=$THREADS LOG_LEVEL=info \
    CLUSTER_PORT=${ports[0]} CLUSTER_STATS_PORT=${ports[1]} REDIS_PRIMARY_PORT=${ports[2]} REDIS_REPLICA_PORT=${ports[3]} \
    SENTINEL_PORT_1=${ports[4]} SENTINEL_PORT_2=${ports[5]} SENTINEL_PORT_3=${ports[6]} \
    API_PORT_1=${ports[7]} API_PORT_2=${ports[8]} API_PORT_3=${ports[9]} DEVBROKER_PORT=${ports[10]} \
    REDIS_REPLICA_2_PORT=${ports[11]} \
    scripts/run-cluster.sh >"$WORK/run-cluster.log" 2>&1 &
CLUSTER_RUN_PID=$!
deadline=$((SECONDS + 90))
until [[ -f $WORK/cluster/cluster.env ]]; do
    kill -0 "$CLUSTER_RUN_PID" 2>/dev/null || { cat "$WORK/run-cluster.log" >&2; die "run-cluster.sh stopped before the cluster was ready"; }
    ((SECONDS < deadline)) || { cat "$WORK/run-cluster.log" >&2; die "the cluster was not ready within 90 s"; }
    sleep 0.2
done
# shellcheck disable=SC1091  # written by run-cluster.sh
source "$WORK/cluster/cluster.env"
HTTP_PORT=${URL##*:}
BROKER_ADDR=$KAFKA_BROKERS
SENTINEL_PORT=${REDIS_SENTINELS%%,*}
SENTINEL_PORT=${SENTINEL_PORT##*:}
REDIS_PID_AT[$REDIS_PRIMARY_PORT]=$PRIMARY_PID
REDIS_PID_AT[$REDIS_REPLICA_PORT]=$REPLICA_PID
REDIS_PID_AT[$REDIS_REPLICA_2_PORT]=$REPLICA_2_PID
REDIS_DIR_AT[$REDIS_PRIMARY_PORT]=$WORK/cluster/primary
REDIS_DIR_AT[$REDIS_REPLICA_PORT]=$WORK/cluster/replica
REDIS_DIR_AT[$REDIS_REPLICA_2_PORT]=$WORK/cluster/replica-2
say "cluster ready: HAProxy $URL, servers ${API_PORTS[*]}, primary $REDIS_PRIMARY_PORT, replicas $REDIS_REPLICA_PORT $REDIS_REPLICA_2_PORT, Sentinels $REDIS_SENTINELS"

# The port of the primary the (first) Sentinel names now.
primary_port() {
    redis-cli -p "$SENTINEL_PORT" sentinel get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | sed -n 2p
}

# every_sentinel_names PORT: all three Sentinels name PORT as the primary (the failover is known to
# all of them, not only to the one that led it).
every_sentinel_names() {
    local address
    for address in ${REDIS_SENTINELS//,/ }; do
        [[ $(redis-cli -p "${address##*:}" sentinel get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | sed -n 2p) == "$1" ]] ||
            return 1
    done
}

# kill_primary NAME: SIGKILLs the current primary (mark NAME), waits up to 30 s for the Sentinels to
# name another, restarts the killed node as its replica and waits until the new primary has both
# replicas in sync again.
kill_primary() {
    local name=$1 old new deadline
    old=$(primary_port)
    [[ -n $old && -n ${REDIS_PID_AT[$old]:-} ]] || die "no primary known (Sentinel says '${old}')"
    burst_on
    kill -KILL "${REDIS_PID_AT[$old]}"
    mark "$name"
    burst_off
    deadline=$((SECONDS + 30))
    until new=$(primary_port) && [[ -n $new && $new != "$old" ]]; do
        ((SECONDS < deadline)) || { check FAIL "$name: the Sentinels named no new primary within 30 s"; return 1; }
        sleep 0.05
    done
    say "$name: the Sentinels moved the primary from $old to $new after $(since "$name") s"
    # A supervisor brings the dead node back only once every Sentinel knows the new primary: one
    # still on the old configuration would see its old primary return and could take it for one.
    until every_sentinel_names "$new"; do
        ((SECONDS < deadline)) || { check FAIL "$name: not every Sentinel named $new within 30 s"; return 1; }
        sleep 0.05
    done
    REDIS_DIR=${REDIS_DIR_AT[$old]} REDIS_OPTS=(--include "$(pwd)/deploy/redis/replica.conf" --replicaof 127.0.0.1 "$new")
    launch_redis "$old" 10 || die "the killed node did not restart on $old (see ${REDIS_DIR_AT[$old]}/redis.log)"
    REDIS_PID_AT[$old]=$REDIS_PID
    RESTARTED_PIDS+=("$REDIS_PID")
    REDIS_PID=""
    deadline=$((SECONDS + 30))
    until redis-cli -p "$new" info replication 2>/dev/null | grep -q '^min_slaves_good_slaves:2'; do
        ((SECONDS < deadline)) || { check FAIL "$name: the restarted node was not in sync with $new within 30 s"; return 1; }
        sleep 0.05
    done
    say "$name: $old restarted as $new's replica, in sync $(since "$name") s after the kill"
}

start_crowd drill 900101
phase steady "0. steady load"
steady "$STEADY"

phase primary1 "1. Redis primary SIGKILL: Sentinel failover, the old one back as a replica"
kill_primary kill_primary_1 || true
steady "$STEADY"

if ((!SHORT)); then
    phase api "2. one jkjav-server SIGKILL"
    burst_on
    kill -KILL "${SERVER_PIDS[1]}"
    mark kill_api
    burst_off
    steady "$STEADY"

    phase primary2 "3. the new primary SIGKILL: back to the first"
    kill_primary kill_primary_2 || true
    steady "$STEADY"
fi

stop_crowd drill
mark load_end
# Every relay drained (they share the outbox; any server still up reports it).
wait_drained "${API_PORTS[0]}"
dump_topic "$WORK/events.txt"

say "== checks of the drill"
final=$(primary_port)
run_checks drill --records "$WORK/crowd-drill.tsv" --marks "$MARKS" --redis-port "$final" \
    --events "$WORK/events.txt" ${MAX_WINDOW:+--max-window "$MAX_WINDOW"}
grep '^WINDOW ' "$WORK/check-drill.txt" | while read -r _ name seconds; do say "   no booking succeeded for $seconds s after $name"; done
grep '^RATE ' "$WORK/check-drill.txt" | while read -r _ _ rate seconds label; do say "   $rate bookings/s over $seconds s: $label"; done

echo
echo "jkjav failover drill, $(date -u '+%Y-%m-%d'), $(nproc) cores, THREADS=$THREADS per server, crowd $CONCURRENCY connections at $RATE requests/s through HAProxy; $((SECONDS)) s in all:"
print_summary failover.sh
