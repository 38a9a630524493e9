# shellcheck shell=bash
# bench/lib.sh: helpers shared by the bench/ scripts. Not a script: source it from the repository
# root after `set -euo pipefail`, with BENCH_NAME set to the script's name (used as the prefix of
# error messages). Starting and stopping redis-server, the dev broker and the server is
# scripts/lib/jkjav-procs.sh's (sourced here: start_redis, start_broker, start_server, stop_pid,
# stop_all, ...); this file adds what only the benchmarks need. The caller creates WORK (a mktemp -d
# directory) and installs bench_cleanup as its EXIT trap, which stops every process by its PID. A
# caller that starts other processes defines bench_stop_extra, which bench_cleanup runs first.
#
# Everything listens on and talks to 127.0.0.1 only.

# shellcheck source=scripts/lib/jkjav-procs.sh
source scripts/lib/jkjav-procs.sh

THREADS=${THREADS:-2}
CAMPAIGN=bench/campaign.json
SERVER_ENV=("THREADS=$THREADS" LOG_LEVEL=warn)
HTTP_PORT=3000   # run.sh and relay.sh: fixed, the original's hey commands name localhost:3000; the
                 # other scripts set 0 (any free port, read back by start_server)

# bench_preflight TOOL...: the tools, the server binary, the campaign and the wrk script exist, and
# HTTP_PORT (3000, unless the caller set 0) is free.
bench_preflight() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed"
    done
    [[ -x $SERVER ]] || die "server binary '$SERVER' not found or not executable (build it, or set JKJAV_SERVER)"
    [[ -f $CAMPAIGN ]] || die "$CAMPAIGN is missing"
    [[ -f bench/flash_crowd.lua ]] || die "bench/flash_crowd.lua is missing"
    if [[ $HTTP_PORT != 0 ]] && port_in_use "$HTTP_PORT"; then
        die "port $HTTP_PORT on 127.0.0.1 is already taken; the original's hey commands need localhost:$HTTP_PORT (stop whatever listens there)"
    fi
}

# JSON: jq when present, python3 otherwise.
if command -v jq >/dev/null 2>&1; then
    remaining_of() { jq '[.locations[].availability] | add'; }
else
    remaining_of() { python3 -c 'import json,sys; print(sum(l["availability"] for l in json.load(sys.stdin)["locations"]))'; }
fi

bench_cleanup() {
    local rc=$?
    set +e
    if declare -F bench_stop_extra >/dev/null; then bench_stop_extra; fi
    stop_all
    if [[ ${BENCH_KEEP:-0} == 1 ]]; then
        echo "raw outputs and logs kept in $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}

# Total availability from GET /locations, now (fails when there is no answer).
remaining_now() { curl -sf --max-time 2 "http://127.0.0.1:$HTTP_PORT/locations" | remaining_of; }

# Total availability from GET /locations, once the snapshot (refreshed every SNAPSHOT_MS, 250 ms by
# default) has settled: two equal readings 0.6 s apart.
settled_remaining() {
    local previous="" current deadline=$((SECONDS + 15))
    while ((SECONDS < deadline)); do
        current=$(remaining_now) || current=""
        if [[ -n $current && $current == "$previous" ]]; then echo "$current"; return 0; fi
        previous=$current
        sleep 0.6
    done
    die "GET /locations did not settle within 15 s"
}

round() { [[ $1 == n/a ]] && echo n/a || printf '%.0f' "$1"; }

# run_flash_crowd FILE: the flash crowd (bounded: wrk -d10s inside `timeout 40`), raw output in
# FILE; prints wrk's report indented and fills the global associative array W from the
# FLASH_RESULT line (rps, p50_ms, p99_ms, s200, s409full, ..., err_timeout).
run_flash_crowd() {
    local file=$1 result kv
    timeout 40 wrk -t2 -c64 -d10s --latency -s bench/flash_crowd.lua http://127.0.0.1:3000 >"$file" 2>&1 \
        || die "wrk failed: $(tail -5 "$file")"
    sed -n '/^---- flash crowd/,/^socket errors/p' "$file" | sed '1d; s/^/   /'
    result=$(grep '^FLASH_RESULT ' "$file") || die "no FLASH_RESULT line in the wrk output"
    unset W
    declare -gA W
    # shellcheck disable=SC2034  # W is read by the caller
    for kv in ${result#FLASH_RESULT }; do W[${kv%%=*}]=${kv#*=}; done
}
