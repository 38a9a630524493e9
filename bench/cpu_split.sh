#!/usr/bin/env bash
# Where a booking's CPU goes among the three processes that share the machine: jkjav-server, Redis
# and the load generator, plus how much of the machine stays idle, under the flash crowd.
#
#   bench/cpu_split.sh                 # THREADS=2, wrk -t2 -c50 for 12 s, measured over 10 s of it
#   THREADS=1 bench/cpu_split.sh
#
# Each process's CPU time is utime + stime from /proc/PID/stat (fields 14 and 15, in clock ticks)
# read 1 s into the load and 10 s later; the machine's idle share from /proc/stat over the same
# 10 s. Per booking: CPU seconds / (wrk's rate x 10 s). A fresh redis-server and server on free
# loopback ports (bench/lib.sh); every process started here is stopped by its PID on exit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_NAME=cpu_split.sh
THREADS=${THREADS:-2}
# shellcheck source=bench/lib.sh
source bench/lib.sh
HTTP_PORT=0
WRK_PID=""
for tool in wrk redis-server python3; do command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed"; done

WORK=$(mktemp -d -t jkjav-cpu-split.XXXXXX)
bench_stop_extra() { stop_pid "$WRK_PID" wrk 5 INT; }
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$WORK/server"
start_redis "$WORK/redis"
start_server "$WORK/server" "THREADS=$THREADS"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
machine() { awk '/^cpu / { print $2 + $3 + $4 + $5 + $6 + $7 + $8, $5 + $6 }' /proc/stat; }

wrk -t2 -c50 -d12s -s bench/flash_crowd.lua "http://127.0.0.1:$HTTP_PORT" >"$WORK/wrk.txt" 2>&1 &
WRK_PID=$!
sleep 1
kill -0 "$WRK_PID" 2>/dev/null || die "wrk stopped early: $(tail -3 "$WORK/wrk.txt")"
s0=$(ticks "$SERVER_PID") r0=$(ticks "$REDIS_PID") w0=$(ticks "$WRK_PID")
read -r t0 i0 < <(machine)
sleep 10
s1=$(ticks "$SERVER_PID") r1=$(ticks "$REDIS_PID") w1=$(ticks "$WRK_PID")
read -r t1 i1 < <(machine)
wait "$WRK_PID" || die "wrk failed: $(tail -3 "$WORK/wrk.txt")"
WRK_PID=""
rate=$(grep -o 'FLASH_RESULT rps=[0-9.]*' "$WORK/wrk.txt" | cut -d= -f2)
[[ -n $rate ]] || die "no FLASH_RESULT in wrk's output: $(tail -3 "$WORK/wrk.txt")"

echo "THREADS=$THREADS: $rate bookings/s (wrk -t2 -c50 -s bench/flash_crowd.lua)"
python3 - "$(getconf CLK_TCK)" "$rate" "$s0" "$s1" "$r0" "$r1" "$w0" "$w1" "$t0" "$t1" "$i0" "$i1" <<'PY'
import sys
hz, rate = float(sys.argv[1]), float(sys.argv[2])
s0, s1, r0, r1, w0, w1, t0, t1, i0, i1 = map(float, sys.argv[3:])
bookings = rate * 10
for name, a, b in (("jkjav-server", s0, s1), ("redis-server", r0, r1), ("wrk", w0, w1)):
    print(f"  {name:13} {(b - a) / hz / 10 * 100:4.0f}% of a core, {(b - a) / hz / bookings * 1e6:5.1f} us a booking")
print(f"  machine idle  {(i1 - i0) / (t1 - t0) * 100:4.0f}% of its cores")
PY
