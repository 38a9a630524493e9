#!/usr/bin/env bash
# bench/rate_limit_cost.sh: what the per-IP booking limit costs the booking path. Alternates runs
# without the limit and with RATE_LIMIT_BOOKINGS_PER_IP set far above the load (every request is
# from 127.0.0.1, so all of them hit one bucket: the most contended case), each on a fresh Redis
# and server, and prints each run's req/s and the medians. About a minute with the defaults.
#   bench/rate_limit_cost.sh            RUNS=3 SECONDS_EACH=5 CONNECTIONS=32
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=rate_limit_cost
# shellcheck source=bench/lib.sh
source bench/lib.sh
RUNS=${RUNS:-3}
SECONDS_EACH=${SECONDS_EACH:-5}
CONNECTIONS=${CONNECTIONS:-32}

WORK=$(mktemp -d)
trap bench_cleanup EXIT
HTTP_PORT=0   # each run's server binds a free port; start_server reads it back
bench_preflight wrk redis-server redis-cli curl python3

one_run() {  # one_run LABEL [NAME=VALUE...]: prints req/s
    local label=$1 dir=$WORK/$1-$2
    shift 2
    mkdir -p "$dir"
    start_redis "$dir"
    HTTP_PORT=0
    start_server "$dir" "$@"
    timeout $((SECONDS_EACH + 30)) wrk -t1 "-c$CONNECTIONS" "-d${SECONDS_EACH}s" -s bench/flash_crowd.lua \
        "http://127.0.0.1:$HTTP_PORT" >"$dir/wrk.txt" 2>&1 || die "wrk failed: $(tail -5 "$dir/wrk.txt")"
    stop_all
    grep '^FLASH_RESULT ' "$dir/wrk.txt" | tr ' ' '\n' | sed -n 's/^rps=//p'
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

off=() on=()
for ((i = 1; i <= RUNS; i++)); do
    off+=("$(one_run off "$i")")
    on+=("$(one_run on "$i" RATE_LIMIT_BOOKINGS_PER_IP=1000000)")
    echo "run $i: without limit ${off[-1]} req/s, with limit ${on[-1]} req/s"
done
echo "median without limit: $(median "${off[@]}") req/s; with RATE_LIMIT_BOOKINGS_PER_IP=1000000: $(median "${on[@]}") req/s"
