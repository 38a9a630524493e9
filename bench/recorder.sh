#!/usr/bin/env bash
# jkjav-recorder benchmark: booking events per second from the topic into PostgreSQL (issue 14's
# goal: at least 30,000/s). EVENTS booking.created events (a distinct person each, over 30 dates of
# 8 venues), and a booking.cancelled right after every CANCEL_EVERY-th one (default 10; 0: none), are put on the dev broker's booking-slot topic first with kcat (24 partitions: the mock
# broker keeps about 5 MB per partition and drops older messages beyond that; the count is checked
# before the clock starts), then the recorder starts
# against a fresh PostgreSQL 15 (initdb'd here, default settings: fsync on) and is timed from its
# first recorded event to the last, read from its own /metrics; then PostgreSQL's rows are counted.
# Prints a markdown row: events (of which cancellations), seconds, events/s, batches, mean batch
# size, mean transaction time, duplicates.
#
#   bench/recorder.sh                      # 200,000 events, build/bin/jkjav-recorder
#   EVENTS=500000 RECORDER_BATCH_MAX=10000 CANCEL_EVERY=0 bench/recorder.sh
#   BENCH_KEEP=1 bench/recorder.sh         # keep the logs (path printed)
#
# Loopback only; every wait is bounded (produce 120 s, record 300 s); every process started here is
# stopped by its PID on exit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_NAME=recorder.sh
# shellcheck source=bench/lib.sh
source bench/lib.sh

EVENTS=${EVENTS:-200000}
CANCEL_EVERY=${CANCEL_EVERY:-10}
RECORD_DEADLINE=300

for tool in kcat curl python3 psql; do command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed"; done
[[ -x $RECORDER ]] || die "recorder binary '$RECORDER' not found (build it, or set JKJAV_RECORDER)"

WORK=$(mktemp -d)
chmod 755 "$WORK"  # PostgreSQL runs as the postgres user when this runs as root
trap bench_cleanup EXIT

BROKER_ARGS=(--partitions "${PARTITIONS:-24}")
start_broker "$WORK"
KAFKA_BROKERS=$BROKER_ADDR
start_postgres "$WORK" "$(free_port)"

# One event a line, "key<TAB>value", the relay's format (key: the person's id).
python3 - "$EVENTS" "$CANCEL_EVERY" >"$WORK/events.tsv" <<'PY'
import json, sys
n, cancel_every = int(sys.argv[1]), int(sys.argv[2])
venues = ["PWTC", "UM", "KLCC", "MITEC", "IDCC", "SPICE", "UTM", "UNIMAS"]
for i in range(n):
    person = "%012d" % (500101000000 + i)
    day = i % 30
    date = "2021%02d%02d" % ((5, 16 + day) if day < 16 else (6, day - 15))
    event = {"eventId": "jkjav-bench-%d" % i, "type": "booking.created",
             "occurredAt": "2021-05-26T01:02:03Z",
             "booking": {"mysejahteraId": person, "firstName": "First%d" % i, "lastName": "Last",
                         "address": "Kuala Lumpur", "location": venues[i % len(venues)],
                         "phoneNumber": "+60123456789", "date": date, "reference": "JKBENCH%07d" % i}}
    print(person + "\t" + json.dumps(event, separators=(",", ":")))
    if cancel_every and i % cancel_every == 0:
        event.update(eventId="jkjav-bench-cancel-%d" % i, type="booking.cancelled", occurredAt="2021-05-27T01:02:03Z")
        print(person + "\t" + json.dumps(event, separators=(",", ":")))
PY
MESSAGES=$(wc -l <"$WORK/events.tsv")
timeout 120 kcat -P -b "$KAFKA_BROKERS" -t booking-slot -K $'\t' -l "$WORK/events.tsv" 2>"$WORK/kcat.log" ||
    die "kcat could not produce the events (see $WORK/kcat.log)"
in_topic=$(timeout 120 kcat -C -b "$KAFKA_BROKERS" -t booking-slot -e -q -f '\n' | wc -l)
((in_topic == MESSAGES)) || die "the topic holds $in_topic of $MESSAGES events (the dev broker drops beyond ~5 MB a partition: raise PARTITIONS)"

metric() {  # metric NAME: its value on the recorder's /metrics (0 when absent)
    curl -s "http://127.0.0.1:$RECORDER_METRICS_PORT/metrics" |
        awk -v name="$1" 'index($0, name) == 1 { v = $NF } END { print (v == "" ? 0 : v) }'
}
now() { date +%s.%N; }

start_recorder "$WORK" LOG_LEVEL=warn ${RECORDER_BATCH_MAX:+RECORDER_BATCH_MAX=$RECORDER_BATCH_MAX}
recorded_total() {  # both types, from one scrape
    curl -s "http://127.0.0.1:$RECORDER_METRICS_PORT/metrics" |
        awk 'index($0, "jkjav_recorder_events_recorded_total{") == 1 { sum += $NF } END { printf "%d", sum }'
}
first=0 started="" deadline=$((SECONDS + RECORD_DEADLINE))
while :; do
    recorded=$(recorded_total)
    if [[ -z $started && $recorded -gt 0 ]]; then started=$(now); first=$recorded; fi
    ((recorded >= MESSAGES)) && { finished=$(now); break; }
    ((SECONDS < deadline)) || die "only $recorded of $MESSAGES events recorded within ${RECORD_DEADLINE}s"
    sleep 0.05
done

in_db=$(psql "$DATABASE_URL" -tAc "select count(*) from bookings")
((in_db == EVENTS)) || die "PostgreSQL holds $in_db bookings, expected $EVENTS"
cancelled=$(psql "$DATABASE_URL" -tAc "select count(*) from bookings where cancelled_at is not null")
((cancelled == MESSAGES - EVENTS)) || die "PostgreSQL holds $cancelled cancelled bookings, expected $((MESSAGES - EVENTS))"
batches=$(metric jkjav_recorder_batch_size_count)
duplicates=$(metric 'jkjav_recorder_events_skipped_total{reason="duplicate"}')
tx_sum=$(metric jkjav_recorder_transaction_duration_seconds_sum)
python3 - "$MESSAGES" "$first" "$started" "$finished" "$batches" "$tx_sum" "$duplicates" "$((MESSAGES - EVENTS))" <<'PY'
import sys
events, first, started, finished, batches, tx_sum, duplicates, cancellations = sys.argv[1:]
events, first, batches = int(events), int(first), float(batches)
seconds = float(finished) - float(started)
rate = (events - first) / seconds if seconds > 0 else float("inf")
print("| events (cancellations) | seconds | events/s | batches | mean batch | mean transaction | duplicates |")
print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
print("| %s (%s) | %.2f | %s | %d | %.0f | %.1f ms | %s |" % (format(events, ","), format(int(cancellations), ","),
      seconds, format(int(rate), ","), batches, events / batches if batches else 0,
      1000 * float(tx_sum) / batches if batches else 0, duplicates))
PY
