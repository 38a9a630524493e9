#!/usr/bin/env bash
# jkjav-admin export benchmark: loads N bookings (default 1,000,000) straight into a throwaway
# redis-server, in the very shape book.lua stores them (jkjav:booking:<id>: slot, reference, then the
# booking's fields), then times `jkjav-admin export --format csv|jsonl --output /dev/null` under
# /usr/bin/time -v. Prints a markdown table: format, bookings, seconds, bookings/s, peak RSS. Goal:
# 1,000,000 in under 30 s each, with memory flat (the RSS does not grow with N).
#
#   bench/export.sh                    # 1,000,000 bookings, build/bin/jkjav-admin
#   BOOKINGS=200000 bench/export.sh    # fewer, to compare peak RSS at another size
#   BENCH_KEEP=1 bench/export.sh       # keep the logs (path printed)
#
# Loopback only; redis-server is stopped by its PID on exit; every export is bounded (timeout 300).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_NAME=export.sh
# shellcheck source=bench/lib.sh
source bench/lib.sh   # start_redis, seed_campaign, stop_all, die, ...

BOOKINGS=${BOOKINGS:-1000000}
CAMPAIGN=bench/campaign-1m.json   # PWTC, 30 dates x 33,334 seats: room for a million bookings
((BOOKINGS <= 1000000)) || die "BOOKINGS is at most 1,000,000 (the campaign's seats)"
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || die "redis-server and redis-cli are needed"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (Debian package 'time')"
[[ -x $ADMIN ]] || die "jkjav-admin binary '$ADMIN' not found (build it, or set JKJAV_ADMIN)"

WORK=$(mktemp -d)
trap bench_cleanup EXIT

start_redis "$WORK"
seed_campaign "$WORK" "$CAMPAIGN"

# Bookings i = from..to-1 as book.lua writes them (HSET booking 'slot', slot, 'reference', ref,
# then the record's fields in their described order), the counters taken down to match.
LOAD_LUA=$(cat <<'LUA'
local from, to, epoch = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local dates = {}
for day = 16, 31 do dates[#dates + 1] = string.format('202105%02d', day) end
for day = 1, 14 do dates[#dates + 1] = string.format('202106%02d', day) end
local taken = {}
for i = from, to - 1 do
  local id = string.format('500101%06d', i)
  local date = dates[i % #dates + 1]
  local slot = 'PWTC:' .. date
  local reference = 'JK' .. epoch .. string.format('%07d', i + 1)
  redis.call('HSET', 'jkjav:booking:' .. id, 'slot', slot, 'reference', reference,
             'mysejahteraId', id, 'firstName', 'Siti', 'lastName', 'Aminah binti "Ali"',
             'address', 'No. ' .. i .. ', Jalan Ampang, 50450 Kuala Lumpur', 'location', 'PWTC',
             'phoneNumber', string.format('+6012%07d', i), 'date', date, 'createdAt', '2021-05-26T01:02:03Z')
  taken[slot] = (taken[slot] or 0) + 1
end
for slot, count in pairs(taken) do redis.call('HINCRBY', 'jkjav:slots', slot, -count) end
redis.call('INCRBY', 'jkjav:seq', to - from)
return to - from
LUA
)
epoch=$(redis-cli -p "$REDIS_PORT" hget jkjav:campaign epoch)
load_start=$SECONDS
chunk=100000
for ((from = 0; from < BOOKINGS; from += chunk)); do
    to=$((from + chunk < BOOKINGS ? from + chunk : BOOKINGS))
    redis-cli -p "$REDIS_PORT" eval "$LOAD_LUA" 0 "$from" "$to" "$epoch" >/dev/null
done
keys=$(redis-cli -p "$REDIS_PORT" dbsize)
echo "loaded $BOOKINGS bookings in $((SECONDS - load_start)) s ($keys keys; used_memory $(redis-cli -p "$REDIS_PORT" info memory | sed -n 's/^used_memory_human:\(.*\)\r$/\1/p'))" >&2

echo
echo "| format | bookings | seconds | bookings/s | peak RSS |"
echo "| --- | --- | --- | --- | --- |"
for format in csv jsonl; do
    timeout 300 /usr/bin/time -v "$ADMIN" export --format "$format" --output /dev/null --redis-url "$REDIS_URL" \
        2>"$WORK/export-$format.log" || { cat "$WORK/export-$format.log" >&2; die "export --format $format failed"; }
    exported=$(sed -n 's/^exported \([0-9]*\) bookings.*/\1/p' "$WORK/export-$format.log")
    [[ $exported == "$BOOKINGS" ]] || die "export --format $format wrote $exported bookings, not $BOOKINGS"
    python3 - "$WORK/export-$format.log" "$format" "$exported" <<'PY'
import re, sys
log = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)", log).group(1).split(":")
seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall)))
rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", log).group(1))
count = int(sys.argv[3])
print(f"| {sys.argv[2]} | {count:,} | {seconds:.1f} | {count / seconds:,.0f} | {rss_kb / 1024:.1f} MiB |")
PY
done
