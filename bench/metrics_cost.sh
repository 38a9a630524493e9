#!/usr/bin/env bash
# What the metrics cost the hot path: two jkjav-server binaries (e.g. main's, without /metrics,
# and this build's) measured back to back, alternating, ROUNDS times, with bench/compare.sh's own
# loads made shorter: GET /stations/PWTC at THREADS=1 (wrk -t1 -c50) and bookings by distinct
# people at THREADS=2 (wrk -t2 -c64 -s bench/flash_crowd.lua). Alternating spreads the drift of a
# shared machine over both; the medians and their ratio are printed at the end.
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
    dir=$WORK/$who-$round-get
    start_redis "$dir"
    HTTP_PORT=0
    start_server "$dir" THREADS=1
    timeout $((RUN_SECONDS + 30)) wrk -t1 -c50 -d"${RUN_SECONDS}s" --latency "http://127.0.0.1:$HTTP_PORT/stations/PWTC" \
        >"$dir/wrk.txt" 2>&1 || die "wrk failed: $(tail -3 "$dir/wrk.txt")"
    GET[$who]+=" $(awk '/^Requests\/sec:/ { print $2 }' "$dir/wrk.txt")"
    stop_pid "$SERVER_PID" jkjav-server 15
    stop_redis

    dir=$WORK/$who-$round-book
    start_redis "$dir"
    HTTP_PORT=0
    start_server "$dir" THREADS=2
    timeout $((RUN_SECONDS + 30)) wrk -t2 -c64 -d"${RUN_SECONDS}s" --latency -s bench/flash_crowd.lua \
        "http://127.0.0.1:$HTTP_PORT" >"$dir/wrk.txt" 2>&1 || die "wrk failed: $(tail -3 "$dir/wrk.txt")"
    BOOK[$who]+=" $(sed -n 's/^FLASH_RESULT rps=\([0-9.]*\).*/\1/p' "$dir/wrk.txt")"
    stop_pid "$SERVER_PID" jkjav-server 15
    stop_redis
    echo "   round $round $who: GET req/s $(echo "${GET[$who]}" | awk '{ print $NF }'), bookings req/s $(echo "${BOOK[$who]}" | awk '{ print $NF }')"
}

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

declare -A GET=() BOOK=()
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
for kind in GET BOOK; do
    declare -n runs=$kind
    base=$(echo "${runs[baseline]}" | median)
    cand=$(echo "${runs[candidate]}" | median)
    printf '%-8s baseline median %8.0f req/s (%s)  candidate median %8.0f req/s (%s)  candidate/baseline %.3f\n' \
        "$kind" "$base" "${runs[baseline]# }" "$cand" "${runs[candidate]# }" "$(awk -v a="$cand" -v b="$base" 'BEGIN { print a / b }')"
done
