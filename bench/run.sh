#!/usr/bin/env bash
# jkjav load benchmark: the original Go server's two hey commands, verbatim, plus a flash crowd of
# distinct people booking (wrk + bench/flash_crowd.lua), against a private redis-server and the
# server on 127.0.0.1:3000. Prints a compact report and a markdown summary table. Takes ~35 s.
#
#   bench/run.sh                                  # build/bin/jkjav-server, THREADS=2
#   JKJAV_SERVER=path/to/jkjav-server THREADS=4 bench/run.sh
#   BENCH_KEEP=1 bench/run.sh                     # keep raw tool outputs and logs (path printed)
#
# Everything listens on and talks to loopback only; every load run is bounded by time (hey -z,
# wrk -d, plus an outer `timeout`); every process started here is stopped by its PID on exit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_NAME=run.sh
# shellcheck source=bench/lib.sh
source bench/lib.sh   # SERVER, THREADS, CAMPAIGN, HTTP_PORT=3000 and the helpers shared with relay.sh

bench_preflight hey wrk redis-server redis-cli curl python3

WORK=$(mktemp -d -t jkjav-bench.XXXXXX)
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------------------------ redis
start_redis "$WORK"

# ------------------------------------------------------------------------------------ server
start_server "$WORK"

CAPACITY_TOTAL=$(python3 - "$CAMPAIGN" <<'EOF'
import datetime, json, sys
total = 0
for loc in json.load(open(sys.argv[1]))["locations"]:
    a = datetime.datetime.strptime(loc["dates"]["from"], "%Y%m%d")
    b = datetime.datetime.strptime(loc["dates"]["to"], "%Y%m%d")
    total += ((b - a).days + 1) * loc["capacityPerDay"]
print(total)
EOF
)
REMAINING_START=$(settled_remaining)

echo "== jkjav bench: $(date -u '+%Y-%m-%d %H:%M:%SZ'), $(nproc) cores, server $SERVER THREADS=$THREADS"
echo "   redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$REDIS_PORT; campaign $CAMPAIGN capacity $CAPACITY_TOTAL, remaining at start $REMAINING_START"
[[ $REMAINING_START == "$CAPACITY_TOTAL" ]] || echo "   WARNING: remaining at start != capacity from the campaign file"

# ------------------------------------------------------------------------------------ hey
# parse_hey FILE -> "rps|p50ms|p99ms|statuses|errors"
parse_hey() {
    awk '
        /Requests\/sec:/                 { rps = $2 }
        $1 == "50%" && $2 == "in"        { p50 = sprintf("%.2f", $3 * 1000) }
        $1 == "99%" && $2 == "in"        { p99 = sprintf("%.2f", $3 * 1000) }
        /^Status code distribution:/     { section = "status"; next }
        /^Error distribution:/           { section = "error"; next }
        /^[^ \t]/                        { section = "" }
        section == "status" && /\[[0-9]+\]/ {
            code = $1; gsub(/[\[\]]/, "", code)
            statuses = statuses (statuses == "" ? "" : " ") code "×" $2
        }
        section == "error" && /\[[0-9]+\]/ {
            n = $1; gsub(/[\[\]]/, "", n); errors += n
        }
        END {
            if (rps == "") rps = "n/a"; if (p50 == "") p50 = "n/a"; if (p99 == "") p99 = "n/a"
            if (statuses == "") statuses = "none"
            printf "%s|%s|%s|%s|%d\n", rps, p50, p99, statuses, errors
        }' "$1"
}

report_hey() {  # report_hey FILE -> prints and sets HEY_ROW
    local file=$1 rps p50 p99 statuses errors
    IFS='|' read -r rps p50 p99 statuses errors < <(parse_hey "$file")
    printf '   req/s %s   p50 %s ms   p99 %s ms   statuses %s   errors %s\n' "$rps" "$p50" "$p99" "$statuses" "$errors"
    if ((errors > 0)); then
        sed -n '/^Error distribution:/,$p' "$file" | head -6 | sed 's/^/   /'
    fi
    HEY_ROW="$(round "$rps")|$p50|$p99|$statuses"
    if ((errors > 0)); then HEY_ROW+=", errors $errors"; fi
    return 0
}

echo
echo "== 1. GET /stations/PWTC: the original's read command, verbatim (original: 1,236 req/s, p95 43 ms, 8 cores)"
echo '   $ hey -c 50 -z 10s http://localhost:3000/stations/PWTC'
timeout 40 hey -c 50 -z 10s http://localhost:3000/stations/PWTC >"$WORK/hey_get.txt" 2>&1 \
    || die "hey (GET) failed: $(tail -3 "$WORK/hey_get.txt")"
report_hey "$WORK/hey_get.txt"; ROW_GET=$HEY_ROW
server_alive "after the GET run"

echo
echo "== 2. POST /booking, one person 100 times over: the original's write command, verbatim (original: 8,609 req/s, mostly 400s)"
echo "   \$ hey -T \"application/json\" -c 100 -z 5s -m POST -d '{...\"mysejahteraId\":\"900127015527\"...}' http://localhost:3000/booking"
timeout 35 hey -T "application/json" -c 100 -z 5s -m POST -d '{"address":"Kuala Lumpur","date":"20210516","firstName":"Fadhil","lastName":"Yaacob","location":"PWTC","mysejahteraId":"900127015527","phoneNumber":"0123456789"}' http://localhost:3000/booking \
    >"$WORK/hey_post.txt" 2>&1 || die "hey (POST) failed: $(tail -3 "$WORK/hey_post.txt")"
report_hey "$WORK/hey_post.txt"; ROW_POST=$HEY_ROW
server_alive "after the POST run"
REMAINING_BEFORE_WRK=$(settled_remaining)
echo "   remaining after: $REMAINING_BEFORE_WRK (booked by this run: $((REMAINING_START - REMAINING_BEFORE_WRK)); expected 1, the rest are repeats of the same booking)"

# ------------------------------------------------------------------------------------ wrk
echo
echo "== 3. Flash crowd: POST /booking, a distinct person per request, dates across the campaign (wrk)"
echo '   $ wrk -t2 -c64 -d10s --latency -s bench/flash_crowd.lua http://127.0.0.1:3000'
run_flash_crowd "$WORK/wrk.txt"
server_alive "after the flash crowd"

REMAINING_AFTER=$(settled_remaining)
BOOKED_BY_WRK=$((REMAINING_BEFORE_WRK - REMAINING_AFTER))
SOLD=$((CAPACITY_TOTAL - REMAINING_AFTER))
SEQ=$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" GET jkjav:seq)
SEQ=${SEQ:-0}

echo "   remaining (GET /locations): before $REMAINING_BEFORE_WRK, after $REMAINING_AFTER -> booked during the run $BOOKED_BY_WRK"
echo "   capacity_total - remaining = $CAPACITY_TOTAL - $REMAINING_AFTER = $SOLD"
HEY_BOOKED=$((REMAINING_START - REMAINING_BEFORE_WRK))
EXPECTED=$((HEY_BOOKED + W[s200]))
if ((SOLD == EXPECTED)); then
    echo "   CHECK capacity_total - remaining ($SOLD) == hey bookings ($HEY_BOOKED) + wrk 200s (${W[s200]}): OK"
    CHECK="OK"
else
    extra=$((SOLD - EXPECTED))
    if ((extra > 0 && extra <= W[inflight])); then
        echo "   CHECK capacity_total - remaining ($SOLD) == hey bookings ($HEY_BOOKED) + wrk 200s (${W[s200]}): OK up to wrk's cut-off"
        echo "         ($extra bookings were made for requests wrk sent but abandoned unanswered when -d10s expired; ${W[inflight]} were unanswered)"
        CHECK="OK (+$extra answered after wrk's cut-off)"
    else
        echo "   CHECK capacity_total - remaining ($SOLD) == hey bookings ($HEY_BOOKED) + wrk 200s (${W[s200]}): MISMATCH (off by $extra; unanswered at cut-off ${W[inflight]})"
        CHECK="MISMATCH"
    fi
fi
if ((SEQ == SOLD)); then
    echo "   CHECK bookings stored in Redis (jkjav:seq = $SEQ) == capacity_total - remaining ($SOLD): OK"
else
    echo "   CHECK bookings stored in Redis (jkjav:seq = $SEQ) == capacity_total - remaining ($SOLD): MISMATCH"
    CHECK="$CHECK; seq MISMATCH"
fi
if ((W[s4xx] + W[s5xx] + W[sother] + W[s409already] + W[s409other] > 0)); then
    echo "   NOTE: unexpected statuses in the flash crowd (see above)"
fi

# ------------------------------------------------------------------------------------ server log
LOG_LINES=$(wc -l <"$WORK/server.log")
echo
if ((LOG_LINES > 0)); then
    echo "== server log (LOG_LEVEL=warn): $LOG_LINES lines; last 5:"
    tail -5 "$WORK/server.log" | sed 's/^/   /'
else
    echo "== server log (LOG_LEVEL=warn): empty"
fi

# ------------------------------------------------------------------------------------ summary
wrk_statuses="200×${W[s200]} 409 FULL×${W[s409full]}"
for k in s409already:"409 ALREADY_BOOKED" s409other:"409 other" s4xx:"other 4xx" s5xx:5xx sother:other; do
    key=${k%%:*}; name=${k#*:}
    if ((W[$key] > 0)); then wrk_statuses+=" $name×${W[$key]}"; fi
done
errs=$((W[err_connect] + W[err_read] + W[err_write] + W[err_timeout]))
if ((errs > 0)); then wrk_statuses+=", socket errors $errs"; fi

row() {  # row TEST CONNECTIONS "rps|p50|p99|statuses"
    local rps p50 p99 statuses
    IFS='|' read -r rps p50 p99 statuses <<<"$3"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$rps" "$p50" "$p99" "$statuses"
}

echo
echo "== summary ($(nproc) cores, THREADS=$THREADS, load generator on the same machine)"
echo
echo "| test | connections | req/s | p50 (ms) | p99 (ms) | statuses |"
echo "|---|---:|---:|---:|---:|---|"
row "hey GET /stations/PWTC (10 s)" 50 "$ROW_GET"
row "hey POST /booking, same person (5 s)" 100 "$ROW_POST"
row "wrk POST /booking, distinct people (10 s)" 64 "$(round "${W[rps]}")|${W[p50_ms]}|${W[p99_ms]}|$wrk_statuses"
echo
echo "Ledger: capacity $CAPACITY_TOTAL, remaining $REMAINING_AFTER, booked by the flash crowd $BOOKED_BY_WRK: $CHECK"
