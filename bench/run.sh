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

SERVER=${JKJAV_SERVER:-build/bin/jkjav-server}
THREADS=${THREADS:-2}
CAMPAIGN=bench/campaign.json
HTTP_PORT=3000   # fixed: the original's hey commands name localhost:3000

die() { echo "run.sh: $*" >&2; exit 1; }

for tool in hey wrk redis-server redis-cli curl python3; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed"
done
[[ -x $SERVER ]] || die "server binary '$SERVER' not found or not executable (build it, or set JKJAV_SERVER)"
[[ -f $CAMPAIGN ]] || die "$CAMPAIGN is missing"
[[ -f bench/flash_crowd.lua ]] || die "bench/flash_crowd.lua is missing"

# JSON: jq when present, python3 otherwise.
if command -v jq >/dev/null 2>&1; then
    remaining_of() { jq '[.locations[].availability] | add'; }
else
    remaining_of() { python3 -c 'import json,sys; print(sum(l["availability"] for l in json.load(sys.stdin)["locations"]))'; }
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if port_in_use "$HTTP_PORT"; then
    die "port $HTTP_PORT on 127.0.0.1 is already taken; the original's hey commands need localhost:$HTTP_PORT (stop whatever listens there)"
fi

WORK=$(mktemp -d -t jkjav-bench.XXXXXX)
REDIS_PID=""
SERVER_PID=""

stop_pid() {  # stop_pid PID NAME SECONDS: SIGTERM, wait, then SIGKILL
    local pid=$1 name=$2 grace=$3 i
    [[ -n $pid ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    echo "run.sh: $name (pid $pid) did not stop in ${grace}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    set +e
    stop_pid "$SERVER_PID" jkjav-server 15
    stop_pid "$REDIS_PID" redis-server 5
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then
        echo "raw outputs and logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------------------------ redis
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

mkdir -p "$WORK/redis"
REDIS_PORT=""
for attempt in 1 2 3; do
    port=$(free_port)
    redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
        --dir "$WORK/redis" --logfile "$WORK/redis.log" --daemonize no >/dev/null 2>&1 &
    REDIS_PID=$!
    deadline=$((SECONDS + 5))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$REDIS_PID" 2>/dev/null; then break; fi
        if [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]]; then REDIS_PORT=$port; break; fi
        sleep 0.1
    done
    [[ -n $REDIS_PORT ]] && break
    stop_pid "$REDIS_PID" redis-server 2
    REDIS_PID=""
done
[[ -n $REDIS_PORT ]] || die "redis-server did not start (see the log: BENCH_KEEP=1)"

# ------------------------------------------------------------------------------------ server
PORT=$HTTP_PORT BIND_ADDRESS=127.0.0.1 REDIS_URL="redis://127.0.0.1:$REDIS_PORT" CAMPAIGN_FILE=$CAMPAIGN \
    THREADS=$THREADS LOG_LEVEL=warn "$SERVER" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

deadline=$((SECONDS + 20))
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$HTTP_PORT/readyz" 2>/dev/null) == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "the server exited before it was ready"; }
    ((SECONDS < deadline)) || { cat "$WORK/server.log" >&2; die "GET /readyz was not 200 within 20 s"; }
    sleep 0.1
done

server_alive() { kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; die "the server died ($1)"; }; }

# Total availability from GET /locations, once the snapshot (refreshed every SNAPSHOT_MS, 250 ms by
# default) has settled: two equal readings 0.6 s apart.
settled_remaining() {
    local previous="" current deadline=$((SECONDS + 15))
    while ((SECONDS < deadline)); do
        current=$(curl -sf --max-time 2 "http://127.0.0.1:$HTTP_PORT/locations" | remaining_of) || current=""
        if [[ -n $current && $current == "$previous" ]]; then echo "$current"; return 0; fi
        previous=$current
        sleep 0.6
    done
    die "GET /locations did not settle within 15 s"
}

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

round() { [[ $1 == n/a ]] && echo n/a || printf '%.0f' "$1"; }

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
timeout 40 wrk -t2 -c64 -d10s --latency -s bench/flash_crowd.lua http://127.0.0.1:3000 >"$WORK/wrk.txt" 2>&1 \
    || die "wrk failed: $(tail -5 "$WORK/wrk.txt")"
sed -n '/^---- flash crowd/,/^socket errors/p' "$WORK/wrk.txt" | sed '1d; s/^/   /'
RESULT=$(grep '^FLASH_RESULT ' "$WORK/wrk.txt") || die "no FLASH_RESULT line in the wrk output"
declare -A W
for kv in ${RESULT#FLASH_RESULT }; do W[${kv%%=*}]=${kv#*=}; done
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
