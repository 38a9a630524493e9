#!/usr/bin/env bash
# jkjav relay benchmark: booking throughput with the outbox relay off vs on. Runs the flash crowd
# (wrk + bench/flash_crowd.lua, a distinct person per POST /booking) twice, each time against a
# fresh redis-server and a fresh server on 127.0.0.1:3000:
#   1. relay off: no KAFKA_BROKERS; every booking's event stays in the Redis outbox;
#   2. relay on:  jkjav-devbroker (in-memory Kafka-protocol broker) + KAFKA_BROKERS=<its address>;
#      after the load, GET /readyz is polled until outboxBacklog is 0 (120 s deadline), and the
#      topic's end offsets are read with kcat (when installed) to check at-least-once delivery.
# Prints a markdown table: mode, bookings/s, p50, p99, errors, events delivered, drain time.
# Takes about 45 s plus the drain.
#
#   bench/relay.sh                                # build/bin/jkjav-server + jkjav-devbroker, THREADS=2
#   JKJAV_SERVER=... JKJAV_DEVBROKER=... THREADS=4 bench/relay.sh
#   BENCH_KEEP=1 bench/relay.sh                   # keep raw wrk outputs and logs (path printed)
#
# Everything listens on and talks to loopback only; every load run is bounded by time (wrk -d10s
# inside `timeout 40`, the drain wait 120 s, kcat `timeout 60`); every process started here is
# stopped by its PID, between the runs and on exit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_NAME=relay.sh
# shellcheck source=bench/lib.sh
source bench/lib.sh   # SERVER, BROKER, THREADS, CAMPAIGN, HTTP_PORT=3000 and the shared helpers

DRAIN_DEADLINE=120
TOPIC=booking-slot    # the server's default KAFKA_TOPIC and jkjav-devbroker's default topic

bench_preflight wrk redis-server redis-cli curl python3
[[ -x $BROKER ]] || die "broker binary '$BROKER' not found or not executable (build it, or set JKJAV_DEVBROKER)"
HAVE_KCAT=0
if command -v kcat >/dev/null 2>&1; then HAVE_KCAT=1; fi

WORK=$(mktemp -d -t jkjav-relay.XXXXXX)
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }   # elapsed T0 T1 -> seconds

# outboxBacklog from GET /readyz: a number, or empty when unknown (null, no answer). The server
# refreshes it with the availability snapshot, every SNAPSHOT_MS (250 ms by default).
readyz_backlog() {
    curl -s --max-time 2 "http://127.0.0.1:$HTTP_PORT/readyz" 2>/dev/null \
        | sed -n 's/.*"outboxBacklog":\([0-9][0-9]*\).*/\1/p' || true
}

wait_port_free() {
    local deadline=$((SECONDS + 10))
    while port_in_use "$HTTP_PORT"; do
        ((SECONDS < deadline)) || die "port $HTTP_PORT on 127.0.0.1 is still taken 10 s after the server stopped"
        sleep 0.2
    done
}

# check_topic DIR BOOKINGS: counts the messages in the topic two ways and checks at-least-once.
#  - appended: the sum over partitions of the end offset (kcat -Q, offset -1): every message the
#    broker ever stored, duplicates included. This is the at-least-once check: >= BOOKINGS.
#  - read back: `kcat -C -o beginning -e -q | wc -l`. jkjav-devbroker is librdkafka's mock
#    cluster, which keeps only the newest 5 MB (or 100,000 message sets) per partition and drops
#    older ones, so past ~15 MB this reads back fewer than were appended; it is checked against
#    end - start offsets (offset -2: the oldest still kept) instead.
# Sets TOPIC_APPENDED.
check_topic() {
    local dir=$1 bookings=$2 partitions p query=() ends=0 starts=0 readback line
    TOPIC_APPENDED="?"
    partitions=$(timeout 30 kcat -L -b "$BROKER_ADDR" -t "$TOPIC" 2>"$dir/kcat.err" | grep -c '^ *partition [0-9]*,' || true)
    if ((partitions == 0)); then
        echo "   CHECK messages in topic $TOPIC: could not list its partitions ($(tail -2 "$dir/kcat.err" | tr '\n' ' '))"
        CHECKS+=("topic: could not list $TOPIC's partitions")
        return 0
    fi
    for ((p = 0; p < partitions; p++)); do query+=(-t "$TOPIC:$p:-1"); done
    while read -r line; do ends=$((ends + ${line##* })); done \
        < <(timeout 30 kcat -Q -b "$BROKER_ADDR" "${query[@]}" 2>>"$dir/kcat.err" | grep ' offset [0-9]*$' || true)
    query=()
    for ((p = 0; p < partitions; p++)); do query+=(-t "$TOPIC:$p:-2"); done
    while read -r line; do starts=$((starts + ${line##* })); done \
        < <(timeout 30 kcat -Q -b "$BROKER_ADDR" "${query[@]}" 2>>"$dir/kcat.err" | grep ' offset [0-9]*$' || true)
    readback=$( (timeout 60 kcat -C -b "$BROKER_ADDR" -t "$TOPIC" -o beginning -e -q 2>>"$dir/kcat.err" || true) | wc -l)
    TOPIC_APPENDED=$ends

    if ((ends >= bookings)); then
        echo "   CHECK messages appended to $TOPIC (sum of $partitions partitions' end offsets) $ends >= bookings $bookings: OK ($((ends - bookings)) duplicates)"
        CHECKS+=("topic: $ends messages appended >= $bookings bookings: OK ($((ends - bookings)) duplicates)")
    else
        echo "   CHECK messages appended to $TOPIC (sum of $partitions partitions' end offsets) $ends >= bookings $bookings: FEWER ($((bookings - ends)) missing)"
        CHECKS+=("topic: $ends messages appended < $bookings bookings: FEWER")
    fi
    if ((readback == ends - starts)); then
        echo "   read back with kcat -C -o beginning -e: $readback = retained by the dev broker (end - start offsets; it keeps the newest ~5 MB per partition, the $starts older were dropped): OK"
    else
        echo "   read back with kcat -C -o beginning -e: $readback, but end - start offsets say $((ends - starts)) are retained: MISMATCH ($(tail -2 "$dir/kcat.err" | tr '\n' ' '))"
        CHECKS+=("topic: read back $readback != retained $((ends - starts))")
    fi
}

declare -a ROWS=()
CHECKS=()

# measure MODE ("off" | "on"): one flash crowd against a fresh redis + server (+ broker when on).
measure() {
    local mode=$1 dir="$WORK/$1" t_start t_end t_zero backlog backlog_end="" drained=0 seq xlen
    local bookings_rate errors delivered drain label
    mkdir -p "$dir"
    wait_port_free
    start_redis "$dir"
    if [[ $mode == on ]]; then
        start_broker "$dir"
        start_server "$dir" KAFKA_BROKERS="$BROKER_ADDR" KAFKA_TOPIC="$TOPIC"
        label="relay on (jkjav-devbroker)"
        echo "== relay ON: redis 127.0.0.1:$REDIS_PORT, jkjav-devbroker $BROKER_ADDR (topic $TOPIC), server KAFKA_BROKERS=$BROKER_ADDR"
    else
        start_server "$dir"
        label="relay off (no KAFKA_BROKERS)"
        echo "== relay OFF: redis 127.0.0.1:$REDIS_PORT, server without KAFKA_BROKERS (events stay in the outbox)"
    fi
    echo '   $ wrk -t2 -c64 -d10s --latency -s bench/flash_crowd.lua http://127.0.0.1:3000'

    t_start=$(now)
    run_flash_crowd "$dir/wrk.txt"
    t_end=$(now)
    server_alive "after the flash crowd ($mode)"

    if [[ $mode == on ]]; then
        # Drain: poll /readyz until the outbox is empty.
        local deadline=$((SECONDS + DRAIN_DEADLINE))
        while :; do
            backlog=$(readyz_backlog)
            [[ -n $backlog_end ]] || backlog_end=${backlog:-unknown}
            if [[ $backlog == 0 ]]; then t_zero=$(now); drained=1; break; fi
            ((SECONDS < deadline)) || break
            server_alive "while the relay drained"
            kill -0 "$BROKER_PID" 2>/dev/null || { cat "$dir/devbroker.log" >&2; die "jkjav-devbroker died while the relay drained"; }
            sleep 0.1
        done
    else
        sleep 0.6   # let /readyz's backlog (refreshed every 250 ms) catch up with the last bookings
        backlog=$(readyz_backlog)
    fi

    seq=$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" GET jkjav:seq); seq=${seq:-0}
    xlen=$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" XLEN jkjav:outbox); xlen=${xlen:-0}

    echo "   bookings stored (jkjav:seq) $seq = wrk 200s ${W[s200]} + $((seq - W[s200])) answered after wrk's cut-off (unanswered: ${W[inflight]})"
    if [[ $mode == on ]]; then
        if ((drained)); then
            delivered=$((seq - xlen))
            drain="$(elapsed "$t_end" "$t_zero") s"
            local total rate
            total=$(elapsed "$t_start" "$t_zero")
            rate=$(awk -v n="$delivered" -v a="$t_start" -v b="$t_zero" 'BEGIN { printf "%.0f", n / (b - a) }')
            echo "   outbox backlog (GET /readyz) when the load ended: $backlog_end; 0 after $drain"
            echo "   relay: $delivered events delivered in ${total} s from load start = $rate events/s (outbox XLEN now $xlen)"
            RELAY_RATE=$rate
            RELAY_TOTAL=$total
        else
            delivered=$((seq - xlen))
            drain="not drained in ${DRAIN_DEADLINE} s (backlog ${backlog:-unknown})"
            echo "   WARNING: outbox backlog (GET /readyz) was ${backlog:-unknown} ${DRAIN_DEADLINE} s after the load ended (at load end: $backlog_end)"
            CHECKS+=("drain: NOT DRAINED within ${DRAIN_DEADLINE} s (XLEN $xlen)")
            RELAY_RATE=""
        fi
        if ((HAVE_KCAT)); then
            check_topic "$dir" "$seq"
            delivered="$delivered (topic: $TOPIC_APPENDED)"
        else
            echo "   (kcat not installed: the topic's message count is not checked)"
        fi
    else
        delivered="0 ($xlen waiting in the outbox)"
        drain="— (no relay)"
        echo "   outbox: $xlen events waiting (GET /readyz outboxBacklog ${backlog:-unknown}), as expected with no relay"
        if ((xlen != seq)); then CHECKS+=("relay off: outbox $xlen != bookings $seq: MISMATCH"); fi
    fi

    # bookings/s: 200s per second of the run (wrk's req/s counts every answer; all should be 200s).
    if ((W[requests] > 0)); then
        bookings_rate=$(awk -v ok="${W[s200]}" -v n="${W[requests]}" -v rps="${W[rps]}" 'BEGIN { printf "%.0f", ok * rps / n }')
    else
        bookings_rate=n/a
    fi
    errors=$((W[s4xx] + W[s5xx] + W[sother] + W[err_connect] + W[err_read] + W[err_write] + W[err_timeout]))
    if ((errors > 0)); then
        echo "   NOTE: $errors errors: other 4xx ${W[s4xx]}, 5xx ${W[s5xx]}, other ${W[sother]}, socket errors connect ${W[err_connect]} read ${W[err_read]} write ${W[err_write]} timeout ${W[err_timeout]}"
    fi
    if ((W[s409full] + W[s409already] + W[s409other] > 0)); then
        echo "   NOTE: 409s: FULL ${W[s409full]}, ALREADY_BOOKED ${W[s409already]}, other ${W[s409other]}"
    fi

    local log_lines
    log_lines=$(grep -vc 'KAFKA_BROKERS is not set' "$SERVER_LOG" || true)
    if ((log_lines > 0)); then
        echo "   server log (warn level), $log_lines lines besides the no-relay notice; last 5:"
        grep -v 'KAFKA_BROKERS is not set' "$SERVER_LOG" | tail -5 | sed 's/^/     /'
    fi

    if [[ $mode == on && -n $RELAY_RATE ]]; then delivered="$delivered; $RELAY_RATE/s from load start"; fi
    ROWS+=("| $label | $bookings_rate | ${W[p50_ms]} | ${W[p99_ms]} | $errors | $delivered | $drain |")
    stop_all
    echo
}

echo "== jkjav relay bench: $(date -u '+%Y-%m-%d %H:%M:%SZ'), $(nproc) cores, server $SERVER THREADS=$THREADS"
echo "   wrk, the server, redis-server and (relay on) jkjav-devbroker all share these $(nproc) cores"
echo
RELAY_RATE=""
RELAY_TOTAL=""
measure off
measure on

echo "== summary ($(nproc) cores shared by wrk, server, redis and broker; THREADS=$THREADS; flash crowd wrk -t2 -c64 -d10s)"
echo
echo "| mode | bookings/s | p50 (ms) | p99 (ms) | errors (non-200/409) | events delivered | drain time after load |"
echo "|---|---:|---:|---:|---:|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
if [[ -n $RELAY_RATE ]]; then
    echo "Relay delivery rate: $RELAY_RATE events/s (events delivered / time from load start to outbox backlog 0, ${RELAY_TOTAL} s)."
fi
echo "Drain time: from wrk's end to GET /readyz first reporting outboxBacklog 0 (the figure is refreshed every 250 ms)."
for c in "${CHECKS[@]}"; do echo "Check: $c"; done
