#!/usr/bin/env bash
# jkjav against yardsticks, in one run on one machine with the same load generators:
#
#   1. GET /stations/PWTC: jkjav-server THREADS=1 vs nginx (1 worker) serving the identical bytes
#      from a file; the same `wrk -t1 -c50 -d10s --latency` against both. Then the booking page's
#      GET / and its hashed app.js, gzip accepted (from memory), against nginx serving the same
#      gzip bytes from files: `wrk -t1 -c50 -d5s` each.
#   2. Bookings by distinct people: jkjav-server with THREADS=1 and THREADS=2 (COMPARE_THREADS)
#      under the flash crowd (wrk -t2 -c50 -d10s -s bench/flash_crowd.lua) vs redis-benchmark
#      calling the server's own single-booking script (book.lua + book_single.lua, EVALSHA, one
#      booking a call) with 50 connections; plus the ledger (remaining + booked == capacity: no
#      oversell). Targets (issue 12): ratio >= 1.0, p99 <= 10 ms.
#   3. 10,000 idle keep-alive connections (bench/idle_connections.py): the server's VmRSS before
#      and while they are held. Target: under 100 MB.
#   4. A 1,000,020-slot campaign (bench/campaign-1m.json) sold out from a cold start by the flash
#      crowd, with each of COMPARE_THREADS: time from the start of the load until GET /locations
#      reports 0 left; exactness checks in Redis. Target (issue 12): under 15 s.
#   5. A markdown summary table, the date, nproc and the exact commands; the per-second figures of
#      phases 2 and 4 (bench/sample_metrics.py scraping the server's /metrics during the run) and
#      the ratios as TSV in COMPARE_PLOTS (default bench/plots), drawn as SVG by bench/plot.sh.
#
#   bench/compare.sh                      # all phases, about 5 minutes on a quiet machine
#   COMPARE_PHASES="1 3" bench/compare.sh # only some phases (the table shows only those)
#   JKJAV_SERVER=path/to/jkjav-server bench/compare.sh
#   BENCH_KEEP=1 bench/compare.sh         # keep raw outputs and logs (path printed)
#   COMPARE_QUIET_WAIT=0 bench/compare.sh # do not wait for other benchmarks to finish
#   COMPARE_THREADS="2" bench/compare.sh  # phases 2 and 4 with these THREADS settings only (default "1 2")
#   COMPARE_PLOTS=/tmp/p bench/compare.sh # where the TSVs and SVGs go (default bench/plots)
#
# Before every measurement the script waits (polling every 10 s, up to 20 min) until no wrk, hey or
# redis-benchmark that it did not start is running, then (up to COMPARE_CPU_WAIT s, default 180)
# until a 2 s sample shows the CPUs less than 15% busy, so that other work on the same machine does
# not contaminate the figures; if a wait times out, the summary says so.
#
# Uses bench/lib.sh's helpers, but never port 3000 (which run.sh and relay.sh need): every server,
# redis-server and nginx here listens on a free loopback port; every load run is bounded in time
# (wrk -d, redis-benchmark -n, plus an outer `timeout` or a watchdog); every process started here
# is stopped by its PID on exit, whichever way the script ends.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_NAME=compare.sh
# shellcheck source=bench/lib.sh
source bench/lib.sh   # SERVER, CAMPAIGN, die, stop_pid, free_port, start_redis, start_server, ... (scripts/lib/jkjav-procs.sh)

PHASES=${COMPARE_PHASES:-"1 2 3 4"}
QUIET_WAIT=${COMPARE_QUIET_WAIT:-1}
CPU_WAIT=${COMPARE_CPU_WAIT:-180}
CAMPAIGN_1M=bench/campaign-1m.json
# The single-booking script as the server runs it: book.lua's steps (bookOne), then their one call.
BOOK_LUA=src/adapters/redis/lua/book.lua
BOOK_SINGLE_LUA=src/adapters/redis/lua/book_single.lua
THREAD_SET=${COMPARE_THREADS:-"1 2"}
PLOTS=${COMPARE_PLOTS:-bench/plots}
SAMPLER_PID=""
IDLE_COUNT=10000
STARTED_AT=$SECONDS

HTTP_PORT=0   # lib.sh's 3000 is never used here: each start_jkjav's server binds a free port
NGINX_PID="" NGINX_PORT=""
WRK_PID=""
CONTAMINATED=""
declare -a COMMANDS=()

note() { echo "   $*"; }
has_phase() { [[ " $PHASES " == *" $1 "* ]]; }

for tool in wrk redis-server redis-cli curl python3 jq; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed"
done
has_phase 1 && { command -v nginx >/dev/null 2>&1 || die "'nginx' is not installed (nginx-light)"; }
has_phase 2 && { command -v redis-benchmark >/dev/null 2>&1 || die "'redis-benchmark' is not installed"; }
[[ -x $SERVER ]] || die "server binary '$SERVER' not found or not executable (build it, or set JKJAV_SERVER)"
for f in "$CAMPAIGN" "$CAMPAIGN_1M" "$BOOK_LUA" "$BOOK_SINGLE_LUA" bench/flash_crowd.lua bench/idle_connections.py \
    bench/sample_metrics.py bench/plot.sh; do
    [[ -f $f ]] || die "$f is missing"
done

# 10,000 connections need 10,000 descriptors in the server and as many in the client.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
NOFILE=$(ulimit -n)

WORK=$(mktemp -d -t jkjav-compare.XXXXXX)
chmod 755 "$WORK"   # nginx's worker (user nobody when started as root) reads the html directory

# ------------------------------------------------------------------------------------ processes
# stop_server: stops it, then reports its log (LOG_LEVEL=warn) apart from the expected start-up
# warnings that no Kafka relay and no identity provider are configured.
EXPECTED_WARNINGS='KAFKA_BROKERS is not set|no IDENTITY_JWKS_FILE or IDENTITY_PUBLIC_KEY_FILE'
stop_server() {
    local pid=$SERVER_PID unexpected
    stop_pid "$SERVER_PID" jkjav-server 15
    SERVER_PID=""
    [[ -n $pid && -f $SERVER_LOG ]] || return 0
    unexpected=$(grep -Evc "$EXPECTED_WARNINGS" "$SERVER_LOG" || true)
    if ((unexpected > 0)); then
        note "server log: $unexpected unexpected line(s), first ones:"
        grep -Ev "$EXPECTED_WARNINGS" "$SERVER_LOG" | head -3 | cut -c1-200 | sed 's/^/      /'
    else
        note "server log: nothing but the expected start-up warnings (no Kafka relay, no identity provider)"
    fi
}
stop_nginx() { stop_pid "$NGINX_PID" nginx 5 QUIT; NGINX_PID=""; }

# start_sampler NAME: the server's /metrics once a second into $PLOTS/NAME.tsv (bounded: 150 s).
start_sampler() {
    mkdir -p "$PLOTS"
    python3 bench/sample_metrics.py --port "$HTTP_PORT" --out "$PLOTS/$1.tsv" --seconds 150 \
        2>>"$WORK/sampler.log" &
    SAMPLER_PID=$!
}
stop_sampler() { stop_pid "$SAMPLER_PID" sample_metrics 5 TERM; SAMPLER_PID=""; }

# Run by lib.sh's bench_cleanup (the EXIT trap) before it stops redis and removes WORK.
bench_stop_extra() {
    stop_sampler
    stop_pid "$WRK_PID" wrk 5 INT
    stop_nginx
    stop_server
}
trap bench_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_jkjav NAME THREADS CAMPAIGN_FILE: a fresh redis-server (start_redis) and the server on a
# free loopback port against it (start_server: port 0, read back into HTTP_PORT); logs in $WORK/NAME.
start_jkjav() {
    local name=$1 threads=$2 campaign=$3
    start_redis "$WORK/$name"
    HTTP_PORT=0
    start_server "$WORK/$name" "THREADS=$threads" "CAMPAIGN_FILE=$campaign"
}

rcli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

capacity_in_redis() { rcli HVALS jkjav:capacity | awk '{ s += $1 } END { print s + 0 }'; }

# wait_quiet PHASE: no wrk / hey / redis-benchmark of someone else (we have none running here).
wait_quiet() {
    local phase=$1 deadline=$((SECONDS + 1200)) busy first=1
    [[ $QUIET_WAIT == 1 ]] || return 0
    while :; do
        busy=$( { pgrep -x wrk; pgrep -x hey; pgrep -f redis-benchmark; } 2>/dev/null | sort -u | tr '\n' ' ' || true)
        busy=${busy% }
        [[ -z $busy ]] && break
        if ((SECONDS >= deadline)); then
            note "WARNING: other load generators still running after 20 min (pids $busy); measuring anyway, figures may be contaminated"
            CONTAMINATED="$CONTAMINATED $phase"
            break
        fi
        if ((first)); then
            # shellcheck disable=SC2086
            note "waiting for other benchmarks to finish: $(ps -o pid=,args= -p ${busy// /,} 2>/dev/null | cut -c1-100 | tr '\n' ';')"
            first=0
        fi
        sleep 10
    done
    # Other work (builds, test suites) also takes CPU: wait (up to CPU_WAIT s) for a 2 s sample in
    # which the machine is less than 15% busy; our own idle server and redis are part of it.
    deadline=$((SECONDS + CPU_WAIT))
    while :; do
        busy=$(cpu_busy_pct)
        ((busy < 15)) && break
        if ((SECONDS >= deadline)); then
            note "WARNING: the CPU was still ${busy}% busy after ${CPU_WAIT} s of waiting; measuring anyway"
            CONTAMINATED="$CONTAMINATED $phase"
            break
        fi
        sleep 3
    done
    note "before measuring: CPU ${busy}% busy over 2 s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

cpu_busy_pct() {  # percentage of all CPUs' time not idle over a 2 s sample
    local a b
    read -r -a a < <(head -1 /proc/stat)
    sleep 2
    read -r -a b < <(head -1 /proc/stat)
    awk -v a="${a[*]}" -v b="${b[*]}" 'BEGIN {
        n = split(a, x, " "); split(b, y, " ")
        for (i = 2; i <= n && i <= 9; i++) { t += y[i] - x[i]; if (i == 5 || i == 6) idle += y[i] - x[i] }
        printf "%.0f", (t > 0 ? 100 * (t - idle) / t : 0) }'
}

# ------------------------------------------------------------------------------------ parsing
to_ms() {  # wrk's "512.00us" / "2.34ms" / "1.02s" / "1.5m" -> milliseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n = n * 60000; else if (v ~ /s$/) n = n * 1000
        printf "%.2f", n }'
}

# parse_wrk FILE: sets WRK_RPS WRK_P50 WRK_P99 WRK_NON2XX WRK_SOCKERR from plain wrk --latency output.
parse_wrk() {
    local file=$1
    WRK_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$file")
    WRK_P50=$(to_ms "$(awk '$1 == "50%" { print $2; exit }' "$file")")
    WRK_P99=$(to_ms "$(awk '$1 == "99%" { print $2; exit }' "$file")")
    WRK_NON2XX=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$file")
    WRK_NON2XX=${WRK_NON2XX:-0}
    WRK_SOCKERR=$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$file")
    WRK_SOCKERR=${WRK_SOCKERR:-0}
    [[ -n $WRK_RPS ]] || die "could not parse wrk output $file: $(tail -3 "$file")"
}

# parse_flash FILE PREFIX: fills the associative array named PREFIX from the FLASH_RESULT line.
parse_flash() {
    local file=$1 result kv
    result=$(grep '^FLASH_RESULT ' "$file") || die "no FLASH_RESULT line in $file: $(tail -5 "$file")"
    local -n arr=$2
    # shellcheck disable=SC2034  # arr is a reference to the caller's array
    for kv in ${result#FLASH_RESULT }; do arr[${kv%%=*}]=${kv#*=}; done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
fmt0() { [[ -z $1 || $1 == n/a ]] && echo n/a || printf '%.0f' "$1"; }

# ------------------------------------------------------------------------------------ header
echo "== jkjav compare: $(date -u '+%Y-%m-%d %H:%M:%SZ'), nproc $(nproc), server $SERVER"
echo "   $(wrk --version 2>&1 | head -1 | cut -c1-60); redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'); $(nginx -v 2>&1 || true); $(python3 --version)"
echo "   open-file limit $NOFILE; phases: $PHASES"
echo "   the load generators run on the same machine as what they measure and compete with it for CPU"

declare -A R=()   # results for the table
declare -A F=() S=() I=()   # FLASH_RESULT of phases 2 and 4, IDLE_RESULT of phase 3

# ====================================================================== 1. GET vs nginx
if has_phase 1; then
    echo
    echo "== 1. GET /stations/PWTC: jkjav THREADS=1 vs nginx, 1 worker, identical bytes"
    start_jkjav get 1 "$CAMPAIGN"
    JK_URL="http://127.0.0.1:$HTTP_PORT/stations/PWTC"

    NG=$WORK/nginx
    mkdir -p "$NG/html" "$NG/tmp" "$NG/logs"
    curl -sf --max-time 5 -o "$NG/html/PWTC" "$JK_URL" || die "GET /stations/PWTC failed"
    # The page and its script as a browser gets them (gzip); nginx serves the same bytes as files.
    JK_BASE="http://127.0.0.1:$HTTP_PORT"
    PAGE_ASSET=$(curl -sf --max-time 5 "$JK_BASE/" | grep -o '/assets/app\.[0-9a-f]*\.js' | head -1) ||
        die "GET / has no /assets/app.HASH.js: is the page built (make build, WEB_ROOT)?"
    mkdir -p "$NG/html/site"
    curl -sf --max-time 5 -H 'Accept-Encoding: gzip' -o "$NG/html/site/page" "$JK_BASE/" || die "GET / failed"
    curl -sf --max-time 5 -H 'Accept-Encoding: gzip' -o "$NG/html/site/asset" "$JK_BASE$PAGE_ASSET" || die "GET $PAGE_ASSET failed"
    NGINX_PORT=$(free_port)
    cat >"$NG/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $NG/nginx.pid;
error_log $NG/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile off;   # nginx's default; on or off made no difference beyond the noise for this 1.8 KB body
    keepalive_requests 1000000;
    open_file_cache max=16 inactive=60s;
    client_body_temp_path $NG/tmp/body;
    proxy_temp_path $NG/tmp/proxy;
    fastcgi_temp_path $NG/tmp/fastcgi;
    uwsgi_temp_path $NG/tmp/uwsgi;
    scgi_temp_path $NG/tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location /stations/ { alias $NG/html/; default_type application/json; }
        location /site/ { alias $NG/html/site/; default_type text/html; add_header Content-Encoding gzip; }
    }
}
EOF
    chmod -R a+rX "$NG"
    nginx -c "$NG/nginx.conf" -p "$NG/" -e "$NG/logs/error.log" >"$NG/logs/stdout.log" 2>&1 &
    NGINX_PID=$!
    NG_URL="http://127.0.0.1:$NGINX_PORT/stations/PWTC"
    deadline=$((SECONDS + 10))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$NG_URL" 2>/dev/null) == 200 ]]; do
        kill -0 "$NGINX_PID" 2>/dev/null || { cat "$NG/logs/"* >&2; die "nginx exited"; }
        ((SECONDS < deadline)) || { cat "$NG/logs/"* >&2; die "nginx did not answer 200 within 10 s"; }
        sleep 0.1
    done

    curl -sf --max-time 5 -D "$WORK/jk.headers" -o "$WORK/jk.body" "$JK_URL"
    curl -sf --max-time 5 -D "$WORK/ng.headers" -o "$WORK/ng.body" "$NG_URL"
    if cmp -s "$WORK/jk.body" "$WORK/ng.body"; then
        R[bytes]="identical ($(stat -c %s "$WORK/jk.body") bytes, cmp)"
    else
        R[bytes]="DIFFERENT"
    fi
    note "bodies: ${R[bytes]}; response headers: jkjav $(stat -c %s "$WORK/jk.headers") bytes, nginx $(stat -c %s "$WORK/ng.headers") bytes"

    for who in jkjav nginx; do
        [[ $who == jkjav ]] && url=$JK_URL || url=$NG_URL
        args=(-t1 -c50 -d10s --latency "$url")
        cmd="wrk ${args[*]}"
        COMMANDS+=("$cmd   # $who")
        wait_quiet "1-$who"
        echo "-- $who: $cmd"
        timeout 40 wrk "${args[@]}" >"$WORK/wrk-get-$who.txt" 2>&1 || die "wrk failed: $(tail -3 "$WORK/wrk-get-$who.txt")"
        parse_wrk "$WORK/wrk-get-$who.txt"
        note "req/s $WRK_RPS   p50 $WRK_P50 ms   p99 $WRK_P99 ms   non-2xx $WRK_NON2XX   socket errors $WRK_SOCKERR"
        R[get_rps_$who]=$WRK_RPS R[get_p50_$who]=$WRK_P50 R[get_p99_$who]=$WRK_P99
        R[get_err_$who]=$((WRK_NON2XX + WRK_SOCKERR))
    done
    server_alive "after the GET runs"
    R[get_ratio]=$(ratio "${R[get_rps_jkjav]}" "${R[get_rps_nginx]}")
    note "jkjav/nginx req/s ratio ${R[get_ratio]}; p50 ${R[get_p50_jkjav]} vs ${R[get_p50_nginx]} ms; p99 ${R[get_p99_jkjav]} vs ${R[get_p99_nginx]} ms"

    for file in page asset; do
        [[ $file == page ]] && jk_path=/ || jk_path=$PAGE_ASSET
        for who in jkjav nginx; do
            [[ $who == jkjav ]] && url=$JK_BASE$jk_path || url=http://127.0.0.1:$NGINX_PORT/site/$file
            args=(-t1 -c50 -d5s --latency -H 'Accept-Encoding: gzip' "$url")
            cmd="wrk -t1 -c50 -d5s --latency -H 'Accept-Encoding: gzip' $url"
            COMMANDS+=("$cmd   # $who")
            wait_quiet "1-$file-$who"
            echo "-- $file, $who: $cmd"
            timeout 30 wrk "${args[@]}" >"$WORK/wrk-$file-$who.txt" 2>&1 || die "wrk failed: $(tail -3 "$WORK/wrk-$file-$who.txt")"
            parse_wrk "$WORK/wrk-$file-$who.txt"
            note "req/s $WRK_RPS   p50 $WRK_P50 ms   p99 $WRK_P99 ms   non-2xx $WRK_NON2XX   socket errors $WRK_SOCKERR"
            R[${file}_rps_$who]=$WRK_RPS R[${file}_p99_$who]=$WRK_P99 R[${file}_err_$who]=$((WRK_NON2XX + WRK_SOCKERR))
        done
        R[${file}_ratio]=$(ratio "${R[${file}_rps_jkjav]}" "${R[${file}_rps_nginx]}")
        R[${file}_bytes]=$(stat -c %s "$NG/html/site/$file")
    done
    server_alive "after the page runs"
    stop_nginx
    stop_server
    stop_redis
fi

# bookings_run THREADS: phase 2's flash crowd against a fresh server with that many worker threads,
# its per-second figures sampled into $PLOTS/flash-tTHREADS.tsv; results in R[book_*_tTHREADS].
bookings_run() {
    local t=$1
    echo "-- THREADS=$t"
    start_jkjav "book-t$t" "$t" "$CAMPAIGN"
    CAP=$(capacity_in_redis)
    START_REMAINING=$(settled_remaining)
    note "campaign $CAMPAIGN: capacity $CAP, remaining at start $START_REMAINING"
    args=(-t2 -c50 -d10s --latency -s bench/flash_crowd.lua "http://127.0.0.1:$HTTP_PORT")
    cmd="wrk ${args[*]}"
    COMMANDS+=("$cmd   # jkjav bookings, THREADS=$t")
    wait_quiet "2-jkjav-t$t"
    echo "-- jkjav: $cmd"
    start_sampler "flash-t$t"
    timeout 40 wrk "${args[@]}" >"$WORK/wrk-book-t$t.txt" 2>&1 || die "wrk failed: $(tail -3 "$WORK/wrk-book-t$t.txt")"
    stop_sampler
    server_alive "after the flash crowd"
    local -A F=()
    local errors REM SEQ ledger
    parse_flash "$WORK/wrk-book-t$t.txt" F
    errors=$((F[s4xx] + F[s5xx] + F[sother] + F[err_connect] + F[err_read] + F[err_write] + F[err_timeout]))
    note "req/s ${F[rps]}   p50 ${F[p50_ms]} ms   p99 ${F[p99_ms]} ms   max ${F[max_ms]} ms"
    note "200 ${F[s200]}  409 FULL ${F[s409full]}  409 ALREADY_BOOKED ${F[s409already]}  409 other ${F[s409other]}  4xx ${F[s4xx]}  5xx ${F[s5xx]}  socket errors $((F[err_connect] + F[err_read] + F[err_write] + F[err_timeout]))"
    sleep 0.6
    REM=$(settled_remaining)
    SEQ=$(rcli GET jkjav:seq)
    SEQ=${SEQ:-0}
    if ((REM + SEQ == CAP)) && ((SEQ >= F[s200])) && ((SEQ - F[s200] <= F[inflight])); then
        ledger="OK"
    else
        ledger="MISMATCH"
    fi
    note "ledger: remaining $REM + booked (jkjav:seq) $SEQ = $((REM + SEQ)) vs capacity $CAP: $ledger (wrk saw ${F[s200]} 200s; $((SEQ - F[s200])) answered after wrk's cut-off, ${F[inflight]} in flight)"
    R[book_rps_t$t]=${F[rps]} R[book_p50_t$t]=${F[p50_ms]} R[book_p99_t$t]=${F[p99_ms]} R[book_err_t$t]=$errors
    R[book_ledger_t$t]=$ledger R[book_detail_t$t]="remaining $REM + booked $SEQ = $((REM + SEQ)), capacity $CAP"
    stop_server
    stop_redis
}

# ====================================================================== 2. bookings vs redis-benchmark
if has_phase 2; then
    echo
    echo "== 2. bookings by distinct people: jkjav THREADS=${THREAD_SET// /, } (HTTP) vs redis-benchmark EVALSHA book.lua"
    for t in $THREAD_SET; do bookings_run "$t"; done

    start_redis "$WORK/rbench"
    SHA=$(rcli SCRIPT LOAD "$(cat "$BOOK_LUA" "$BOOK_SINGLE_LUA")")
    [[ $SHA =~ ^[0-9a-f]{40}$ ]] || die "SCRIPT LOAD failed: $SHA"
    SEED=100000000
    rcli HSET jkjav:slots PWTC:20210516 "$SEED" >/dev/null
    rcli HSET jkjav:campaign id bench epoch TPBNCH seededAt 2021-05-26T00:00:00Z >/dev/null  # the marker book.lua requires
    # -r: each __rand_int__ is drawn independently (a 12-digit number below the keyspace length);
    # 2e9 (the largest int) keeps repeated booking keys to a few dozen in 300,000 draws.
    RB_ARGS=(-h 127.0.0.1 -p "$REDIS_PORT" -c 50 -n 300000 -r 2000000000 --csv
        EVALSHA "$SHA" 9 jkjav:slots "jkjav:booking:__rand_int__" jkjav:seq jkjav:outbox
        "jkjav:waiting:__rand_int__" jkjav:waitlist:PWTC:20210516 jkjav:campaign jkjav:queue:admitted jkjav:queue:lane
        PWTC:20210516 0 __rand_int__ 2021-05-26T01:02:03Z ""
        mysejahteraId __rand_int__ firstName Siti lastName Aminah address "Jalan Ampang" location PWTC
        phoneNumber +60123456789 date 20210516 createdAt 2021-05-26T01:02:03Z)
    cmd="redis-benchmark -p <port> -c 50 -n 300000 -r 2000000000 --csv EVALSHA <sha of book.lua + book_single.lua> 9 jkjav:slots jkjav:booking:__rand_int__ jkjav:seq jkjav:outbox jkjav:waiting:__rand_int__ jkjav:waitlist:PWTC:20210516 jkjav:campaign jkjav:queue:admitted jkjav:queue:lane PWTC:20210516 0 __rand_int__ 2021-05-26T01:02:03Z \"\" mysejahteraId __rand_int__ firstName Siti lastName Aminah address \"Jalan Ampang\" location PWTC phoneNumber +60123456789 date 20210516 createdAt 2021-05-26T01:02:03Z"
    COMMANDS+=("$cmd   # redis yardstick")
    wait_quiet 2-redis
    echo "-- redis: $cmd"
    timeout 120 redis-benchmark "${RB_ARGS[@]}" >"$WORK/redis-benchmark.txt" 2>"$WORK/redis-benchmark.err" \
        || die "redis-benchmark failed: $(tail -3 "$WORK/redis-benchmark.err")"
    # CSV: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    IFS=, read -r RB_RPS _ _ RB_P50 _ RB_P99 RB_MAX < <(tail -1 "$WORK/redis-benchmark.txt" \
        | awk -F'","' '{ n = NF; gsub(/"/, "", $n); print $(n-6) "," $(n-5) "," $(n-4) "," $(n-3) "," $(n-2) "," $(n-1) "," $n }')
    [[ $RB_RPS =~ ^[0-9.]+$ ]] || die "could not parse redis-benchmark output: $(cat "$WORK/redis-benchmark.txt")"
    RB_SEQ=$(rcli GET jkjav:seq)
    RB_LEFT=$(rcli HGET jkjav:slots PWTC:20210516)
    RB_XLEN=$(rcli XLEN jkjav:outbox)
    note "req/s $RB_RPS   p50 $RB_P50 ms   p99 $RB_P99 ms   max $RB_MAX ms"
    note "bookings made $RB_SEQ of 300000 calls (the rest: a random booking key drawn twice, answered HELD); counter $SEED - $RB_LEFT = $((SEED - RB_LEFT)), outbox $RB_XLEN"
    if [[ -s $WORK/redis-benchmark.err ]]; then note "redis-benchmark stderr: $(head -3 "$WORK/redis-benchmark.err" | tr '\n' ' ')"; fi
    R[rb_rps]=$RB_RPS R[rb_p50]=$RB_P50 R[rb_p99]=$RB_P99 R[rb_seq]=$RB_SEQ
    for t in $THREAD_SET; do
        R[book_ratio_t$t]=$(ratio "${R[book_rps_t$t]}" "$RB_RPS")
        note "jkjav THREADS=$t / redis-benchmark ratio ${R[book_ratio_t$t]}"
    done
    stop_redis
fi

# ====================================================================== 3. 10k idle connections
if has_phase 3; then
    echo
    echo "== 3. $IDLE_COUNT idle keep-alive connections: the server's memory (THREADS=2)"
    if ((NOFILE < IDLE_COUNT + 200)); then
        note "SKIPPED: the open-file limit is $NOFILE (could not raise it)"
        R[idle]=skipped
    else
        start_jkjav idle 2 "$CAMPAIGN"
        sleep 1   # let the start-up settle (snapshot, redis connections) before reading VmRSS
        cmd="python3 bench/idle_connections.py --port $HTTP_PORT --pid <server pid> --count $IDLE_COUNT --hold 5"
        COMMANDS+=("$cmd")
        wait_quiet 3
        echo "-- $cmd"
        timeout 150 python3 bench/idle_connections.py --port "$HTTP_PORT" --pid "$SERVER_PID" --count "$IDLE_COUNT" \
            --hold 5 >"$WORK/idle.txt" 2>&1 || note "idle_connections.py reported a problem (exit $?)"
        sed '/^IDLE_RESULT/d; s/^/   /' "$WORK/idle.txt"
        server_alive "after the idle connections"
        line=$(grep '^IDLE_RESULT ' "$WORK/idle.txt") || die "no IDLE_RESULT line: $(tail -5 "$WORK/idle.txt")"
        for kv in ${line#IDLE_RESULT }; do I[${kv%%=*}]=${kv#*=}; done
        R[idle]=measured R[idle_opened]=${I[opened]} R[idle_before]=${I[rss_before_kib]} R[idle_held]=${I[rss_held_kib]}
        R[idle_delta]=${I[delta_kib]} R[idle_per]=${I[per_conn_kib]} R[idle_serving]=${I[still_serving]}
        R[idle_closed]=${I[closed_by_server]}
        # 100 MB = 100,000,000 bytes = 97,656 KiB
        if ((I[opened] == IDLE_COUNT && I[delta_kib] < 97656 && I[still_serving] == 1 && I[closed_by_server] == 0)); then
            R[idle_met]=yes
        else
            R[idle_met]=NO
        fi
        note "VmRSS before ${I[rss_before_kib]} KiB, held ${I[rss_held_kib]} KiB, delta ${I[delta_kib]} KiB ($(awk -v d="${I[delta_kib]}" 'BEGIN { printf "%.1f", d * 1024 / 1e6 }') MB), ${I[per_conn_kib]} KiB per connection"
        stop_server
        stop_redis
    fi
fi

# sellout_run THREADS: phase 4 against a fresh server with that many worker threads, its
# per-second figures sampled into $PLOTS/sellout-tTHREADS.tsv; results in R[sell_*_tTHREADS].
sellout_run() {
    local t=$1 CAP START_REMAINING T0 SOLD_AT last now left SELL_S REM SEQ NONZERO NEGATIVE COUNTERS XLEN errors exact
    local -A S=()
    echo "-- THREADS=$t"
    start_jkjav "sellout-t$t" "$t" "$CAMPAIGN_1M"
    CAP=$(capacity_in_redis)
    START_REMAINING=$(settled_remaining)
    note "capacity $CAP, remaining at start $START_REMAINING"
    ((CAP == START_REMAINING)) || die "remaining at start ($START_REMAINING) != capacity ($CAP)"
    cmd="FLASH_LOCATION=PWTC FLASH_FROM=20210516 FLASH_DAYS=30 wrk -t2 -c50 -d90s --latency -s bench/flash_crowd.lua http://127.0.0.1:$HTTP_PORT"
    COMMANDS+=("$cmd   # THREADS=$t, stopped (SIGINT) once GET /locations reports 0 left")
    wait_quiet "4-t$t"
    echo "-- $cmd"
    start_sampler "sellout-t$t"
    T0=$(date +%s.%N)
    FLASH_LOCATION=PWTC FLASH_FROM=20210516 FLASH_DAYS=30 \
        wrk -t2 -c50 -d90s --latency -s bench/flash_crowd.lua "http://127.0.0.1:$HTTP_PORT" >"$WORK/wrk-sellout-t$t.txt" 2>&1 &
    WRK_PID=$!
    SOLD_AT="" last=""
    # Poll every 0.5 s, deadline 120 s (wrk's own -d90s ends it earlier if it never sells out).
    while :; do
        sleep 0.5
        now=$(date +%s.%N)
        left=$(remaining_now) || left=""
        if [[ -n $left && $left != "$last" ]]; then last=$left; fi
        if [[ $left == 0 ]]; then SOLD_AT=$now; break; fi
        kill -0 "$WRK_PID" 2>/dev/null || break
        awk -v a="$now" -v b="$T0" 'BEGIN { exit !(a - b > 120) }' && break
    done
    # SIGINT: wrk stops, prints its report and runs done() (FLASH_RESULT).
    stop_pid "$WRK_PID" wrk 10 INT
    WRK_PID=""
    stop_sampler
    server_alive "after the sell-out"
    parse_flash "$WORK/wrk-sellout-t$t.txt" S
    if [[ -n $SOLD_AT ]]; then
        SELL_S=$(awk -v a="$SOLD_AT" -v b="$T0" 'BEGIN { printf "%.1f", a - b }')
        note "sold out: GET /locations reported 0 left ${SELL_S} s after the load started (polled every 0.5 s; the snapshot lags up to 250 ms)"
    else
        SELL_S=n/a
        note "NOT sold out: $last left when the load stopped"
    fi
    sleep 0.6
    REM=$(settled_remaining)
    SEQ=$(rcli GET jkjav:seq)
    SEQ=${SEQ:-0}
    NONZERO=$(rcli HVALS jkjav:slots | awk '$1 != 0 { n++ } END { print n + 0 }')
    NEGATIVE=$(rcli HVALS jkjav:slots | awk '$1 < 0 { n++ } END { print n + 0 }')
    COUNTERS=$(rcli HLEN jkjav:slots)
    XLEN=$(rcli XLEN jkjav:outbox)
    errors=$((S[s4xx] + S[s5xx] + S[sother] + S[err_connect] + S[err_read] + S[err_write] + S[err_timeout]))
    note "wrk: ${S[requests]} answered at ${S[rps]} req/s, p50 ${S[p50_ms]} ms, p99 ${S[p99_ms]} ms, max ${S[max_ms]} ms"
    note "wrk: 200 ${S[s200]}  409 FULL ${S[s409full]}  409 ALREADY_BOOKED ${S[s409already]}  409 other ${S[s409other]}  4xx ${S[s4xx]}  5xx ${S[s5xx]}  socket errors $((S[err_connect] + S[err_read] + S[err_write] + S[err_timeout]))  in flight at the stop ${S[inflight]}"
    note "redis: jkjav:seq $SEQ (capacity $CAP), counters $COUNTERS of which non-zero $NONZERO (negative $NEGATIVE), outbox events $XLEN; GET /locations: $REM left"
    if ((SEQ == CAP && NONZERO == 0 && REM == 0 && XLEN == CAP && S[s200] <= CAP && S[s200] + S[inflight] >= CAP)); then
        exact=yes
    else
        exact=NO
    fi
    note "exact (seq == capacity, every counter 0, outbox == capacity, 200s <= capacity <= 200s + in flight): $exact"
    R[sell_s_t$t]=$SELL_S R[sell_exact_t$t]=$exact R[sell_200_t$t]=${S[s200]} R[sell_full_t$t]=${S[s409full]}
    R[sell_err_t$t]=$errors R[sell_cap]=$CAP R[sell_seq_t$t]=$SEQ R[sell_rate_t$t]=n/a
    [[ $SELL_S == n/a ]] || R[sell_rate_t$t]=$(awk -v c="$CAP" -v s="$SELL_S" 'BEGIN { printf "%.0f", c / s }')
    if [[ $SELL_S != n/a ]] && awk -v s="$SELL_S" 'BEGIN { exit !(s < 15) }' && [[ $exact == yes ]]; then
        R[sell_met_t$t]=yes
    else
        R[sell_met_t$t]=NO
    fi
    stop_server
    stop_redis
}

# ====================================================================== 4. sell out 1M slots
if has_phase 4; then
    echo
    echo "== 4. sell out $CAMPAIGN_1M from a cold start (THREADS=${THREAD_SET// /, })"
    for t in $THREAD_SET; do sellout_run "$t"; done
fi

# ====================================================================== 5. summary
yn() { [[ $1 == "$2" ]] && echo yes || echo NO; }
echo
echo "== summary: $(date -u), nproc $(nproc), took $((SECONDS - STARTED_AT)) s"
[[ -n $CONTAMINATED ]] && echo "   WARNING: other load generators were running during phase(s)$CONTAMINATED"
echo
echo "| measurement | jkjav | yardstick | ratio / target | met? |"
echo "|---|---:|---:|---:|---|"
if has_phase 1; then
    echo "| GET /stations/PWTC req/s (THREADS=1 vs nginx 1 worker, wrk -t1 -c50 -d10s) | $(fmt0 "${R[get_rps_jkjav]}") | $(fmt0 "${R[get_rps_nginx]}") | ${R[get_ratio]} | — (yardstick) |"
    echo "| GET p50 / p99 (ms) | ${R[get_p50_jkjav]} / ${R[get_p99_jkjav]} | ${R[get_p50_nginx]} / ${R[get_p99_nginx]} | | — |"
    echo "| GET errors (non-2xx + socket) / bodies | ${R[get_err_jkjav]} | ${R[get_err_nginx]} | ${R[bytes]} | $( ((R[get_err_jkjav] == 0)) && [[ ${R[bytes]} == identical* ]] && echo yes || echo NO) |"
    echo "| GET / (the page, gzip ${R[page_bytes]} bytes) req/s, p99 ms (wrk -t1 -c50 -d5s) | $(fmt0 "${R[page_rps_jkjav]}"), ${R[page_p99_jkjav]} | $(fmt0 "${R[page_rps_nginx]}"), ${R[page_p99_nginx]} | ${R[page_ratio]} | $(yn "${R[page_err_jkjav]}" 0) (no errors) |"
    echo "| GET $PAGE_ASSET (gzip ${R[asset_bytes]} bytes) req/s, p99 ms (wrk -t1 -c50 -d5s) | $(fmt0 "${R[asset_rps_jkjav]}"), ${R[asset_p99_jkjav]} | $(fmt0 "${R[asset_rps_nginx]}"), ${R[asset_p99_nginx]} | ${R[asset_ratio]} | $(yn "${R[asset_err_jkjav]}" 0) (no errors) |"
fi
if has_phase 2; then
    for t in $THREAD_SET; do
        met=$(awk -v r="${R[book_ratio_t$t]}" -v p="${R[book_p99_t$t]}" 'BEGIN { print (r >= 1.0 && p <= 10) ? "yes" : "NO" }')
        echo "| bookings/s, distinct people (THREADS=$t, wrk -c50 vs redis-benchmark -c50 EVALSHA book.lua, one booking a call) | $(fmt0 "${R[book_rps_t$t]}") | $(fmt0 "${R[rb_rps]}") | ${R[book_ratio_t$t]} (target >= 1.0, p99 <= 10 ms) | $met |"
        echo "| booking p50 / p99 (ms), THREADS=$t | ${R[book_p50_t$t]} / ${R[book_p99_t$t]} | ${R[rb_p50]} / ${R[rb_p99]} | | — |"
        echo "| booking errors (not 200/409, incl. socket), THREADS=$t | ${R[book_err_t$t]} | | 0 | $(yn "${R[book_err_t$t]}" 0) |"
        echo "| no oversell, THREADS=$t (${R[book_detail_t$t]}) | ${R[book_ledger_t$t]} | | remaining + booked == capacity | $(yn "${R[book_ledger_t$t]}" OK) |"
    done
fi
if has_phase 3; then
    if [[ ${R[idle]} == measured ]]; then
        echo "| $IDLE_COUNT idle keep-alive connections: VmRSS delta | $(awk -v d="${R[idle_delta]}" 'BEGIN { printf "%.1f MB", d * 1024 / 1e6 }') (${R[idle_per]} KiB/conn; ${R[idle_before]} → ${R[idle_held]} KiB; ${R[idle_opened]} open) | | < 100 MB | ${R[idle_met]} |"
    else
        echo "| $IDLE_COUNT idle keep-alive connections | skipped (open-file limit $NOFILE) | | < 100 MB | n/a |"
    fi
fi
if has_phase 4; then
    for t in $THREAD_SET; do
        echo "| sell out ${R[sell_cap]} slots from a cold start (THREADS=$t, wrk -t2 -c50) | ${R[sell_s_t$t]} s (${R[sell_rate_t$t]} bookings/s) | | < 15 s | ${R[sell_met_t$t]} |"
        echo "| sell-out exactness, THREADS=$t (seq ${R[sell_seq_t$t]} == capacity, every counter 0) | ${R[sell_exact_t$t]} (200×${R[sell_200_t$t]}, 409 FULL×${R[sell_full_t$t]}, errors ${R[sell_err_t$t]}) | | exact | $(yn "${R[sell_exact_t$t]}" yes) |"
    done
fi
echo
echo "commands (wrk $(wrk --version 2>&1 | head -1 | awk '{ print $2 }'), same binary for every run; ports are free loopback ports picked at run time):"
for c in "${COMMANDS[@]}"; do echo "    $c"; done

# The side-by-side ratios for the bar chart, then the plots (the per-second TSVs are already there).
mkdir -p "$PLOTS"
{
    if has_phase 1; then
        printf 'GET /stations/PWTC vs nginx\t%s\n' "${R[get_ratio]}"
        printf 'GET / (page, gzip) vs nginx\t%s\n' "${R[page_ratio]}"
        printf 'GET app.js (gzip) vs nginx\t%s\n' "${R[asset_ratio]}"
    fi
    if has_phase 2; then
        for t in $THREAD_SET; do printf 'bookings/s THREADS=%s vs redis-benchmark\t%s\n' "$t" "${R[book_ratio_t$t]}"; done
    fi
    if has_phase 4; then
        for t in $THREAD_SET; do
            [[ ${R[sell_s_t$t]} == n/a ]] || printf '1M sell-out THREADS=%s: 15 s / time taken\t%s\n' "$t" "$(ratio 15 "${R[sell_s_t$t]}")"
        done
    fi
} | grep -v $'\tn/a$' >"$PLOTS/ratios.tsv" || true
bench/plot.sh "$PLOTS" || note "plot.sh failed: no SVGs"
