#!/usr/bin/env bash
# jkjav partition drill (issue 22): the default cluster's promises under network splits, pauses and
# the permanent loss of a machine, with every machine in a network namespace of its own.
#
#   bench/partition.sh                      # every scenario, about 3 minutes; exit 1 if a check fails
#   PARTITION_SHORT=1 bench/partition.sh    # the split that used to lose bookings and the primary killed
#                                           # for good, invariants only (make test runs this)
#   BENCH_KEEP=1 bench/partition.sh         # keep the crowd's records, topic dumps and every log
#   PARTITION_RATE=400 PARTITION_CUT_SECONDS=8 bench/partition.sh
#
# Needs root (network namespaces). The drill makes a bridge and nine namespaces, each with one veth
# on the bridge and an address in PARTITION_NET.0/24 (10.213.N, N picked free), and removes them all
# at the end:
#   r1 r2 r3   Redis (deploy/redis/primary.conf, replica.conf): r1 the primary, r2 and r3 its replicas
#   s1 s2 s3   Sentinels (deploy/redis/sentinel.conf, quorum 2)
#   a1 a2 a3   jkjav-server, finding the primary through the Sentinels
# The crowd (bench/chaos_crowd.py), HAProxy (deploy/haproxy/haproxy.cfg, balancing over a1..a3), the
# dev broker and one relay-only jkjav-server stay in the drill's own namespace, on 127.0.0.1 and the
# bridge's address: the client reaches every server, and the broker is never cut off (the dev
# broker only listens on loopback).
#
# A split is made with `ip route add blackhole` in each namespace of one side for each address of
# the other, and healed by flushing those routes. Scenarios, each from a whole cluster, each with the
# crowd booking distinct people through HAProxy for PARTITION_CUT_SECONDS of fault and then until the
# cluster is whole again:
#   sentinel_cut        one Sentinel cut off from everything
#   replica_cut         one replica cut off
#   primary_cut         the primary alone cut off
#   primary_side_cut    the primary, one replica, one Sentinel and one API server cut from the rest
#                       (the split that lost 724 acknowledged bookings with WAIT 1)
#   primary_pause       the primary SIGSTOPped for longer than down-after-milliseconds, then SIGCONT
#   primary_kill        the primary SIGKILLed and never restarted
# After each (bench/chaos_check.py drill against the primary a Sentinel majority names): every 200
# is in Redis with its reference; per slot, bookings + remaining = capacity; nobody holds two; every
# booking has its event in Kafka and no event names a booking that does not exist; and the time
# without a successful booking, from the fault and from the heal. The full run also checks that a
# booking succeeds within PARTITION_MAX_WINDOW (5) s of the primary's permanent loss; the short run
# has no timing verdict.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_NAME=partition.sh
# shellcheck source=bench/lib.sh
source bench/lib.sh
# shellcheck source=bench/drill_lib.sh
source bench/drill_lib.sh

CAMPAIGN=bench/campaign-failover.json
SLOTS=NORTH:20210516,NORTH:20210517,SOUTH:20210516,SOUTH:20210517
SHORT=${PARTITION_SHORT:-0}
RATE=${PARTITION_RATE:-400}
CONCURRENCY=${PARTITION_CONCURRENCY:-32}
CUT=${PARTITION_CUT_SECONDS:-8}
MAX_WINDOW=${PARTITION_MAX_WINDOW-5}
BURST_MAX=${PARTITION_BURST_MAX:-200}
WHOLE_DEADLINE=60
DRAIN_DEADLINE=60
TOPIC=booking-slot
MASTER_NAME=jkjav
if ((SHORT)); then
    RATE=${PARTITION_RATE:-250}
    CUT=${PARTITION_CUT_SECONDS:-5}
    MAX_WINDOW=""  # make test: invariants only, never a timing verdict (the windows are printed)
fi

[[ $(id -u) == 0 ]] || die "needs root: it makes network namespaces"
bench_preflight redis-server redis-cli redis-sentinel haproxy curl python3 kcat ip
WORK=$(mktemp -d -t jkjav-partition.XXXXXX)
MARKS=$WORK/marks
CROWD_PID=""
HAPROXY_PID=""
RELAY_PID=""
declare -a CHECKS=() ROWS=() NAMESPACES=()
declare -A PID_OF=() IP_OF=() NODE_AT=()
FAILED=0
ID=$(printf '%04x' $((RANDOM % 65536)))
BRIDGE=jkp${ID}br
REDIS_NODES=(r1 r2 r3)
SENTINEL_NODES=(s1 s2 s3)
API_NODES=(a1 a2 a3)
ALL_NODES=("${REDIS_NODES[@]}" "${SENTINEL_NODES[@]}" "${API_NODES[@]}")
DEAD=()  # nodes killed for good

namespace() { echo "jkp$ID-$1"; }
# in_ns NODE COMMAND...: COMMAND in NODE's namespace, in place of this (sub)shell, so that `in_ns ... &`
# gives the command's own PID in $!.
in_ns() { local node=$1; shift; exec ip netns exec "$(namespace "$node")" "$@"; }

bench_stop_extra() {
    stop_pid "$CROWD_PID" chaos_crowd 5
    stop_pid "$HAPROXY_PID" haproxy 5
    local node
    for node in "${API_NODES[@]}"; do stop_pid "${PID_OF[$node]:-}" "jkjav-server $node" 15; done
    stop_pid "$RELAY_PID" "jkjav-server (relay)" 15
    for node in "${SENTINEL_NODES[@]}" "${REDIS_NODES[@]}"; do
        # A paused process cannot act on SIGTERM.
        [[ -z ${PID_OF[$node]:-} ]] || kill -CONT "${PID_OF[$node]}" 2>/dev/null || true
        stop_pid "${PID_OF[$node]:-}" "$node" 5
    done
    for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    for node in "${ALL_NODES[@]}"; do ip link del "jkp$ID$node" 2>/dev/null || true; done
    ip link del "$BRIDGE" 2>/dev/null || true
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The network: a /24 no route of this machine uses yet.
NET=${PARTITION_NET:-}
if [[ -z $NET ]]; then
    for _ in $(seq 1 50); do
        candidate=10.213.$((RANDOM % 250))
        ip -4 route show | grep -q "^$candidate\." || { NET=$candidate; break; }
    done
fi
[[ -n $NET ]] || die "found no free 10.213.N.0/24 for the drill's bridge"
octet=(11 12 13 21 22 23 31 32 33)
ip link add "$BRIDGE" type bridge || die "cannot make a bridge (ip link add type bridge)"
ip addr add "$NET.254/24" dev "$BRIDGE"
ip link set "$BRIDGE" up
for i in "${!ALL_NODES[@]}"; do
    node=${ALL_NODES[i]}
    ns=$(namespace "$node")
    ip netns add "$ns" || die "cannot make network namespace $ns"
    NAMESPACES+=("$ns")
    ip link add "jkp$ID$node" type veth peer name "jkp$ID${node}p"
    ip link set "jkp$ID${node}p" netns "$ns"
    ip link set "jkp$ID$node" master "$BRIDGE" up
    IP_OF[$node]=$NET.${octet[i]}
    NODE_AT[${IP_OF[$node]}]=$node
    ip -n "$ns" addr add "${IP_OF[$node]}/24" dev "jkp$ID${node}p"
    ip -n "$ns" link set "jkp$ID${node}p" up
    ip -n "$ns" link set lo up
done
SENTINELS=$(for node in "${SENTINEL_NODES[@]}"; do printf '%s:26379,' "${IP_OF[$node]}"; done)
SENTINELS=${SENTINELS%,}
say "== jkjav partition drill: $(date -u '+%Y-%m-%d %H:%M:%SZ'), $(nproc) cores, server $SERVER$( ((SHORT)) && echo ', short'); network $NET.0/24 on $BRIDGE"

# wait_until SECONDS WHAT COMMAND...: polls COMMAND every 0.1 s; dies after SECONDS.
wait_until() {
    local limit=$1 what=$2 deadline=$((SECONDS + $1))
    shift 2
    until "$@"; do
        ((SECONDS < deadline)) || die "$what: not within $limit s"
        sleep 0.1
    done
}
redis_at() { redis-cli -h "${IP_OF[$1]}" -p 6379 "${@:2}" 2>/dev/null; }

start_redis_node() {  # start_redis_node NODE CONF [--replicaof HOST PORT]
    local node=$1 conf=$2 dir=$WORK/$1
    shift 2
    mkdir -p "$dir"
    in_ns "$node" redis-server --bind "${IP_OF[$node]}" --port 6379 --protected-mode no --dir "$dir" \
        --logfile "$dir/redis.log" --daemonize no --include "$(pwd)/deploy/redis/$conf" "$@" >/dev/null 2>&1 &
    PID_OF[$node]=$!
    wait_until 10 "redis $node answers" bash -c "[[ \$(redis-cli -h ${IP_OF[$node]} -p 6379 ping 2>/dev/null) == PONG ]]"
}
start_redis_node r1 primary.conf
start_redis_node r2 replica.conf --replicaof "${IP_OF[r1]}" 6379
start_redis_node r3 replica.conf --replicaof "${IP_OF[r1]}" 6379
wait_until 20 "both replicas in sync with r1" bash -c "redis-cli -h ${IP_OF[r1]} -p 6379 info replication | grep -q '^min_slaves_good_slaves:2'"

for node in "${SENTINEL_NODES[@]}"; do
    dir=$WORK/$node
    mkdir -p "$dir"
    sed -e "s/@PRIMARY_HOST@/${IP_OF[r1]}/" -e "s/@PRIMARY_PORT@/6379/" deploy/redis/sentinel.conf >"$dir/sentinel.conf"
    in_ns "$node" redis-sentinel "$dir/sentinel.conf" --port 26379 --bind "${IP_OF[$node]}" --protected-mode no \
        --dir "$dir" --logfile "$dir/sentinel.log" --daemonize no >/dev/null 2>&1 &
    PID_OF[$node]=$!
done
sentinel_ready() {
    [[ $(redis-cli -h "${IP_OF[$1]}" -p 26379 sentinel ckquorum "$MASTER_NAME" 2>/dev/null) == OK* ]] &&
        [[ $(redis-cli -h "${IP_OF[$1]}" -p 26379 sentinel replicas "$MASTER_NAME" 2>/dev/null | grep -cx "${NET//./\\.}\.[0-9]*:6379") == 2 ]]
}
for node in "${SENTINEL_NODES[@]}"; do wait_until 30 "Sentinel $node sees its peers and both replicas" sentinel_ready "$node"; done

start_broker "$WORK"
REDIS_URL=redis://${IP_OF[r1]}:6379
SEED_ARGS=(--kafka-brokers "$BROKER_ADDR")
seed_campaign "$WORK" "$CAMPAIGN"

server_ready() { curl -sf --max-time 1 -o /dev/null "http://${IP_OF[$1]}:3000/readyz"; }
for node in "${API_NODES[@]}"; do
    in_ns "$node" env PORT=3000 BIND_ADDRESS="${IP_OF[$node]}" REDIS_SENTINELS="$SENTINELS" \
        REDIS_MASTER_NAME=$MASTER_NAME CAMPAIGN_FILE=$CAMPAIGN THREADS=1 LOG_LEVEL=info \
        TRUSTED_PROXIES="$NET.254" "$SERVER" >"$WORK/$node.log" 2>&1 &
    PID_OF[$node]=$!
done
for node in "${API_NODES[@]}"; do wait_until 30 "jkjav-server $node ready" server_ready "$node"; done
# The relay: a jkjav-server in this namespace, which reaches the broker and is never cut off.
mkdir -p "$WORK/relay"
HTTP_PORT=0 SERVER_SEEDS=0
SERVER_ENV=("REDIS_SENTINELS=$SENTINELS" "REDIS_MASTER_NAME=$MASTER_NAME" "KAFKA_BROKERS=$BROKER_ADDR" THREADS=1 LOG_LEVEL=info)
start_server "$WORK/relay"
RELAY_PID=$SERVER_PID
RELAY_PORT=$HTTP_PORT
SERVER_PID=""

proxy_port=$(free_port)
stats_port=$(free_port)
JKJAV_PROXY_BIND=127.0.0.1:$proxy_port JKJAV_PROXY_STATS_BIND=127.0.0.1:$stats_port \
    JKJAV_API_1=${IP_OF[a1]}:3000 JKJAV_API_2=${IP_OF[a2]}:3000 JKJAV_API_3=${IP_OF[a3]}:3000 \
    haproxy -db -f deploy/haproxy/haproxy.cfg >"$WORK/haproxy.log" 2>&1 &
HAPROXY_PID=$!
haproxy_up() { [[ $(curl -s --max-time 1 "http://127.0.0.1:$stats_port/;csv" 2>/dev/null | grep -c '^jkjav-api,api-[123],.*,UP,') == "$1" ]]; }
wait_until 20 "HAProxy sees the 3 servers up" haproxy_up 3
HTTP_PORT=$proxy_port  # where the crowd books (drill_lib.sh)
say "cluster ready: Redis ${IP_OF[r1]} (+ ${IP_OF[r2]} ${IP_OF[r3]}), Sentinels $SENTINELS, servers a1..a3 behind HAProxy 127.0.0.1:$proxy_port, relay 127.0.0.1:$RELAY_PORT"

# The primary a majority of the Sentinels names (asked from here, which reaches all of them).
majority_primary() {
    local node answers=()
    for node in "${SENTINEL_NODES[@]}"; do
        answers+=("$(redis-cli -h "${IP_OF[$node]}" -p 26379 sentinel get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | head -1)")
    done
    printf '%s\n' "${answers[@]}" | grep . | sort | uniq -c | awk '$1 >= 2 { print $2 }'
}
primary_node() { local ip; ip=$(majority_primary); [[ -n $ip ]] && echo "${NODE_AT[$ip]}"; }
alive() { local dead; for dead in "${DEAD[@]}"; do [[ $dead == "$1" ]] && return 1; done; return 0; }

# whole: every live node is back in the cluster: all Sentinels name one primary, every other live
# Redis replicates it in sync, and every server is ready behind HAProxy.
whole() {
    local primary replicas=0 node ip
    primary=$(primary_node) || return 1
    [[ -n $primary ]] || return 1
    for node in "${SENTINEL_NODES[@]}"; do
        ip=$(redis-cli -h "${IP_OF[$node]}" -p 26379 sentinel get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | head -1)
        [[ $ip == "${IP_OF[$primary]}" ]] || return 1
    done
    for node in "${REDIS_NODES[@]}"; do
        [[ $node != "$primary" ]] && alive "$node" && replicas=$((replicas + 1))
    done
    redis_at "$primary" info replication | grep -q "^min_slaves_good_slaves:$replicas" || return 1
    haproxy_up 3
}

# cut NODE...: blackhole routes between the nodes named and every other node, both ways: one
# `ip -batch` per namespace, so the split is made within a few milliseconds.
cut() {
    local node other inside found inside_node
    for node in "${ALL_NODES[@]}"; do
        inside=0
        for found in "$@"; do [[ $found == "$node" ]] && inside=1; done
        for other in "${ALL_NODES[@]}"; do
            found=0
            for inside_node in "$@"; do [[ $inside_node == "$other" ]] && found=1; done
            if ((found != inside)); then echo "route add blackhole ${IP_OF[$other]}/32"; fi
        done | ip -n "$(namespace "$node")" -batch -
    done
}
heal() { local ns; for ns in "${NAMESPACES[@]}"; do ip -n "$ns" route flush type blackhole; done; }

replica_of() {  # replica_of PRIMARY N: the Nth live Redis node that is not PRIMARY
    local node n=0
    for node in "${REDIS_NODES[@]}"; do
        if [[ $node != "$1" ]] && alive "$node"; then
            n=$((n + 1))
            ((n == $2)) && { echo "$node"; return; }
        fi
    done
}

# run_scenario NAME LABEL BLOCK: the crowd (ids YYMMDD=BLOCK) books for 2 s, then the fault (the
# function fault_NAME) strikes, then back to whole; then the checks.
run_scenario() {
    local name=$1 label=$2 block=$3 primary final window_args=()
    : >"$MARKS"
    start_crowd "$name" "$block"
    phase "$name-before" "$label: before"
    sleep 2
    primary=$(primary_node)
    phase "$name" "$label"
    "fault_$name" "$primary"
    phase "$name-after" "$label: healed, back to whole"
    wait_until "$WHOLE_DEADLINE" "$name: the cluster whole again" whole
    mark whole
    say "$name: whole again $(since "fault_$name") s after the fault; primary $(primary_node)"
    sleep 1
    stop_crowd "$name"
    mark load_end
    wait_drained "$RELAY_PORT"
    dump_topic "$WORK/events-$name.txt"
    final=$(primary_node)
    [[ -z $MAX_WINDOW || $name != primary_kill ]] || window_args=(--max-window "$MAX_WINDOW")
    run_checks drill --records "$WORK/crowd-$name.tsv" --marks "$MARKS" --redis-host "${IP_OF[$final]}" \
        --redis-port 6379 --events "$WORK/events-$name.txt" "${window_args[@]}"
    cp "$WORK/check-drill.txt" "$WORK/check-$name.txt"
    grep '^WINDOW ' "$WORK/check-$name.txt" | while read -r _ what seconds; do say "   no booking succeeded for $seconds s after $what"; done
}

fault_sentinel_cut() {
    cut s1
    mark fault_sentinel_cut
    sleep "$CUT"
    heal
    mark fault_sentinel_cut_healed
}
fault_replica_cut() {
    local replica
    replica=$(replica_of "$1" 2)
    say "cutting off the replica $replica"
    cut "$replica"
    mark fault_replica_cut
    sleep "$CUT"
    heal
    mark fault_replica_cut_healed
}
fault_primary_cut() {
    say "cutting off the primary $1"
    burst_on
    cut "$1"
    mark fault_primary_cut
    burst_off
    sleep "$CUT"
    heal
    mark fault_primary_cut_healed
}
fault_primary_side_cut() {
    local replica
    replica=$(replica_of "$1" 1)
    say "cutting off {$1 (primary), $replica, s1, a1} from the rest"
    burst_on
    cut "$1" "$replica" s1 a1
    mark fault_primary_side_cut
    burst_off
    sleep "$CUT"
    heal
    mark fault_primary_side_cut_healed
}
fault_primary_pause() {
    say "pausing the primary $1 (SIGSTOP) for $((CUT / 2 + 2)) s"
    burst_on
    kill -STOP "${PID_OF[$1]}"
    mark fault_primary_pause
    burst_off
    sleep $((CUT / 2 + 2))
    kill -CONT "${PID_OF[$1]}"
    mark fault_primary_pause_healed
}
fault_primary_kill() {
    say "killing the primary $1 for good (SIGKILL, never restarted)"
    burst_on
    kill -KILL "${PID_OF[$1]}"
    mark kill_primary
    mark fault_primary_kill
    burst_off
    DEAD+=("$1")
    wait "${PID_OF[$1]}" 2>/dev/null || true
    PID_OF[$1]=""
    sleep "$CUT"
}

block=900101
scenarios=(sentinel_cut replica_cut primary_cut primary_side_cut primary_pause primary_kill)
((SHORT)) && scenarios=(primary_side_cut primary_kill)
declare -A LABEL=(
    [sentinel_cut]="one Sentinel cut off"
    [replica_cut]="one replica cut off"
    [primary_cut]="the primary alone cut off"
    [primary_side_cut]="the primary, a replica, a Sentinel and a server cut from the rest"
    [primary_pause]="the primary paused (SIGSTOP) past down-after"
    [primary_kill]="the primary killed for good")
for scenario in "${scenarios[@]}"; do
    run_scenario "$scenario" "${LABEL[$scenario]}" "$block"
    block=$((block + 1))
done

echo
echo "jkjav partition drill, $(date -u '+%Y-%m-%d'), $(nproc) cores, THREADS=1 per server, crowd $CONCURRENCY connections at $RATE requests/s through HAProxy, faults of $CUT s; $((SECONDS)) s in all:"
echo
echo "| scenario | 200s | kept | lost | no booking after the fault | after the heal |"
echo "|---|---:|---:|---:|---:|---:|"
# One row per scenario, from its checker's own lines: the 200s and how many are kept, and the windows.
for scenario in "${scenarios[@]}"; do
    check_file=$WORK/check-$scenario.txt
    read -r kept answered lost < <(sed -n 's/.*every 200 is in Redis with the same reference: \([0-9]*\)\/\([0-9]*\) (lost \([0-9]*\).*/\1 \2 \3/p' "$check_file")
    window() { awk -v name="$1" '$1 == "WINDOW" && $2 == name { print $3 " s" }' "$check_file"; }
    echo "| ${LABEL[$scenario]} | ${answered:-?} | ${kept:-?} | ${lost:-?} | $(window "fault_$scenario") | $(window "fault_${scenario}_healed") |"
done
print_summary partition.sh
