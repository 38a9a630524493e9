#!/usr/bin/env bash
# bench/waiting_room.sh: the waiting room under a crowd (issue 11). PEOPLE join a campaign of SLOTS
# slots (most of them before opensAt), poll exactly as Retry-After says and book when admitted
# (build/bin/jkjav-queue-crowd); then the goodput phase: 10x more booking attempts than the server
# serves, with the queue off and on. See bench/README.md ("bench/waiting_room.sh") for the figures.
#   bench/waiting_room.sh                             # 200,000 people, 20,000 slots (full scale)
#   PEOPLE=20000 SLOTS=2000 bench/waiting_room.sh     # small, for development
#   GOODPUT=0 bench/waiting_room.sh                   # the crowd only
#   SMOKE=1 ...: invariants only (exit 1 when one fails), no goodput phase; the ctest smoke test
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=waiting_room
# shellcheck source=bench/lib.sh
source bench/lib.sh

PEOPLE=${PEOPLE:-200000}
SLOTS=${SLOTS:-20000}
DAYS=10                                      # the slots are SLOTS/DAYS seats on each of DAYS dates
JOIN_SECONDS=${JOIN_SECONDS:-$((PEOPLE >= 100000 ? 20 : 5))}  # the pre-queue: joins before opensAt
AFTER_SECONDS=${AFTER_SECONDS:-5}            # the last PREQUEUE_SHARE-rest join over this long after it
PREQUEUE_SHARE=${PREQUEUE_SHARE:-0.9}
CONNECTIONS=${CONNECTIONS:-256}
DEADLINE=${DEADLINE:-300}                    # the crowd stops then, finished or not
GOODPUT=${GOODPUT:-1}
SMOKE=${SMOKE:-0}
GOODPUT_SECONDS=${GOODPUT_SECONDS:-5}
GOODPUT_PEOPLE=${GOODPUT_PEOPLE:-$((PEOPLE / 2))}
PEAK_CONNECTIONS=64                          # the flash crowd's connections (bench/run.sh)
FLOOD_CONNECTIONS=$((PEAK_CONNECTIONS * 10))
QUEUE_CROWD=${QUEUE_CROWD:-$(dirname "$SERVER")/jkjav-queue-crowd}
((SLOTS % DAYS == 0)) || die "SLOTS must be a multiple of $DAYS"

WORK=$(mktemp -d)
trap bench_cleanup EXIT
HTTP_PORT=0
tools=(redis-server redis-cli curl jq)
((GOODPUT == 0)) || tools+=(wrk)
bench_preflight "${tools[@]}"
[[ -x $QUEUE_CROWD ]] || die "'$QUEUE_CROWD' not found (cmake --build build --target jkjav-queue-crowd, or set QUEUE_CROWD)"
SECRET=$(head -c 48 /dev/urandom | base64 -w0)

# queue_campaign FILE OPENS_AT_S CAPACITY_PER_DAY DAYS: one location, PWTC, with a waiting room
# opening at OPENS_AT_S (Unix seconds) and a pre-queue open from a minute ago.
queue_campaign() {
    local file=$1 opens=$2 perDay=$3 days=$4
    jq -n --arg opens "$(date -u -d "@$opens" +%Y-%m-%dT%H:%M:%SZ)" \
        --arg pre "$(date -u -d "@$((opens - 3600))" +%Y-%m-%dT%H:%M:%SZ)" \
        --arg to "$(date -u -d "20210516 + $((days - 1)) days" +%Y%m%d)" --argjson perDay "$perDay" \
        '{name: "waiting room bench", states: [{key: "kl", name: "W.P. Kuala Lumpur"}],
          locations: [{code: "PWTC", name: "PWTC", state: "kl", dates: {from: "20210516", to: $to},
                       capacityPerDay: $perDay}],
          queue: {opensAt: $opens, preQueueOpensAt: $pre}}' >"$file"
}

# run_crowd DIR PEOPLE SLOTS PREQUEUE_SHARE JOIN_SECONDS: a fresh Redis and server with a waiting
# room opening JOIN_SECONDS after the crowd starts, then the crowd; its output in DIR/crowd.txt and
# its JSON in the global CROWD.
run_crowd() {
    local dir=$1 people=$2 slots=$3 share=$4 joinSeconds=$5 opens
    mkdir -p "$dir"
    # Seeding and the server's start take a few seconds: opensAt is set after them (whole seconds).
    opens=$(($(date +%s) + joinSeconds + 4))
    queue_campaign "$dir/campaign.json" "$opens" $((slots / DAYS)) "$DAYS"
    start_redis "$dir"
    HTTP_PORT=0
    start_server "$dir" "CAMPAIGN_FILE=$dir/campaign.json" "QUEUE_SECRET=$SECRET"
    echo "   server on 127.0.0.1:$HTTP_PORT; opensAt in $((opens - $(date +%s))) s; $people people, $slots slots"
    timeout $((DEADLINE + 60)) "$QUEUE_CROWD" --port "$HTTP_PORT" --people "$people" --slots "$slots" \
        --opens-at-ms $((opens * 1000)) --prequeue-share "$share" --after-seconds "$AFTER_SECONDS" \
        --connections "$CONNECTIONS" --deadline "$DEADLINE" >"$dir/crowd.txt" 2>&1 ||
        die "the crowd failed: $(tail -5 "$dir/crowd.txt")"
    sed '/^QUEUE_CROWD_RESULT /d; s/^/   /' "$dir/crowd.txt"
    CROWD=$(sed -n 's/^QUEUE_CROWD_RESULT //p' "$dir/crowd.txt")
    [[ -n $CROWD ]] || die "no QUEUE_CROWD_RESULT line in $dir/crowd.txt"
}

field() { jq -r ".$1" <<<"$CROWD"; }

# ---------------------------------------------------------------- 1. the crowd
echo "== 1. $PEOPLE people, $SLOTS slots: ${PREQUEUE_SHARE} of them join in the ${JOIN_SECONDS} s before opensAt"
run_crowd "$WORK/crowd" "$PEOPLE" "$SLOTS" "$PREQUEUE_SHARE" "$JOIN_SECONDS"
MAIN=$CROWD

# The counters in Redis, the store's own word: references issued and seats left per slot.
issued=$(redis-cli -p "$REDIS_PORT" get jkjav:seq)
held=$(redis-cli -p "$REDIS_PORT" --scan --pattern 'jkjav:booking:*' | wc -l)
mapfile -t left < <(redis-cli -p "$REDIS_PORT" hvals jkjav:slots)
negative=0 leftTotal=0
for n in "${left[@]}"; do
    leftTotal=$((leftTotal + n))
    ((n >= 0)) || negative=$((negative + 1))
done
booked=$(field booked) closed=$(field closedSoldOut)
failures=()
((booked == SLOTS)) || failures+=("the crowd booked $booked of $SLOTS slots")
((${issued:-0} == SLOTS && held == SLOTS)) ||
    failures+=("Redis issued ${issued:-0} references and holds $held bookings for $SLOTS slots")
((leftTotal == 0 && negative == 0)) || failures+=("Redis holds $leftTotal seats left, $negative slots below 0")
((booked + closed == PEOPLE)) ||
    failures+=("$((PEOPLE - booked - closed)) people ended neither booked nor closed: $(jq -c '{admissionEnded, refused, gaveUp, unfinished}' <<<"$MAIN")")
echo "   Redis: $issued references issued, $held bookings held, $leftTotal seats left, $negative slots oversold"
stop_all

if ((${#failures[@]} > 0)); then
    printf '   FAIL: %s\n' "${failures[@]}"
    exit 1
fi
echo "   invariants OK: all $SLOTS slots sold, none oversold, $booked booked + $closed told closed = $PEOPLE"
((SMOKE == 0)) || exit 0

# ---------------------------------------------------------------- 2. goodput
PEAK="" OFF="" ON_RATE=""
if ((GOODPUT == 1)); then
    # The flash crowd's wrk on a fresh Redis and server; prints bookings/s (200s a second).
    flood() {
        local dir=$1 connections=$2 seconds=$3
        timeout $((seconds + 30)) wrk -t2 "-c$connections" "-d${seconds}s" --latency -s bench/flash_crowd.lua \
            "http://127.0.0.1:$HTTP_PORT" >"$dir/wrk-$connections.txt" 2>&1 || die "wrk failed: $(tail -5 "$dir/wrk-$connections.txt")"
        grep '^FLASH_RESULT ' "$dir/wrk-$connections.txt" | tr ' ' '\n' |
            awk -F= -v s="$seconds" '$1 == "s200" {printf "%.0f\n", $2 / s}'
    }
    echo "== 2a. goodput, queue off ($CAMPAIGN, 3,000,000 slots): flash crowd with $PEAK_CONNECTIONS, then $FLOOD_CONNECTIONS connections"
    mkdir -p "$WORK/off"
    start_redis "$WORK/off"
    HTTP_PORT=0
    start_server "$WORK/off"
    PEAK=$(flood "$WORK/off" "$PEAK_CONNECTIONS" "$GOODPUT_SECONDS")
    OFF=$(flood "$WORK/off" "$FLOOD_CONNECTIONS" "$GOODPUT_SECONDS")
    echo "   peak: $PEAK bookings/s with $PEAK_CONNECTIONS connections; $OFF bookings/s with $FLOOD_CONNECTIONS"
    stop_all

    # With the queue on, the attempts come as people: all of them want to book the moment it opens,
    # and the queue lets them in at admitPerSecond; slots for all, so only the pace limits them.
    echo "== 2b. goodput, queue on: $GOODPUT_PEOPLE people in the pre-queue, slots for all"
    onSlots=$(((GOODPUT_PEOPLE + DAYS - 1) / DAYS * DAYS))
    run_crowd "$WORK/on" "$GOODPUT_PEOPLE" "$onSlots" 1 "$JOIN_SECONDS"
    ON_RATE=$(field bookingsPerSecond)
    echo "   the queue's crowd booked $ON_RATE/s (10th to 90th percentile of booking times)"
    stop_all
fi

# ---------------------------------------------------------------- summary
ratio() { [[ -n $1 && -n $2 && $2 != 0 && $1 != -1 ]] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f%%", 100 * a / b}' || echo n/a; }
CROWD=$MAIN
echo
echo "| figure | value | goal |"
echo "|---|---:|---|"
echo "| all slots sold (counters) | $(field booked)/$SLOTS booked, Redis $issued issued, $leftTotal left | all |"
echo "| opening to sold out | $(field soldOutSeconds) s | |"
echo "| requests per person (joins + polls + bookings) | $(field joinsPerPerson) + $(field pollsPerPerson) + $(field bookingsPerPerson) = $(field requestsPerPerson) | |"
echo "| status polls p50 / p99 | $(field pollP50Ms) / $(field pollP99Ms) ms | p99 < 20 ms |"
echo "| admitted bookings p50 / p99 | $(field bookingP50Ms) / $(field bookingP99Ms) ms | p99 < 20 ms |"
echo "| wait estimate error at joining, median / p90 | $(field estimateErrorMedian) / $(field estimateErrorP90) ($(field estimatesJudged) admitted) | median < 0.25 |"
echo "| sold out to every waiting client told closed | $(field closedSeenSeconds) s ($(field waitingAtSellOut) waiting) | < 2 s |"
echo "| polls sent late (after Retry-After's moment) p99: all / due > 1 s after opening | $(field pollLatenessP99Ms) / $(field pollLatenessAfterOpeningP99Ms) ms, early $(field earlyPolls) | early 0 |"
echo "| longest Retry-After told to a waiting client | $(field longestWaitingRetryAfter) s ($(field waitingRetryAfterAtLeast60) answers >= 60 s) | |"
if ((GOODPUT == 1)); then
    echo "| goodput, queue off: $FLOOD_CONNECTIONS connections vs peak ($PEAK_CONNECTIONS) | $OFF vs $PEAK bookings/s = $(ratio "$OFF" "$PEAK") | >= 90% |"
    echo "| goodput, queue on ($GOODPUT_PEOPLE people at opening) | $ON_RATE vs $PEAK bookings/s = $(ratio "$ON_RATE" "$PEAK") | >= 90% |"
fi
echo "WAITING_ROOM_RESULT $(jq -c --arg peak "${PEAK:-}" --arg off "${OFF:-}" --arg on "${ON_RATE:-}" \
    '. + {peakBookingsPerSecond: $peak, floodQueueOffBookingsPerSecond: $off, floodQueueOnBookingsPerSecond: $on}' <<<"$MAIN")"
