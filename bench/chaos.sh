#!/usr/bin/env bash
# jkjav chaos drill: a flash crowd of distinct people books while the drill breaks things, then it
# checks that what every client was told is what Redis and Kafka hold. On 127.0.0.1 only.
#
#   bench/chaos.sh                     # about 1-2 minutes; exit 1 if any check fails
#   BENCH_KEEP=1 bench/chaos.sh        # keep the crowd's records, topic dumps and every log
#   CHAOS_RATE=300 CHAOS_CONCURRENCY=48 CHAOS_STEADY_SECONDS=3 bench/chaos.sh
#
# Drill (one crowd, bench/chaos_crowd.py, paced at CHAOS_RATE requests/s over CHAOS_CONCURRENCY
# keep-alive connections; bench/campaign-chaos.json: 10,000 seats in 4 slots, two of which sell
# out during the drill), each phase followed by CHAOS_STEADY_SECONDS of steady load:
#   0. steady load;
#   1. the server is SIGKILLed and restarted;
#   2. the server is SIGTERMed (it drains and exits) and restarted;
#   3. redis-server (AOF, appendfsync always) is SIGKILLed and restarted on the same port and dir;
#   4. the dev broker is killed and restarted (on the same port when jkjav-devbroker has --port;
#      otherwise on a new one, and the server is restarted with the new address);
# then the load stops, the relay drains (GET /readyz outboxBacklog 0, 60 s deadline) and
# bench/chaos_check.py compares the crowd's records with Redis and the topic.
# Wipe (a second crowd of new people): Redis is FLUSHALLed, SIGKILLed and restarted empty under the
# crowd; nothing may be accepted afterwards, nothing may reappear in Redis, /readyz must say
# MARKER_LOST.
# Prints a markdown table (phase, requests, 200s, 409 FULL, 503s, other, refused, no answer,
# checks) and every check; exits 1 if any failed. See bench/README.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_NAME=chaos.sh
# shellcheck source=bench/lib.sh
source bench/lib.sh
# shellcheck source=bench/drill_lib.sh
source bench/drill_lib.sh

CAMPAIGN=bench/campaign-chaos.json
SLOTS=SMALL:20210516,SMALL:20210517,LARGE:20210516,LARGE:20210517
RATE=${CHAOS_RATE:-300}
CONCURRENCY=${CHAOS_CONCURRENCY:-48}
STEADY=${CHAOS_STEADY_SECONDS:-3}
BURST_MAX=${CHAOS_BURST_MAX:-2000}
APPENDFSYNC=${CHAOS_APPENDFSYNC:-always}   # everysec: losses in its last second are reported apart
[[ $APPENDFSYNC == always || $APPENDFSYNC == everysec ]] || die "CHAOS_APPENDFSYNC must be always or everysec"
AOF_FLAG=()
[[ $APPENDFSYNC == always ]] || AOF_FLAG=(--aof-everysec)
DRAIN_DEADLINE=60
TOPIC=booking-slot

HTTP_PORT=0   # the first start binds a free port; every restart comes back on it (the crowd's)
bench_preflight redis-server redis-cli curl python3 kcat
[[ -x $BROKER ]] || die "broker binary '$BROKER' not found or not executable (build it, or set JKJAV_DEVBROKER)"

WORK=$(mktemp -d -t jkjav-chaos.XXXXXX)
MARKS=$WORK/marks
CROWD_PID=""
SERVER_RUN=0
declare -a CHECKS=() ROWS=()
FAILED=0

bench_stop_extra() {
    [[ -z $SERVER_PID ]] || kill -CONT "$SERVER_PID" 2>/dev/null || true
    stop_pid "$CROWD_PID" chaos_crowd 5
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


# The next server gets its own directory, so every log survives the restarts.
next_server() {
    SERVER_RUN=$((SERVER_RUN + 1))
    mkdir -p "$WORK/server-$SERVER_RUN"
    # info: the drain check reads the server's own "drain: N requests read, N answered" line.
    start_server "$WORK/server-$SERVER_RUN" KAFKA_BROKERS="$BROKER_ADDR" KAFKA_TOPIC="$TOPIC" LOG_LEVEL=info
    say "server $SERVER_RUN ready on 127.0.0.1:$HTTP_PORT (pid $SERVER_PID, $(tr '\n' ' ' <"$WORK/server-$SERVER_RUN/seed.log" | cut -c1-100))"
}



# log_evidence DIR: the server's warnings and errors, counted, with the last few.
log_evidence() {
    local log=$1/server.log n
    n=$(grep -c . "$log" || true)
    ((n > 0)) || return 0
    say "   server $(basename "$1") log: $n lines (warn level); most frequent:"
    sed -E 's/^\[[^]]*\] //; s/[0-9]+/N/g' "$log" | sort | uniq -c | sort -rn | head -6 | sed 's/^/      /'
}

say "== jkjav chaos drill: $(date -u '+%Y-%m-%d %H:%M:%SZ'), $(nproc) cores, server $SERVER THREADS=$THREADS"
say "   crowd: $CONCURRENCY connections, $RATE requests/s, slots $SLOTS; campaign $CAMPAIGN"
if broker_has_port; then BROKER_PORT=$(free_port); BROKER_MODE="restarted on the same port ($BROKER_PORT)"
else BROKER_PORT=""; BROKER_MODE="jkjav-devbroker has no --port: restarted on a new port, server restarted with it"; fi

# ---------------------------------------------------------------------------------------- drill
start_redis "$WORK" --appendonly yes --appendfsync "$APPENDFSYNC"
start_broker "$WORK" "$BROKER_PORT"
say "redis 127.0.0.1:$REDIS_PORT (AOF, appendfsync $APPENDFSYNC), dev broker $BROKER_ADDR"
next_server

start_crowd drill 900101
phase steady "0. steady load"
steady "$STEADY"

phase sigkill "1. server SIGKILL + restart"
burst_on
kill -KILL "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
mark sigkill
burst_off
next_server
steady "$STEADY"

phase sigterm "2. server SIGTERM (drain) + restart"
burst_on
mark sigterm
kill -TERM "$SERVER_PID"
deadline=$((SECONDS + 20))
while kill -0 "$SERVER_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
if kill -0 "$SERVER_PID" 2>/dev/null; then
    check FAIL "SIGTERM: the server had not exited 20 s later"
    stop_pid "$SERVER_PID" jkjav-server 1 KILL
    rc=killed
else
    rc=0; wait "$SERVER_PID" || rc=$?
fi
mark sigterm_exit
burst_off
drain_took=$(since sigterm)
if [[ $rc == 0 ]]; then check OK "SIGTERM: exit code 0 after ${drain_took} s"; else check FAIL "SIGTERM: exit code $rc after ${drain_took} s"; fi
# The issue's criterion: every request whose bytes the server had read is answered (its own count).
drain_line=$(grep -o 'drain: [0-9]* requests read, [0-9]* answered' "$SERVER_LOG" | tail -1 || true)
if [[ $drain_line =~ drain:\ ([0-9]+)\ requests\ read,\ ([0-9]+)\ answered ]] &&
    [[ ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" ]]; then
    check OK "SIGTERM drain: every request the server read was answered (its log: $drain_line)"
else
    check FAIL "SIGTERM drain: the server's count does not show every request read answered (${drain_line:-no drain line in its log})"
fi
next_server
steady "$STEADY"

phase redis "3. redis-server SIGKILL + restart (AOF $APPENDFSYNC)"
burst_on
kill_redis
mark redis_kill
burst_off
restart_redis
say "redis-server back on 127.0.0.1:$REDIS_PORT (AOF loaded)"
wait_readyz "server ready again after the Redis restart" 20 '"status":"READY"' || true
steady "$STEADY"

phase broker "4. dev broker kill + restart"
# The dev broker keeps messages in memory only, so what it holds is read back before it dies. The
# server (the only producer) is paused meanwhile, so nothing is acknowledged unseen; a produce it
# had in flight is answered to nobody and sent again: a duplicate with the same eventId.
kill -STOP "$SERVER_PID"
mark freeze
previous=-1; deadline=$((SECONDS + 10))
while ends=$(topic_end_offsets) && [[ $ends != "$previous" ]] && ((SECONDS < deadline)); do previous=$ends; sleep 0.3; done
dump_topic "$WORK/events-1.txt"
stop_pid "$BROKER_PID" jkjav-devbroker 1 KILL
mark broker_kill
start_broker "$WORK" "$BROKER_PORT"
kill -CONT "$SERVER_PID"
mark thaw
say "dev broker back at $BROKER_ADDR ($BROKER_MODE); server paused for $(since freeze) s"
if [[ -z $BROKER_PORT ]]; then
    stop_pid "$SERVER_PID" jkjav-server 20
    next_server
fi
steady "$STEADY"

stop_crowd drill
mark load_end
wait_drained "$HTTP_PORT"
dump_topic "$WORK/events-2.txt"


say "== checks of the drill"
run_checks drill --records "$WORK/crowd-drill.tsv" --marks "$MARKS" --redis-port "$REDIS_PORT" \
    --events "$WORK/events-1.txt" --events "$WORK/events-2.txt" "${AOF_FLAG[@]}"

# ----------------------------------------------------------------------------------------- wipe
: >"$WORK/marks-wipe"
MARKS=$WORK/marks-wipe
start_crowd wipe 900102
phase wipe "5. Redis wiped under the crowd"
steady 2
burst_on
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" FLUSHALL >/dev/null
mark flushall
kill_redis
burst_off
rm -rf "$REDIS_DIR/redis"
restart_redis --appendonly no
mark redis_empty
say "Redis flushed, SIGKILLed and restarted empty on 127.0.0.1:$REDIS_PORT (no persistence)"
wait_readyz "/readyz reports MARKER_LOST after the wipe" 10 '"reason":"MARKER_LOST"' || true
steady "$((STEADY + 1))"
stop_crowd wipe
reason=$(readyz | sed -n 's/.*"reason":"\([A-Z_]*\)".*/\1/p')
run_checks wipe --records "$WORK/crowd-wipe.tsv" --marks "$MARKS" --redis-port "$REDIS_PORT" \
    --readyz-reason "$reason"
if grep -Eq 'seeded [0-9]+ new|seeded campaign' "$SERVER_LOG"; then
    check FAIL "the server seeded after the wipe: $(grep -E 'seeded [0-9]+ new|seeded campaign' "$SERVER_LOG" | head -1)"
else
    check OK "the server's log says nothing was seeded after the wipe ($(grep -c 'CAMPAIGN MARKER LOST' "$SERVER_LOG") CAMPAIGN MARKER LOST line(s))"
fi

say "== server logs"
for dir in "$WORK"/server-*; do log_evidence "$dir"; done

# -------------------------------------------------------------------------------------- summary
echo
echo "jkjav chaos drill, $(date -u '+%Y-%m-%d'), $(nproc) cores, THREADS=$THREADS, crowd $CONCURRENCY connections at $RATE requests/s,"
echo "Redis AOF appendfsync $APPENDFSYNC, dev broker $BROKER_MODE; $((SECONDS)) s in all:"
print_summary chaos.sh
