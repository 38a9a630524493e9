# shellcheck shell=bash
# scripts/lib/jkjav-procs.sh: the one way scripts start and stop what jkjav runs on: a private
# redis-server, the campaign seeded (jkjav-admin seed), jkjav-server on the port it bound (PORT_FILE:
# port 0 needs no free-port guess) and waited for at /readyz, the dev Kafka broker; each stopped by
# its PID. Used by bench/ (through bench/lib.sh), tests/contract/run_contract.sh and
# scripts/run-local.sh; the C++ tests' tests/support/fixtures.* do the same in C++.
#
# Not a script: source it from the repository root after `set -euo pipefail`. SCRIPT_NAME (or
# BENCH_NAME) prefixes error messages. Every process started is recorded (REDIS_PID, SERVER_PID,
# BROKER_PID) so that the caller's EXIT trap can call stop_all. Settings (set them before calling):
#   SERVER, ADMIN, BROKER  binaries (JKJAV_SERVER, JKJAV_ADMIN, JKJAV_DEVBROKER; default build/bin/)
#   CAMPAIGN               the campaign start_server seeds and serves (data/campaign.json)
#   HTTP_PORT              jkjav-server's port; 0 (the default): any free one, set here once bound
#   SERVER_ENV             environment every start_server adds (an array of NAME=VALUE)
#   SEED_ARGS              extra `jkjav-admin seed` arguments (an array, e.g. --kafka-brokers ADDR)
#   SERVER_SEEDS           1 (the default): start_server seeds first; 0: the caller seeded once for
#                          several servers (scripts/run-cluster.sh)
#   BROKER_ARGS            extra jkjav-devbroker arguments (an array, e.g. --partitions 24)
#   SERVER_BIND            jkjav-server's BIND_ADDRESS (127.0.0.1)
#   SERVER_OUTPUT          where the server's output goes: a file (default DIR/server.log), or -
#                          for this terminal
# Everything listens on and talks to 127.0.0.1 unless REDIS_BIND or SERVER_BIND say otherwise.

SERVER=${JKJAV_SERVER:-build/bin/jkjav-server}
ADMIN=${JKJAV_ADMIN:-$(dirname "$SERVER")/jkjav-admin}
BROKER=${JKJAV_DEVBROKER:-$(dirname "$SERVER")/jkjav-devbroker}
RECORDER=${JKJAV_RECORDER:-$(dirname "$SERVER")/jkjav-recorder}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
CAMPAIGN=data/campaign.json
HTTP_PORT=0
REDIS_BIND=127.0.0.1
SERVER_BIND=127.0.0.1
SERVER_ENV=()
SEED_ARGS=()
SERVER_SEEDS=1
BROKER_ARGS=()

REDIS_PID=""
REDIS_PORT=""
REDIS_URL=${REDIS_URL:-}
REDIS_DIR=""
REDIS_OPTS=()
SERVER_PID=""
SERVER_LOG=""
BROKER_PID=""
BROKER_ADDR=""
POSTGRES_PID=""
DATABASE_URL=${DATABASE_URL:-}
RECORDER_PID=""
RECORDER_METRICS_PORT=""

die() { echo "${SCRIPT_NAME:-${BENCH_NAME:-jkjav}}: $*" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port: a loopback port nobody listens on right now, never 3000 (the original's hey commands
# need it). Only for redis-server, which cannot bind port 0 and say which port it got.
free_port() {
    local port
    while :; do
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
        [[ $port != 3000 ]] && { echo "$port"; return; }
    done
}

# stop_pid PID NAME SECONDS [SIGNAL]: the signal (TERM), wait up to SECONDS, then SIGKILL.
stop_pid() {
    local pid=$1 name=$2 grace=$3 sig=${4:-TERM} i
    [[ -n $pid ]] || return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    echo "${SCRIPT_NAME:-${BENCH_NAME:-jkjav}}: $name (pid $pid) did not stop in ${grace}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# stop_all: the server first (its relay flushes to the broker and acknowledges in Redis), then the
# recorder (it finishes its batch and commits), the broker, PostgreSQL (SIGINT: fast shutdown), Redis.
stop_all() {
    stop_pid "$SERVER_PID" jkjav-server 15
    SERVER_PID=""
    stop_pid "$RECORDER_PID" jkjav-recorder 15
    RECORDER_PID=""
    stop_pid "$BROKER_PID" jkjav-devbroker 5
    BROKER_PID=""
    stop_pid "$POSTGRES_PID" postgres 15 INT
    POSTGRES_PID=""
    stop_redis
}

# postgres_user_prefix: PostgreSQL refuses to run as root; as root, its programs run as the postgres
# user through setpriv, which execs them (so `$!` is the program's own PID and signals reach it).
postgres_user_prefix() {
    PG_AS_USER=()
    if (($(id -u) == 0)); then PG_AS_USER=(setpriv --reuid=postgres --regid=postgres --init-groups --); fi
}

# start_postgres DIR PORT: a private PostgreSQL 15 on 127.0.0.1:PORT only (no other address, its
# socket in DIR/postgres), data in DIR/postgres (initdb'd the first time: superuser jkjav, trust on
# loopback; database jkjav), log in DIR/postgres.log. Sets POSTGRES_PID and DATABASE_URL.
start_postgres() {
    local dir=$1 port=$2 data deadline
    data=$(cd "$dir" && pwd)/postgres
    [[ -x $PG_BIN/postgres ]] || die "PostgreSQL 15 not found in $PG_BIN (make deps installs postgresql-15)"
    postgres_user_prefix
    if [[ ! -f $data/PG_VERSION ]]; then
        mkdir -p "$data"
        chmod 700 "$data"
        (($(id -u) != 0)) || chown postgres:postgres "$data"
        "${PG_AS_USER[@]}" "$PG_BIN/initdb" -D "$data" -U jkjav -A trust --no-locale -E UTF8 >"$dir/initdb.log" 2>&1 ||
            { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    touch "$dir/postgres.log"
    (($(id -u) != 0)) || chown postgres:postgres "$dir/postgres.log"
    "${PG_AS_USER[@]}" "$PG_BIN/postgres" -D "$data" -p "$port" -c listen_addresses=127.0.0.1 \
        -c unix_socket_directories="$data" >>"$dir/postgres.log" 2>&1 &
    POSTGRES_PID=$!
    DATABASE_URL=postgresql://jkjav@127.0.0.1:$port/jkjav
    deadline=$((SECONDS + 30))
    until "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U jkjav -d postgres; do
        kill -0 "$POSTGRES_PID" 2>/dev/null || { tail -20 "$dir/postgres.log" >&2; die "postgres exited before it was ready"; }
        ((SECONDS < deadline)) || { tail -20 "$dir/postgres.log" >&2; die "postgres not ready within 30 s"; }
        sleep 0.2
    done
    if [[ $(psql "postgresql://jkjav@127.0.0.1:$port/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'jkjav'") != 1 ]]; then
        psql "postgresql://jkjav@127.0.0.1:$port/postgres" -qc "CREATE DATABASE jkjav" >/dev/null ||
            die "could not create the database jkjav"
    fi
}

# start_recorder DIR [NAME=VALUE...]: jkjav-recorder from KAFKA_BROKERS into DATABASE_URL, its
# /metrics on RECORDER_PORT (0: any free port), log in DIR/recorder.log; waits for /healthz (the
# schema migrated). Sets RECORDER_PID and RECORDER_METRICS_PORT.
start_recorder() {
    local dir=$1 deadline
    shift
    [[ -x $RECORDER ]] || die "recorder binary '$RECORDER' not found (build it, or set JKJAV_RECORDER)"
    rm -f "$dir/recorder.port"
    env DATABASE_URL="$DATABASE_URL" KAFKA_BROKERS="$KAFKA_BROKERS" RECORDER_PORT="${RECORDER_PORT:-0}" \
        PORT_FILE="$dir/recorder.port" "$@" "$RECORDER" >>"$dir/recorder.log" 2>&1 &
    RECORDER_PID=$!
    deadline=$((SECONDS + 40))
    until [[ -s $dir/recorder.port ]] && curl -sf "http://127.0.0.1:$(<"$dir/recorder.port")/healthz" >/dev/null; do
        kill -0 "$RECORDER_PID" 2>/dev/null || { tail -20 "$dir/recorder.log" >&2; die "jkjav-recorder exited before it was ready"; }
        ((SECONDS < deadline)) || { tail -20 "$dir/recorder.log" >&2; die "jkjav-recorder not ready within 40 s"; }
        sleep 0.2
    done
    RECORDER_METRICS_PORT=$(<"$dir/recorder.port")
}

stop_redis() { stop_pid "$REDIS_PID" redis-server 5; REDIS_PID=""; }

# start_redis DIR [OPTION...]: a private redis-server on a free loopback port (another one if that
# port was taken in between), no persistence unless the options say otherwise (they come after the
# defaults, so `--appendonly yes` wins), data in DIR/redis, log in DIR/redis.log. Sets REDIS_PID,
# REDIS_PORT, REDIS_URL, REDIS_DIR and REDIS_OPTS.
start_redis() {
    local dir=$1 port
    shift
    REDIS_DIR=$dir
    REDIS_OPTS=("$@")
    REDIS_PORT=""
    for _ in 1 2 3; do
        port=$(free_port)
        launch_redis "$port" && { REDIS_PORT=$port; break; }
    done
    [[ -n $REDIS_PORT ]] || die "redis-server did not start (see $REDIS_DIR/redis.log)"
    REDIS_URL=redis://127.0.0.1:$REDIS_PORT
}

# restart_redis [OPTION...]: redis-server again on the same port and data dir as the last
# start_redis (after the caller stopped or killed it), with the options given, or the last ones.
# With AOF it answers PING only once the file is loaded; waits up to 10 s for that.
restart_redis() {
    (($# == 0)) || REDIS_OPTS=("$@")
    launch_redis "$REDIS_PORT" 10 || die "redis-server did not restart on port $REDIS_PORT (see $REDIS_DIR/redis.log)"
}

# kill_redis: SIGKILL, no SHUTDOWN (so nothing is saved on the way out).
kill_redis() {
    kill -KILL "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
}

# launch_redis PORT [SECONDS]: one redis-server on REDIS_BIND:PORT with REDIS_DIR and REDIS_OPTS;
# 0 once this very process (its pid in INFO, not another Redis that had the port) answers PONG.
launch_redis() {
    local port=$1 deadline=$((SECONDS + ${2:-5}))
    mkdir -p "$REDIS_DIR/redis"
    redis-server --bind "$REDIS_BIND" --port "$port" --save "" --appendonly no \
        --dir "$REDIS_DIR/redis" --logfile "$REDIS_DIR/redis.log" --daemonize no "${REDIS_OPTS[@]}" >/dev/null 2>&1 &
    REDIS_PID=$!
    while ((SECONDS < deadline)); do
        kill -0 "$REDIS_PID" 2>/dev/null || break
        if [[ $(redis-cli -h "$REDIS_BIND" -p "$port" ping 2>/dev/null) == PONG ]]; then
            redis-cli -h "$REDIS_BIND" -p "$port" info server 2>/dev/null | grep -q "^process_id:$REDIS_PID" && return 0
            break  # someone else's Redis on this port: ours could not bind it
        fi
        sleep 0.1
    done
    stop_pid "$REDIS_PID" redis-server 2
    REDIS_PID=""
    return 1
}

# start_broker DIR [PORT]: jkjav-devbroker (librdkafka's in-memory mock cluster on loopback), on
# PORT when given (needs a jkjav-devbroker with --port: broker_has_port), waiting up to 10 s for it
# to write its bootstrap address to DIR/bootstrap. Sets BROKER_PID and BROKER_ADDR.
start_broker() {
    local dir=$1 port=${2:-} deadline portArgs=()
    [[ -x $BROKER ]] || die "broker binary '$BROKER' not found or not executable (build it, or set JKJAV_DEVBROKER)"
    [[ -z $port ]] || portArgs=(--port "$port")
    rm -f "$dir/bootstrap"
    "$BROKER" --bootstrap-file "$dir/bootstrap" "${portArgs[@]}" "${BROKER_ARGS[@]}" >>"$dir/devbroker.log" 2>&1 &
    BROKER_PID=$!
    deadline=$((SECONDS + 10))
    until [[ -s $dir/bootstrap ]]; do
        kill -0 "$BROKER_PID" 2>/dev/null || { cat "$dir/devbroker.log" >&2; die "jkjav-devbroker exited before it was ready"; }
        ((SECONDS < deadline)) || { cat "$dir/devbroker.log" >&2; die "jkjav-devbroker wrote no bootstrap file within 10 s"; }
        sleep 0.1
    done
    BROKER_ADDR=$(<"$dir/bootstrap")
    [[ $BROKER_ADDR == 127.0.0.1:* ]] || die "jkjav-devbroker is not on loopback: '$BROKER_ADDR'"
}

# broker_has_port: this jkjav-devbroker takes --port N (a stable address across restarts).
broker_has_port() { "$BROKER" --help 2>&1 | grep -q -- '--port'; }

# seed_campaign DIR CAMPAIGN_FILE: `jkjav-admin seed` against REDIS_URL (servers never seed; a no-op
# once seeded), with SEED_ARGS; its output in DIR/seed.log, shown when it fails.
seed_campaign() {
    local dir=$1 campaign=$2
    "$ADMIN" seed --campaign "$campaign" --redis-url "$REDIS_URL" "${SEED_ARGS[@]}" >"$dir/seed.log" 2>&1 ||
        { cat "$dir/seed.log" >&2; die "jkjav-admin seed failed"; }
}

# start_server DIR [NAME=VALUE...] [-- ARG...]: seeds the campaign (unless SERVER_SEEDS=0), then jkjav-server on
# $SERVER_BIND:$HTTP_PORT (0: whichever port it binds, read back from DIR/port and stored in HTTP_PORT,
# so a restart comes back on the same port) against REDIS_URL, with SERVER_ENV and then the
# NAME=VALUE arguments as environment (the last wins: THREADS=... or CAMPAIGN_FILE=... override) and
# the ARGs after `--` as its command line; waits up to 20 s for GET /readyz to answer 200. Sets
# SERVER_PID, SERVER_LOG and HTTP_PORT.
start_server() {
    local dir=$1 deadline campaign=$CAMPAIGN host=$SERVER_BIND
    local -a env=() args=()
    shift
    while (($# > 0)); do
        [[ $1 == -- ]] && { shift; args=("$@"); break; }
        env+=("$1")
        [[ $1 == CAMPAIGN_FILE=* ]] && campaign=${1#CAMPAIGN_FILE=}
        shift
    done
    ((SERVER_SEEDS == 0)) || seed_campaign "$dir" "$campaign"
    rm -f "$dir/port"
    SERVER_LOG=${SERVER_OUTPUT:-$dir/server.log}
    local -a launch=(env "PORT=$HTTP_PORT" "PORT_FILE=$dir/port" "BIND_ADDRESS=$SERVER_BIND" "REDIS_URL=$REDIS_URL"
        "CAMPAIGN_FILE=$CAMPAIGN" "${SERVER_ENV[@]}" "${env[@]}" "$SERVER" "${args[@]}")
    if [[ $SERVER_LOG == - ]]; then "${launch[@]}" & else "${launch[@]}" >"$SERVER_LOG" 2>&1 & fi
    SERVER_PID=$!

    deadline=$((SECONDS + 20))
    until [[ -s $dir/port ]]; do
        server_alive "before it wrote its port to $dir/port"
        ((SECONDS < deadline)) || { show_server_log; die "no port in $dir/port within 20 s"; }
        sleep 0.05
    done
    HTTP_PORT=$(<"$dir/port")
    [[ $host != 0.0.0.0 ]] || host=127.0.0.1
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://$host:$HTTP_PORT/readyz" 2>/dev/null) == 200 ]]; do
        server_alive "before it was ready"
        ((SECONDS < deadline)) || { show_server_log; die "GET /readyz was not 200 within 20 s"; }
        sleep 0.1
    done
}

show_server_log() { [[ $SERVER_LOG == - || ! -f $SERVER_LOG ]] || cat "$SERVER_LOG" >&2; }

# server_alive WHEN: dies, showing the server's log, when the server is gone.
server_alive() { kill -0 "$SERVER_PID" 2>/dev/null || { show_server_log; die "the server died ($1)"; }; }
