# shellcheck shell=bash
# bench/lib.sh: helpers shared by bench/run.sh, bench/relay.sh and bench/compare.sh. Not a script:
# source it from the repository root after `set -euo pipefail`, with BENCH_NAME set to the script's
# name (used as the prefix of error messages). The caller creates WORK (a mktemp -d directory)
# and installs bench_cleanup as its EXIT trap; the helpers record every process they start
# (REDIS_PID, SERVER_PID, BROKER_PID) so that the trap stops each one by its PID. A caller that
# starts other processes defines bench_stop_extra, which bench_cleanup runs first.
#
# Everything listens on and talks to 127.0.0.1 only.

SERVER=${JKJAV_SERVER:-build/bin/jkjav-server}
BROKER=${JKJAV_DEVBROKER:-build/bin/jkjav-devbroker}
ADMIN=${JKJAV_ADMIN:-$(dirname "$SERVER")/jkjav-admin}
THREADS=${THREADS:-2}
CAMPAIGN=bench/campaign.json
HTTP_PORT=3000   # run.sh and relay.sh: fixed, the original's hey commands name localhost:3000;
                 # compare.sh sets it to a free port before each start_server

REDIS_PID=""
REDIS_PORT=""
REDIS_DIR=""
REDIS_OPTS=()
SERVER_PID=""
SERVER_LOG=""
BROKER_PID=""
BROKER_ADDR=""

die() { echo "${BENCH_NAME:-bench}: $*" >&2; exit 1; }

# bench_preflight TOOL...: the tools, the server binary, the campaign and the wrk script exist, and
# port 3000 is free.
bench_preflight() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed"
    done
    [[ -x $SERVER ]] || die "server binary '$SERVER' not found or not executable (build it, or set JKJAV_SERVER)"
    [[ -f $CAMPAIGN ]] || die "$CAMPAIGN is missing"
    [[ -f bench/flash_crowd.lua ]] || die "bench/flash_crowd.lua is missing"
    if port_in_use "$HTTP_PORT"; then
        die "port $HTTP_PORT on 127.0.0.1 is already taken; the original's hey commands need localhost:$HTTP_PORT (stop whatever listens there)"
    fi
}

# JSON: jq when present, python3 otherwise.
if command -v jq >/dev/null 2>&1; then
    remaining_of() { jq '[.locations[].availability] | add'; }
else
    remaining_of() { python3 -c 'import json,sys; print(sum(l["availability"] for l in json.load(sys.stdin)["locations"]))'; }
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {  # a free loopback port, never 3000 (run.sh and relay.sh need it)
    local port
    while :; do
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
        [[ $port != 3000 ]] && { echo "$port"; return; }
    done
}

stop_pid() {  # stop_pid PID NAME SECONDS [SIGNAL]: the signal (TERM), wait, then SIGKILL
    local pid=$1 name=$2 grace=$3 sig=${4:-TERM} i
    [[ -n $pid ]] || return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill "-$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    echo "${BENCH_NAME:-bench}: $name (pid $pid) did not stop in ${grace}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# stop_all: the server first (its relay flushes to the broker and acknowledges in Redis), then the
# broker, then Redis.
stop_all() {
    stop_pid "$SERVER_PID" jkjav-server 15
    SERVER_PID=""
    stop_pid "$BROKER_PID" jkjav-devbroker 5
    BROKER_PID=""
    stop_redis
}

stop_redis() { stop_pid "$REDIS_PID" redis-server 5; REDIS_PID=""; }

bench_cleanup() {
    local rc=$?
    set +e
    if declare -F bench_stop_extra >/dev/null; then bench_stop_extra; fi
    stop_all
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then
        echo "raw outputs and logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}

# start_redis DIR [OPTION...]: a private redis-server on a free loopback port, no persistence
# unless the options say otherwise (they come after the defaults, so `--appendonly yes` wins), data
# in DIR/redis, log in DIR/redis.log. Sets REDIS_PID, REDIS_PORT, REDIS_DIR and REDIS_OPTS.
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
    [[ -n $REDIS_PORT ]] || die "redis-server did not start (see the log: BENCH_KEEP=1)"
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

# launch_redis PORT [SECONDS]: one redis-server with REDIS_DIR and REDIS_OPTS; 0 once it answers PONG.
launch_redis() {
    local port=$1 deadline=$((SECONDS + ${2:-5}))
    mkdir -p "$REDIS_DIR/redis"
    redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
        --dir "$REDIS_DIR/redis" --logfile "$REDIS_DIR/redis.log" --daemonize no "${REDIS_OPTS[@]}" >/dev/null 2>&1 &
    REDIS_PID=$!
    while ((SECONDS < deadline)); do
        kill -0 "$REDIS_PID" 2>/dev/null || break
        [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]] && return 0
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
    "$BROKER" --bootstrap-file "$dir/bootstrap" "${portArgs[@]}" >>"$dir/devbroker.log" 2>&1 &
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

# start_server DIR [NAME=VALUE...]: seeds the campaign (jkjav-admin seed: servers never seed; a
# no-op once seeded), then the server on 127.0.0.1:$HTTP_PORT (3000 unless the caller changed it)
# against the redis started by start_redis, log in DIR/server.log, extra environment from the
# arguments (they come last, so THREADS=... or CAMPAIGN_FILE=... there override the defaults);
# waits up to 20 s for GET /readyz to answer 200. Sets SERVER_PID and SERVER_LOG.
start_server() {
    local dir=$1 deadline campaign=$CAMPAIGN arg
    shift
    SERVER_LOG=$dir/server.log
    for arg in "$@"; do [[ $arg == CAMPAIGN_FILE=* ]] && campaign=${arg#CAMPAIGN_FILE=}; done
    "$ADMIN" seed --campaign "$campaign" --redis-url "redis://127.0.0.1:$REDIS_PORT" >"$dir/seed.log" 2>&1 ||
        { cat "$dir/seed.log" >&2; die "jkjav-admin seed failed"; }
    env "PORT=$HTTP_PORT" BIND_ADDRESS=127.0.0.1 "REDIS_URL=redis://127.0.0.1:$REDIS_PORT" "CAMPAIGN_FILE=$CAMPAIGN" \
        "THREADS=$THREADS" LOG_LEVEL=warn "$@" "$SERVER" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!

    deadline=$((SECONDS + 20))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$HTTP_PORT/readyz" 2>/dev/null) == 200 ]]; do
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "the server exited before it was ready"; }
        ((SECONDS < deadline)) || { cat "$SERVER_LOG" >&2; die "GET /readyz was not 200 within 20 s"; }
        sleep 0.1
    done
}

server_alive() { kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "the server died ($1)"; }; }

# Total availability from GET /locations, now (fails when there is no answer).
remaining_now() { curl -sf --max-time 2 "http://127.0.0.1:$HTTP_PORT/locations" | remaining_of; }

# Total availability from GET /locations, once the snapshot (refreshed every SNAPSHOT_MS, 250 ms by
# default) has settled: two equal readings 0.6 s apart.
settled_remaining() {
    local previous="" current deadline=$((SECONDS + 15))
    while ((SECONDS < deadline)); do
        current=$(remaining_now) || current=""
        if [[ -n $current && $current == "$previous" ]]; then echo "$current"; return 0; fi
        previous=$current
        sleep 0.6
    done
    die "GET /locations did not settle within 15 s"
}

round() { [[ $1 == n/a ]] && echo n/a || printf '%.0f' "$1"; }

# run_flash_crowd FILE: the flash crowd (bounded: wrk -d10s inside `timeout 40`), raw output in
# FILE; prints wrk's report indented and fills the global associative array W from the
# FLASH_RESULT line (rps, p50_ms, p99_ms, s200, s409full, ..., err_timeout).
run_flash_crowd() {
    local file=$1 result kv
    timeout 40 wrk -t2 -c64 -d10s --latency -s bench/flash_crowd.lua http://127.0.0.1:3000 >"$file" 2>&1 \
        || die "wrk failed: $(tail -5 "$file")"
    sed -n '/^---- flash crowd/,/^socket errors/p' "$file" | sed '1d; s/^/   /'
    result=$(grep '^FLASH_RESULT ' "$file") || die "no FLASH_RESULT line in the wrk output"
    unset W
    declare -gA W
    # shellcheck disable=SC2034  # W is read by the caller
    for kv in ${result#FLASH_RESULT }; do W[${kv%%=*}]=${kv#*=}; done
}
