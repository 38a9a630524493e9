#!/usr/bin/env bash
# `make run`: a local redis-server (AOF under ./var) unless one already answers at REDIS_URL, the
# development Kafka broker (jkjav-devbroker, at 127.0.0.1:$DEVBROKER_PORT, default 9092, the same
# after a restart) unless KAFKA_BROKERS is set, then jkjav-server in the foreground on :3000, after
# opening the campaign with `jkjav-admin seed`. Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRIPT_NAME=run
# shellcheck source=scripts/lib/jkjav-procs.sh
source scripts/lib/jkjav-procs.sh

export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export PORT=${PORT:-3000}
export CAMPAIGN_FILE=${CAMPAIGN_FILE:-data/campaign.json}
hostport=${REDIS_URL#redis://}
hostport=${hostport##*@}
hostport=${hostport%%/*}
redis_host=${hostport%%:*}
redis_port=${hostport##*:}
[[ $redis_port == "$hostport" ]] && redis_port=6379

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

if redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null 2>&1; then
  echo "run: using the redis-server already answering at $REDIS_URL"
else
  echo "run: starting redis-server on $redis_host:$redis_port (AOF in var/redis)"
  REDIS_DIR=$PWD/var REDIS_BIND=$redis_host REDIS_OPTS=(--appendonly yes --appendfsync everysec)
  launch_redis "$redis_port" 10 || die "redis-server did not start on $redis_host:$redis_port (see var/redis.log)"
  pids+=("$REDIS_PID")
fi

if [[ -z ${KAFKA_BROKERS:-} ]]; then
  mkdir -p var
  rm -f var/devbroker.bootstrap
  # A stable port: a dev broker restarted by hand (same command) is found again by the running server.
  build/bin/jkjav-devbroker --port "${DEVBROKER_PORT:-9092}" --bootstrap-file var/devbroker.bootstrap \
    >var/devbroker.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    [[ -s var/devbroker.bootstrap ]] && break
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "run: jkjav-devbroker did not start (port ${DEVBROKER_PORT:-9092} taken? set DEVBROKER_PORT):" >&2
      cat var/devbroker.log >&2
      exit 1
    fi
    sleep 0.1
  done
  KAFKA_BROKERS=$(cat var/devbroker.bootstrap)
  export KAFKA_BROKERS
  echo "run: jkjav-devbroker at $KAFKA_BROKERS; watch events with:"
  echo "       kcat -C -b $KAFKA_BROKERS -t booking-slot -f '%k %s\n'"
fi

# Servers never seed (an emptied Redis must not reopen the campaign): opening it is start_server's
# explicit first step, a no-op when Redis already holds the campaign (its AOF in var/redis keeps it
# across runs). With Kafka, seeding also refuses a Redis that lost a campaign whose events the topic
# holds. The server's output stays on this terminal; its settings come from the environment.
CAMPAIGN=$CAMPAIGN_FILE HTTP_PORT=$PORT SERVER_BIND=${BIND_ADDRESS:-127.0.0.1} SERVER_OUTPUT=- SEED_ARGS=(--kafka-brokers "${KAFKA_BROKERS:-}")
mkdir -p var
start_server var -- "$@"
pids+=("$SERVER_PID")
echo "run: jkjav-server on http://127.0.0.1:$HTTP_PORT  (the booking page: http://127.0.0.1:$HTTP_PORT/, the API docs: /docs)"
wait "$SERVER_PID"
