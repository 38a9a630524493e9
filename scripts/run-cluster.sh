#!/usr/bin/env bash
# `make run-cluster`: the cluster of issue 13 on this machine's loopback, every process stopped by
# its PID on Ctrl-C or SIGTERM (and when one of them fails to start):
#   - a Redis primary (deploy/redis/primary.conf) on REDIS_PRIMARY_PORT (6391) and its two replicas
#     (deploy/redis/replica.conf) on REDIS_REPLICA_PORT (6392) and REDIS_REPLICA_2_PORT (6393): any
#     one of the three may die for good and bookings go on (docs/partitions.md);
#   - three Redis Sentinels (deploy/redis/sentinel.conf, copied into the state directory, since
#     Sentinels rewrite their config) on SENTINEL_PORT_1..3 (26391..26393);
#   - the development Kafka broker on DEVBROKER_PORT (9093; 0: any free port);
#   - the campaign seeded once (jkjav-admin seed), then three jkjav-server instances on
#     API_PORT_1..3 (3001..3003; 0: any free port) with REDIS_SENTINELS, REDIS_MASTER_NAME=jkjav and
#     TRUSTED_PROXIES=127.0.0.1 (HAProxy's address);
#   - HAProxy (deploy/haproxy/haproxy.cfg) on CLUSTER_PORT (8080), its stats page on
#     CLUSTER_STATS_PORT (8404).
# State and logs in ./var/cluster (JKJAV_VAR/cluster), cleared at each start: a cluster whose last
# run ended after a failover has its newest data on the node that was the replica, and starting
# that one as primary again would go back in time. What runs where is written to cluster.env.
# CAMPAIGN_FILE (data/campaign.json) is the campaign; the servers take THREADS etc. from the
# environment as usual.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRIPT_NAME=run-cluster
# shellcheck source=scripts/lib/jkjav-procs.sh
source scripts/lib/jkjav-procs.sh

CLUSTER_DIR=${JKJAV_VAR:-var}/cluster
CAMPAIGN=${CAMPAIGN_FILE:-data/campaign.json}
MASTER_NAME=jkjav
primary_port=${REDIS_PRIMARY_PORT:-6391}
replica_port=${REDIS_REPLICA_PORT:-6392}
replica2_port=${REDIS_REPLICA_2_PORT:-6393}
sentinel_ports=("${SENTINEL_PORT_1:-26391}" "${SENTINEL_PORT_2:-26392}" "${SENTINEL_PORT_3:-26393}")
api_ports=("${API_PORT_1:-3001}" "${API_PORT_2:-3002}" "${API_PORT_3:-3003}")
devbroker_port=${DEVBROKER_PORT:-9093}
cluster_port=${CLUSTER_PORT:-8080}
stats_port=${CLUSTER_STATS_PORT:-8404}

primary_pid=""
replica_pid=""
replica2_pid=""
sentinel_pids=()
server_pids=()
haproxy_pid=""
wrote_env=""

# Servers first (each drains while Redis and the broker are still there), all three at once, then
# HAProxy, the broker, the Sentinels (before Redis, so that they start no failover while it
# stops), the replicas and the primary.
stop_cluster() {
    local pid
    for pid in "${server_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${server_pids[@]}"; do stop_pid "$pid" jkjav-server 15; done
    server_pids=()
    stop_pid "$haproxy_pid" haproxy 5
    stop_pid "$BROKER_PID" jkjav-devbroker 5
    for pid in "${sentinel_pids[@]}"; do stop_pid "$pid" redis-sentinel 5; done
    sentinel_pids=()
    stop_pid "$replica2_pid" "redis-server (replica 2)" 5
    stop_pid "$replica_pid" "redis-server (replica)" 5
    stop_pid "$primary_pid" "redis-server (primary)" 5
    # Only our own record: a start refused for a taken port must not erase the running one's.
    [[ -z $wrote_env ]] || rm -f "$CLUSTER_DIR/cluster.env"
}
trap stop_cluster EXIT
# As in scripts/run-local.sh: every process below in its own process group, so a terminal's Ctrl-C
# reaches this script alone, whose EXIT trap stops them in order.
set -m
trap 'exit 130' INT
trap 'exit 143' TERM

command -v haproxy >/dev/null || die "haproxy is not installed (make deps installs it)"
command -v redis-sentinel >/dev/null || die "redis-sentinel is not installed (make deps installs it)"
[[ -x $SERVER ]] || die "server binary '$SERVER' not found (make build, or set JKJAV_SERVER)"

# Every port is checked before anything starts (or the state directory is cleared), so a refusal
# leaves everything as it was: a second make run-cluster, with the same ports, stops here.
taken() { die "port $1 ($2) is already taken by another process (another make run-cluster?).
     Stop it, or choose another port: $3=<port> make run-cluster"; }
check_port() { if (($1 != 0)) && port_in_use "$1"; then taken "$@"; fi; }
check_port "$cluster_port" HAProxy CLUSTER_PORT
check_port "$stats_port" "HAProxy's stats page" CLUSTER_STATS_PORT
check_port "$primary_port" "the Redis primary" REDIS_PRIMARY_PORT
check_port "$replica_port" "the Redis replica" REDIS_REPLICA_PORT
check_port "$replica2_port" "the second Redis replica" REDIS_REPLICA_2_PORT
for i in 0 1 2; do
    check_port "${sentinel_ports[i]}" "Sentinel $((i + 1))" "SENTINEL_PORT_$((i + 1))"
    check_port "${api_ports[i]}" "jkjav-server $((i + 1))" "API_PORT_$((i + 1))"
done
check_port "$devbroker_port" "the development Kafka broker" DEVBROKER_PORT
((cluster_port != 0 && primary_port != 0 && replica_port != 0 && replica2_port != 0)) ||
    die "CLUSTER_PORT, REDIS_PRIMARY_PORT, REDIS_REPLICA_PORT and REDIS_REPLICA_2_PORT need real ports (not 0)"
for port in "${sentinel_ports[@]}"; do ((port != 0)) || die "SENTINEL_PORT_1..3 need real ports (not 0)"; done

rm -rf "$CLUSTER_DIR"
mkdir -p "$CLUSTER_DIR"
CLUSTER_DIR=$(cd "$CLUSTER_DIR" && pwd)
config_dir=$(pwd)/deploy/redis

# The primary, then its replicas; launch_redis (jkjav-procs.sh) waits for each one's own PONG. The
# config file comes last (include), so its settings win over launch_redis's no-persistence defaults.
REDIS_DIR=$CLUSTER_DIR/primary REDIS_OPTS=(--include "$config_dir/primary.conf")
launch_redis "$primary_port" 10 || die "the Redis primary did not start on 127.0.0.1:$primary_port (see $REDIS_DIR/redis.log)"
primary_pid=$REDIS_PID
REDIS_DIR=$CLUSTER_DIR/replica REDIS_OPTS=(--include "$config_dir/replica.conf" --replicaof 127.0.0.1 "$primary_port")
launch_redis "$replica_port" 10 || die "the Redis replica did not start on 127.0.0.1:$replica_port (see $REDIS_DIR/redis.log)"
replica_pid=$REDIS_PID
REDIS_DIR=$CLUSTER_DIR/replica-2 REDIS_OPTS=(--include "$config_dir/replica.conf" --replicaof 127.0.0.1 "$primary_port")
launch_redis "$replica2_port" 10 || die "the second Redis replica did not start on 127.0.0.1:$replica2_port (see $REDIS_DIR/redis.log)"
replica2_pid=$REDIS_PID
REDIS_PID=""
# The primary refuses writes until a replica acknowledges (min-replicas-to-write 1), and a booking
# waits for both (the Sentinels hold them alive): wait for both.
deadline=$((SECONDS + 20))
until redis-cli -p "$primary_port" info replication 2>/dev/null | grep -q '^min_slaves_good_slaves:2'; do
    ((SECONDS < deadline)) || die "the replicas did not connect to the primary within 20 s (see $CLUSTER_DIR/replica*/redis.log)"
    sleep 0.1
done

# Three Sentinels, each with its own copy of the template; ready once they see each other and both
# replicas (CKQUORUM: enough Sentinels to agree on, and authorise, a failover).
for i in 0 1 2; do
    dir=$CLUSTER_DIR/sentinel-$((i + 1))
    mkdir -p "$dir"
    sed -e "s/@PRIMARY_HOST@/127.0.0.1/" -e "s/@PRIMARY_PORT@/$primary_port/" "$config_dir/sentinel.conf" >"$dir/sentinel.conf"
    redis-sentinel "$dir/sentinel.conf" --port "${sentinel_ports[i]}" --bind 127.0.0.1 --dir "$dir" \
        --logfile "$dir/sentinel.log" --daemonize no >/dev/null 2>&1 &
    sentinel_pids+=($!)
done
deadline=$((SECONDS + 30))
for i in 0 1 2; do
    until [[ $(redis-cli -p "${sentinel_ports[i]}" sentinel ckquorum "$MASTER_NAME" 2>/dev/null) == OK* ]] &&
        [[ $(redis-cli -p "${sentinel_ports[i]}" sentinel replicas "$MASTER_NAME" 2>/dev/null | grep -cx "$replica_port\|$replica2_port") == 2 ]]; do
        kill -0 "${sentinel_pids[i]}" 2>/dev/null || die "Sentinel $((i + 1)) exited (see $CLUSTER_DIR/sentinel-$((i + 1))/sentinel.log)"
        ((SECONDS < deadline)) || die "Sentinel $((i + 1)) saw no quorum within 30 s (see $CLUSTER_DIR/sentinel-$((i + 1))/sentinel.log)"
        sleep 0.2
    done
done
sentinels=$(printf '127.0.0.1:%s,' "${sentinel_ports[@]}")
sentinels=${sentinels%,}

start_broker "$CLUSTER_DIR" "$devbroker_port"

# Seeded once, on the primary, before any server starts (servers never seed).
REDIS_URL=redis://127.0.0.1:$primary_port
SEED_ARGS=(--kafka-brokers "$BROKER_ADDR")
seed_campaign "$CLUSTER_DIR" "$CAMPAIGN"

# REDIS_URL stays as the primary's address for servers that predate REDIS_SENTINELS; with it, the
# primary is found through the Sentinels and REDIS_URL's host and port are ignored.
SERVER_SEEDS=0
SERVER_ENV=("REDIS_SENTINELS=$sentinels" "REDIS_MASTER_NAME=$MASTER_NAME" "TRUSTED_PROXIES=127.0.0.1"
    "KAFKA_BROKERS=$BROKER_ADDR")
for i in 0 1 2; do
    dir=$CLUSTER_DIR/api-$((i + 1))
    mkdir -p "$dir"
    HTTP_PORT=${api_ports[i]}
    start_server "$dir"
    server_pids+=("$SERVER_PID")
    api_ports[i]=$HTTP_PORT
done
SERVER_PID=""

JKJAV_PROXY_BIND=127.0.0.1:$cluster_port JKJAV_PROXY_STATS_BIND=127.0.0.1:$stats_port \
    JKJAV_API_1=127.0.0.1:${api_ports[0]} JKJAV_API_2=127.0.0.1:${api_ports[1]} JKJAV_API_3=127.0.0.1:${api_ports[2]} \
    haproxy -db -f deploy/haproxy/haproxy.cfg >"$CLUSTER_DIR/haproxy.log" 2>&1 &
haproxy_pid=$!
# Ready once HAProxy's checks passed for all three (rise 2: about 2 s), as its stats CSV says.
deadline=$((SECONDS + 20))
until [[ $(curl -s --max-time 1 "http://127.0.0.1:$stats_port/;csv" 2>/dev/null | grep -c '^jkjav-api,api-[123],.*,UP,') == 3 ]]; do
    kill -0 "$haproxy_pid" 2>/dev/null || { cat "$CLUSTER_DIR/haproxy.log" >&2; die "haproxy exited"; }
    ((SECONDS < deadline)) || { cat "$CLUSTER_DIR/haproxy.log" >&2; die "haproxy did not see the 3 servers up within 20 s"; }
    sleep 0.2
done

{
    printf '%s=%q\n' CLUSTER_PID $$ URL "http://127.0.0.1:$cluster_port" STATS_URL "http://127.0.0.1:$stats_port/" \
        HAPROXY_PID "$haproxy_pid" PRIMARY_PID "$primary_pid" REPLICA_PID "$replica_pid" REPLICA_2_PID "$replica2_pid" \
        BROKER_PID "$BROKER_PID" \
        KAFKA_BROKERS "$BROKER_ADDR" REDIS_SENTINELS "$sentinels" REDIS_PRIMARY_PORT "$primary_port" \
        REDIS_REPLICA_PORT "$replica_port" REDIS_REPLICA_2_PORT "$replica2_port"
    echo "SENTINEL_PIDS=(${sentinel_pids[*]})"
    echo "SERVER_PIDS=(${server_pids[*]})"
    echo "API_PORTS=(${api_ports[*]})"
} >"$CLUSTER_DIR/cluster.env.tmp"
mv "$CLUSTER_DIR/cluster.env.tmp" "$CLUSTER_DIR/cluster.env"
wrote_env=1

cat <<EOF
run-cluster: ready: http://127.0.0.1:$cluster_port (HAProxy). Ctrl-C stops everything.
  HAProxy            127.0.0.1:$cluster_port  stats http://127.0.0.1:$stats_port/   pid $haproxy_pid  log $CLUSTER_DIR/haproxy.log
  jkjav-server 1..3  127.0.0.1:${api_ports[0]} ${api_ports[1]} ${api_ports[2]}   pids ${server_pids[*]}   logs $CLUSTER_DIR/api-N/server.log
  Redis primary      127.0.0.1:$primary_port   pid $primary_pid   (AOF in $CLUSTER_DIR/primary/redis)
  Redis replicas     127.0.0.1:$replica_port $replica2_port   pids $replica_pid $replica2_pid
  Sentinels          $sentinels   pids ${sentinel_pids[*]}   master name $MASTER_NAME
  dev Kafka broker   $BROKER_ADDR   pid $BROKER_PID
Try:
  curl http://127.0.0.1:$cluster_port/stations/PWTC
  redis-cli -p ${sentinel_ports[0]} sentinel get-master-addr-by-name $MASTER_NAME   # where the primary is now
  kill -KILL $primary_pid   # the primary dies for good: the Sentinels promote a replica, bookings go on within 5 s
EOF
# Until Ctrl-C or SIGTERM (whose traps run stop_cluster), or until HAProxy itself stops. Servers
# and Redis nodes may die meanwhile: that is what the cluster is for.
wait "$haproxy_pid" || true
die "haproxy (pid $haproxy_pid) stopped (see $CLUSTER_DIR/haproxy.log)"
