#!/usr/bin/env bash
# `make run`: a local redis-server (AOF under ./var) unless one already answers at REDIS_URL, the
# development Kafka broker (jkjav-devbroker, at 127.0.0.1:$DEVBROKER_PORT, default 9092, the same
# after a restart) unless KAFKA_BROKERS is set, then jkjav-server in the foreground on :3000, after
# opening the campaign with `jkjav-admin seed`. Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."

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
  mkdir -p var/redis
  echo "run: starting redis-server on $redis_host:$redis_port (AOF in var/redis)"
  redis-server --bind "$redis_host" --port "$redis_port" --dir "$PWD/var/redis" \
    --appendonly yes --appendfsync everysec --save "" --logfile "$PWD/var/redis/redis.log" &
  pids+=($!)
  for _ in $(seq 1 100); do
    redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
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

# Servers never seed (an emptied Redis must not reopen the campaign): opening it is this explicit
# step, a no-op when Redis already holds the campaign (its AOF in var/redis keeps it across runs).
# With Kafka, seeding also refuses a Redis that lost a campaign whose events the topic holds.
build/bin/jkjav-admin seed --campaign "$CAMPAIGN_FILE" --redis-url "$REDIS_URL" --kafka-brokers "${KAFKA_BROKERS:-}"

echo "run: jkjav-server on http://127.0.0.1:$PORT  (try: curl localhost:$PORT/stations/PWTC)"
build/bin/jkjav-server "$@" &
pids+=($!)
wait "${pids[-1]}"
