#!/usr/bin/env bash
# Where a booking's CPU time goes: perf (Debian's linux-perf) samples jkjav-server with call graphs
# while the flash crowd (distinct people, bench/flash_crowd.lua) books for a few seconds, and the
# report's top lines (by self time, then by children) are written to OUT.
#
#   bench/profile.sh OUT [SECONDS]        # e.g. bench/profile.sh bench/profiles/after.txt 5
#   THREADS=1 BOOKING_BATCH_MAX=1 bench/profile.sh /tmp/unbatched.txt
#
# A fresh redis-server and the server (THREADS, default 1, so one thread's work is seen) on free
# loopback ports; wrk -t1 -c50 -dSECONDS; perf record -g -p <server> for the same time. Every
# process started here is stopped by its PID on exit. perf needs perf_event_paranoid <= 1 or root.
# PERF_CALL_GRAPH="--call-graph dwarf" gives whole stacks through code built without frame pointers
# (BENCH_KEEP=1 keeps perf.data for perf report).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_NAME=profile.sh
THREADS=${THREADS:-1}
# shellcheck source=bench/lib.sh
source bench/lib.sh

OUT=${1:?usage: bench/profile.sh OUT [SECONDS]}
RUN_SECONDS=${2:-5}
HTTP_PORT=0
WRK_PID="" PERF_PID=""
for tool in wrk perf redis-server curl; do command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed"; done

WORK=$(mktemp -d -t jkjav-profile.XXXXXX)
bench_stop_extra() {
    stop_pid "$WRK_PID" wrk 5 INT
    stop_pid "$PERF_PID" perf 10 INT
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$WORK/server"
start_redis "$WORK/redis"
start_server "$WORK/server" "BOOKING_BATCH_MAX=${BOOKING_BATCH_MAX:-64}"
perf record ${PERF_CALL_GRAPH:--g} -o "$WORK/perf.data" -p "$SERVER_PID" -- sleep "$((RUN_SECONDS + 1))" >"$WORK/perf.log" 2>&1 &
PERF_PID=$!
wrk -t1 -c50 -d"${RUN_SECONDS}s" --latency -s bench/flash_crowd.lua "http://127.0.0.1:$HTTP_PORT" >"$WORK/wrk.txt" 2>&1 &
WRK_PID=$!
wait "$WRK_PID" || die "wrk failed: $(tail -3 "$WORK/wrk.txt")"
WRK_PID=""
wait "$PERF_PID" || die "perf record failed: $(tail -3 "$WORK/perf.log")"
PERF_PID=""

mkdir -p "$(dirname "$OUT")"
{
    echo "# bench/profile.sh: $(date -u '+%Y-%m-%d %H:%M:%SZ'), THREADS=$THREADS, BOOKING_BATCH_MAX=${BOOKING_BATCH_MAX:-64}, nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "# wrk -t1 -c50 -d${RUN_SECONDS}s -s bench/flash_crowd.lua: $(grep -m1 '^FLASH_RESULT' "$WORK/wrk.txt" | cut -d' ' -f2-4)"
    echo "# perf record -g -p <jkjav-server>; perf report --no-children (self time), top 30:"
    perf report -i "$WORK/perf.data" --stdio --no-children --percent-limit 0.3 -g none 2>/dev/null |
        grep -v '^#' | grep -v '^$' | head -30
    echo
    echo "# perf report --children (time in a function and what it calls), top 30:"
    perf report -i "$WORK/perf.data" --stdio --children --percent-limit 2 -g none 2>/dev/null |
        grep -v '^#' | grep -v '^$' | head -30
} >"$OUT"
echo "profile.sh: wrote $OUT"
