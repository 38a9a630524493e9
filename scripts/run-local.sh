#!/usr/bin/env bash
# `make run`: jkjav on this machine, with everything it needs kept under ./var and stopped by Ctrl-C:
#   - its own redis-server on 127.0.0.1:$REDIS_PORT (default 6390, AOF in var/redis), so it never
#     reads or writes a Redis that happens to listen on 6379; another Redis only when REDIS_URL
#     names it;
#   - the development Kafka broker (jkjav-devbroker at 127.0.0.1:$DEVBROKER_PORT, default 9092, the
#     same address after a restart) unless KAFKA_BROKERS names brokers;
#   - its own PostgreSQL on 127.0.0.1:$POSTGRES_PORT (default 5433, data in var/postgres, database
#     jkjav) unless DATABASE_URL names one, and jkjav-recorder writing every booking event into it
#     (/metrics on RECORDER_PORT, default 9464; log in var/recorder.log);
#   - the campaign opened with `jkjav-admin seed`, then jkjav-server in the foreground on :$PORT
#     (default 3000), its log on this terminal.
# One at a time: a second `make run` in this checkout refuses (var/run.pid), and so does one in any
# checkout whose ports are taken. What it started is written to var/run.env for make load-test,
# make redis-cli and make reset (scripts/lib/local-run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SCRIPT_NAME=run
# Read before jkjav-procs.sh, which resets REDIS_PORT and REDIS_URL for its own bookkeeping.
requested_redis_url=${REDIS_URL:-}
redis_port=${REDIS_PORT:-6390}
# shellcheck source=scripts/lib/jkjav-procs.sh
source scripts/lib/jkjav-procs.sh
# shellcheck source=scripts/lib/local-run.sh
source scripts/lib/local-run.sh

export PORT=${PORT:-3000}
export CAMPAIGN_FILE=${CAMPAIGN_FILE:-data/campaign.json}
devbroker_port=${DEVBROKER_PORT:-9092}
postgres_port=${POSTGRES_PORT:-5433}
export RECORDER_PORT=${RECORDER_PORT:-9464}
requested_database_url=${DATABASE_URL:-}

local_run_claim
cleanup() {
    stop_all
    local_run_release
}
trap cleanup EXIT
# Job control puts every process started below in its own process group, out of reach of the
# terminal's Ctrl-C, which so reaches this script alone: its EXIT trap then stops them in order
# (the server drains and its relay flushes to the broker and acknowledges in Redis, then the broker,
# then Redis), instead of all at once with the broker and Redis gone under the draining server.
set -m
trap 'exit 130' INT
trap 'exit 143' TERM

# Every port is checked before anything starts, so a refusal leaves nothing behind.
taken() { die "port $1 ($2) is already taken by another process (a make run in another checkout?).
     Stop it, or choose another port: $3=<port> make run"; }
if ((PORT != 0)) && port_in_use "$PORT"; then taken "$PORT" "jkjav-server" PORT; fi
if [[ -z $requested_redis_url ]] && port_in_use "$redis_port"; then taken "$redis_port" "make run's Redis" REDIS_PORT; fi
if [[ -z ${KAFKA_BROKERS:-} ]] && ((devbroker_port != 0)) && port_in_use "$devbroker_port"; then
    taken "$devbroker_port" "the development Kafka broker" DEVBROKER_PORT
fi
if [[ -z $requested_database_url ]] && port_in_use "$postgres_port"; then taken "$postgres_port" "make run's PostgreSQL" POSTGRES_PORT; fi
if ((RECORDER_PORT != 0)) && port_in_use "$RECORDER_PORT"; then taken "$RECORDER_PORT" "jkjav-recorder's /metrics" RECORDER_PORT; fi

if [[ -n $requested_redis_url ]]; then
    REDIS_URL=$requested_redis_url
    shown_url=$(sed -E 's#//[^@/]*@#//***@#' <<<"$REDIS_URL")  # never print a password
    [[ $(redis-cli -u "$REDIS_URL" --no-auth-warning ping 2>/dev/null) == PONG ]] ||
        die "REDIS_URL=$shown_url does not answer PING (unset REDIS_URL and make run starts its own Redis)"
    echo "run: using the Redis at REDIS_URL=$shown_url"
else
    REDIS_DIR=$(cd "$RUN_DIR" && pwd) REDIS_BIND=127.0.0.1 REDIS_OPTS=(--appendonly yes --appendfsync everysec)
    launch_redis "$redis_port" 10 || die "redis-server did not start on 127.0.0.1:$redis_port (see $RUN_DIR/redis.log)"
    REDIS_PORT=$redis_port
    REDIS_URL=redis://127.0.0.1:$redis_port
    echo "run: redis-server on 127.0.0.1:$redis_port (pid $REDIS_PID, AOF in $RUN_DIR/redis)"
fi
export REDIS_URL

if [[ -z ${KAFKA_BROKERS:-} ]]; then
    start_broker "$RUN_DIR" "$devbroker_port"
    KAFKA_BROKERS=$BROKER_ADDR
    echo "run: jkjav-devbroker at $KAFKA_BROKERS (pid $BROKER_PID)"
fi
export KAFKA_BROKERS

# The system of record: PostgreSQL and the recorder that fills it from the topic (issue 14).
if [[ -n $requested_database_url ]]; then
    DATABASE_URL=$requested_database_url
    echo "run: using the PostgreSQL at DATABASE_URL=$(sed -E 's#//([^:@/]*):[^@/]*@#//\1:***@#' <<<"$DATABASE_URL")"
else
    start_postgres "$RUN_DIR" "$postgres_port"
    echo "run: postgres on 127.0.0.1:$postgres_port (pid $POSTGRES_PID, data in $RUN_DIR/postgres)"
fi
export DATABASE_URL
start_recorder "$RUN_DIR"
echo "run: jkjav-recorder (pid $RECORDER_PID, /metrics on 127.0.0.1:$RECORDER_METRICS_PORT, log in $RUN_DIR/recorder.log)"

# Servers never seed (an emptied Redis must not reopen the campaign): opening it is start_server's
# explicit first step, a no-op when Redis already holds the campaign (its AOF in var/redis keeps it
# across runs). With Kafka, seeding also refuses a Redis that lost a campaign whose events the topic
# holds. The server's output stays on this terminal; its settings come from the environment.
CAMPAIGN=$CAMPAIGN_FILE HTTP_PORT=$PORT SERVER_BIND=${BIND_ADDRESS:-127.0.0.1} SERVER_OUTPUT=- SEED_ARGS=(--kafka-brokers "$KAFKA_BROKERS")
start_server "$RUN_DIR" -- "$@"
local_run_record RUN_PID=$$ REDIS_URL="$REDIS_URL" REDIS_PID="$REDIS_PID" HTTP_PORT="$HTTP_PORT" \
    SERVER_PID="$SERVER_PID" KAFKA_BROKERS="$KAFKA_BROKERS" BROKER_PID="$BROKER_PID" \
    DATABASE_URL="$DATABASE_URL" POSTGRES_PID="$POSTGRES_PID" RECORDER_PID="$RECORDER_PID" \
    RECORDER_METRICS_PORT="$RECORDER_METRICS_PORT"

cat <<EOF
run: ready: jkjav-server on http://127.0.0.1:$HTTP_PORT (pid $SERVER_PID). Ctrl-C stops everything;
     the data stays in $RUN_DIR/ for the next make run (make reset clears it). In another terminal:
       the booking page: http://127.0.0.1:$HTTP_PORT/   the API docs: http://127.0.0.1:$HTTP_PORT/docs
       curl localhost:$HTTP_PORT/stations/PWTC
       make load-test     # the original's two hey commands against this server (about 15 s)
       make redis-cli     # redis-cli on this Redis; try: hgetall jkjav:slots, keys jkjav:booking:*
       make psql          # psql on the system of record; try: table booked_counts;
                          #   select * from bookings order by created_at desc limit 5;
       kcat -C -b $KAFKA_BROKERS -t booking-slot -f '%k %s\n' -e
                          # the booking events so far, then exits; without -e it follows new ones
                          # until Ctrl-C
EOF
wait "$SERVER_PID"
