#!/usr/bin/env bash
# What the metrics cost the hot path: two jkjav-server binaries (e.g. main's, without /metrics,
# and this build's) measured back to back, alternating, ROUNDS times, with bench/compare.sh's own
# loads made shorter: GET /stations/PWTC at THREADS=1 (wrk -t1 -c50) and bookings by distinct
# people at THREADS=2 (wrk -t2 -c64 -s bench/flash_crowd.lua). Alternating spreads the drift of a
# shared machine over both; the medians and their ratio are printed at the end. Besides requests
# per second, the server's own CPU time per request (from /proc/PID/stat) is reported: on a machine
# shared with other work it moves much less than throughput does.
#
#   bench/metrics_cost.sh BASELINE_SERVER [CANDIDATE_SERVER]   # candidate: build/bin/jkjav-server
#   ROUNDS=3 SECONDS_PER_RUN=5 bench/metrics_cost.sh /path/to/main/jkjav-server
#
# Each binary's jkjav-admin (same directory) seeds its campaign. Every server and redis-server
# listens on a free loopback port and is stopped by its PID on exit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_NAME=metrics_cost.sh
# shellcheck source=bench/lib.sh
source bench/lib.sh

BASELINE=${1:?usage: bench/metrics_cost.sh BASELINE_SERVER [CANDIDATE_SERVER]}
CANDIDATE=${2:-build/bin/jkjav-server}
ROUNDS=${ROUNDS:-3}
RUN_SECONDS=${SECONDS_PER_RUN:-5}
LOADS=${LOADS:-"get book"}  # LOADS=book: only the bookings
HTTP_PORT=0
WRK_PID=""

for tool in wrk redis-server curl; do command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed"; done
for binary in "$BASELINE" "$CANDIDATE"; do
    [[ -x $binary && -x $(dirname "$binary")/jkjav-admin ]] || die "$binary (and jkjav-admin beside it) not found"
done

WORK=$(mktemp -d -t jkjav-metrics-cost.XXXXXX)
bench_stop_extra() {
    stop_pid "$WRK_PID" wrk 5 INT
    stop_pid "$SERVER_PID" jkjav-server 15
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# measure WHO BINARY ROUND: one GET run and one booking run, each against a fresh Redis and server.
measure() {
    local who=$1 binary=$2 round=$3 dir
    SERVER=$binary
    ADMIN=$(dirname "$binary")/jkjav-admin
    [[ " $LOADS " == *" get "* ]] && measure_get "$who" "$round"
    [[ " $LOADS " == *" book "* ]] && measure_book "$who" "$round"
    echo "   round $round $who: GET req/s $(echo "${GET[$who]:-}" | awk '{ print $NF }') ($(echo "${GET_CPU[$who]:-}" | awk '{ print $NF }') us CPU each), bookings req/s $(echo "${BOOK[$who]:-}" | awk '{ print $NF }') ($(echo "${BOOK_CPU[$who]:-}" | awk '{ print $NF }') us CPU each)"
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
# us_per_request TICKS_BEFORE REQUESTS: the server's CPU microseconds per request since TICKS_BEFORE.
us_per_request() {
    awk -v t=$(($(cpu_ticks) - $1)) -v hz="$(getconf CLK_TCK)" -v n="$2" 'BEGIN { printf "%.2f", t * 1e6 / hz / n }'
}

measure_get() {
    local who=$1 round=$2 dir=$WORK/$1-$2-get
    start_redis "$dir"
    HTTP_PORT=0
    start_server "$dir" THREADS=1
    local ticks
    ticks=$(cpu_ticks)
    timeout $((RUN_SECONDS + 30)) wrk -t1 -c50 -d"${RUN_SECONDS}s" --latency "http://127.0.0.1:$HTTP_PORT/stations/PWTC" \
        >"$dir/wrk.txt" 2>&1 || die "wrk failed: $(tail -3 "$dir/wrk.txt")"
    GET[$who]+=" $(awk '/^Requests\/sec:/ { print $2 }' "$dir/wrk.txt")"
    GET_CPU[$who]+=" $(us_per_request "$ticks" "$(awk '/requests in/ { print $1 }' "$dir/wrk.txt")")"
    stop_pid "$SERVER_PID" jkjav-server 15
    stop_redis
}

measure_book() {
    local who=$1 round=$2 dir=$WORK/$1-$2-book
    start_redis "$dir"
    HTTP_PORT=0
    start_server "$dir" THREADS=2
    local ticks
    ticks=$(cpu_ticks)
    timeout $((RUN_SECONDS + 30)) wrk -t2 -c64 -d"${RUN_SECONDS}s" --latency -s bench/flash_crowd.lua \
        "http://127.0.0.1:$HTTP_PORT" >"$dir/wrk.txt" 2>&1 || die "wrk failed: $(tail -3 "$dir/wrk.txt")"
    BOOK[$who]+=" $(sed -n 's/^FLASH_RESULT rps=\([0-9.]*\).*/\1/p' "$dir/wrk.txt")"
    BOOK_CPU[$who]+=" $(us_per_request "$ticks" "$(sed -n 's/^FLASH_RESULT .* requests=\([0-9]*\).*/\1/p' "$dir/wrk.txt")")"
    stop_pid "$SERVER_PID" jkjav-server 15
    stop_redis
}

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

declare -A GET=() BOOK=() GET_CPU=() BOOK_CPU=()
echo "== metrics cost: $(date -u '+%Y-%m-%d %H:%M:%SZ'), nproc $(nproc), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   baseline  $BASELINE"
echo "   candidate $CANDIDATE"
echo "   wrk -t1 -c50 -d${RUN_SECONDS}s --latency /stations/PWTC (THREADS=1); wrk -t2 -c64 -d${RUN_SECONDS}s -s bench/flash_crowd.lua (THREADS=2)"
for ((round = 1; round <= ROUNDS; round++)); do
    # Who goes first alternates too: a machine that gets busier during a round penalises both.
    if ((round % 2)); then order=(baseline candidate); else order=(candidate baseline); fi
    for who in "${order[@]}"; do
        [[ $who == baseline ]] && measure baseline "$BASELINE" "$round" || measure candidate "$CANDIDATE" "$round"
    done
done
for kind in GET BOOK GET_CPU BOOK_CPU; do
    declare -n runs=$kind
    [[ -n ${runs[baseline]:-} ]] || continue
    base=$(echo "${runs[baseline]}" | median)
    cand=$(echo "${runs[candidate]}" | median)
    # Each round's own ratio, then their median: a machine that speeds up or slows down between
    # rounds (other work starting or ending) moves both runs of a round, so this is steadier than
    # the ratio of the medians.
    paired=$(paste <(echo "${runs[candidate]}" | tr ' ' '\n' | sed '/^$/d') <(echo "${runs[baseline]}" | tr ' ' '\n' | sed '/^$/d') |
        awk '{ printf " %.3f", $1 / $2 }')
    [[ $kind == *_CPU ]] && unit="us CPU/request" || unit="req/s"
    printf '%-8s baseline median %8.2f %s (%s)  candidate median %8.2f %s (%s)  candidate/baseline %.3f\n' \
        "$kind" "$base" "$unit" "${runs[baseline]# }" "$cand" "$unit" "${runs[candidate]# }" \
        "$(awk -v a="$cand" -v b="$base" 'BEGIN { print a / b }')"
    printf '%-8s candidate/baseline per round:%s; median %s\n' "$kind" "$paired" "$(echo "$paired" | median)"
done
