#!/usr/bin/env bash
# deploy/haproxy/haproxy.cfg with a real HAProxy in front of three real jkjav-server instances (one
# Redis, plain REDIS_URL), everything on loopback and stopped by its PID: the file passes
# `haproxy -c`; requests reach all three; the client address the servers see is HAProxy's
# X-Forwarded-For, never one a client sent; answers (a server's 503 and 429 with Retry-After) pass
# through untouched; an instance that drains (SIGTERM) or is stopped is taken out while requests
# keep succeeding; with none left HAProxy answers its own JSON 503 with Retry-After.
# Usage: haproxy_test.sh BIN_DIR (where jkjav-server, jkjav-admin and jkjav-devbroker are)
set -euo pipefail
cd "$(dirname "$0")/.."
SCRIPT_NAME=haproxy_test
export JKJAV_SERVER=$1/jkjav-server
# shellcheck source=scripts/lib/jkjav-procs.sh
source scripts/lib/jkjav-procs.sh
scratch=$(mktemp -d)
# shellcheck source=tests/shell_checks.sh
source tests/shell_checks.sh
server_pids=()
haproxy_pid=""
finish() {
    local pid
    for pid in "${server_pids[@]}"; do stop_pid "$pid" jkjav-server 15; done
    stop_pid "$haproxy_pid" haproxy 5
    stop_redis
    rm -rf "$scratch"
    echo "$passes passed, $failures failed"
}
trap finish EXIT

config=deploy/haproxy/haproxy.cfg
haproxy -c -f "$config" >"$scratch/check.log" 2>&1
check "haproxy -c accepts $config" test $? -eq 0
check "without a warning" bash -c "! grep WARNING '$scratch/check.log'"

# One Redis; three servers that trust only 127.0.0.1 (HAProxy here) for X-Forwarded-For. Lookups are
# limited to 1/s per client (burst 2), the oracle of which address a server believes; no lookup
# lock, since the ids looked up do not exist. A short Redis timeout makes the 503 below quick.
start_redis "$scratch"
export THREADS=1 TRUSTED_PROXIES=127.0.0.1 RATE_LIMIT_LOOKUPS_PER_IP=1 LOOKUP_FAILURE_LIMIT=0 REDIS_TIMEOUT_MS=300
api_ports=()
for i in 1 2 3; do
    mkdir -p "$scratch/api-$i"
    HTTP_PORT=0
    SERVER_SEEDS=$((i == 1))  # the first seeds, the others find the campaign open
    start_server "$scratch/api-$i"
    server_pids+=("$SERVER_PID")
    api_ports+=("$HTTP_PORT")
done
SERVER_PID=""

proxy_port=$(free_port)
stats_port=$(free_port)
JKJAV_PROXY_BIND=127.0.0.1:$proxy_port JKJAV_PROXY_STATS_BIND=127.0.0.1:$stats_port \
    JKJAV_API_1=127.0.0.1:${api_ports[0]} JKJAV_API_2=127.0.0.1:${api_ports[1]} JKJAV_API_3=127.0.0.1:${api_ports[2]} \
    haproxy -db -f "$config" >"$scratch/haproxy.log" 2>&1 &
haproxy_pid=$!
proxy=http://127.0.0.1:$proxy_port

# server_state api-N: its status in HAProxy's stats CSV (UP, DOWN, "UP 1/2"...).
server_state() { curl -s --max-time 1 "http://127.0.0.1:$stats_port/;csv" | awk -F, -v s="$1" '$1 == "jkjav-api" && $2 == s { print $18 }'; }
# wait_state api-N STATE SECONDS: polls the stats page until the server has that status.
wait_state() {
    local deadline=$((SECONDS + $3))
    until [[ $(server_state "$1") == "$2" ]]; do
        kill -0 "$haproxy_pid" 2>/dev/null || { cat "$scratch/haproxy.log"; return 1; }
        ((SECONDS < deadline)) || { echo "     $1 is '$(server_state "$1")', not $2, after $3 s"; return 1; }
        sleep 0.1
    done
}
for name in api-1 api-2 api-3; do check "HAProxy's checks of /readyz bring $name up" wait_state "$name" UP 20; done
check "the stats page answers on its own port" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$stats_port/")" = 200

# Requests reach all three: each server's own /metrics counts the lookups of availability it answered.
for _ in $(seq 12); do curl -s -o /dev/null "$proxy/stations/PWTC"; done
answered() { curl -s "http://127.0.0.1:$1/metrics" | awk '/^jkjav_http_requests_total\{.*route="\/stations\/\{location\}"/ { n += $2 } END { print n + 0 }'; }
for i in 0 1 2; do check "server $((i + 1)) answered some of 12 requests through HAProxy" test "$(answered "${api_ports[i]}")" -gt 0; done

# X-Forwarded-For. Every lookup carries a different made-up client address. Straight to a server
# (the peer 127.0.0.1 is a trusted proxy) each is believed, so each has a bucket of its own and
# none is limited: the control, which shows the oracle can tell. Through HAProxy the client's header
# is replaced by HAProxy's, so all are one client, 127.0.0.1, and the limit (1/s, burst 2, on each
# of 3 servers) answers 429 within a few requests.
lookups() {  # lookups BASE_URL COUNT: the status codes of COUNT lookups in one curl (sub-second)
    local args=() n
    for ((n = 1; n <= $2; n++)); do
        ((n == 1)) || args+=(--next)
        args+=(-s -o /dev/null -w '%{http_code}\n' -H "X-Forwarded-For: 10.9.$((n / 250)).$((n % 250 + 1))"
            "$1/booking/90012701$((1000 + n))?phoneNumber=0123456789")
    done
    curl "${args[@]}"
}
lookups "http://127.0.0.1:${api_ports[0]}" 20 >"$scratch/direct.txt"
check "control: straight to a server, 20 lookups from 20 claimed addresses are all answered (404)" \
    test "$(grep -c '^404$' "$scratch/direct.txt")" = 20
lookups "$proxy" 60 >"$scratch/proxied.txt"
check "through HAProxy, claimed addresses are not believed: the per-client limit answers 429" \
    grep -q '^429$' "$scratch/proxied.txt"
headers=$(curl -s -D - -o /dev/null -H 'X-Forwarded-For: 10.9.9.9' "$proxy/booking/900127019999?phoneNumber=0123456789")
check "and its Retry-After reaches the client" grep -qi '^retry-after: [0-9]' <<<"$headers"
check "a client's X-Request-Id is replaced by HAProxy's (a uuid), which the server echoes" \
    grep -Eqi '^x-request-id: [0-9a-f]{8}-[0-9a-f]{4}-' <<<"$(curl -s -D - -o /dev/null -H 'X-Request-Id: mine' "$proxy/stations/PWTC")"

# A server's own 503: Redis holds back writes (CLIENT PAUSE WRITE; reads and /readyz go on), so a
# booking's script gets no answer within REDIS_TIMEOUT_MS and the server answers 503
# STORE_UNAVAILABLE with Retry-After, which HAProxy passes on as it is (no retry: it is a POST).
booking='{"address":"Kuala Lumpur","date":"20210516","firstName":"Fadhil","lastName":"Yaacob","location":"PWTC","mysejahteraId":"900127015527","phoneNumber":"0123456789"}'
redis-cli -p "$REDIS_PORT" client pause 10000 write >/dev/null
curl -s -D "$scratch/503.head" -o "$scratch/503.body" --max-time 10 -X POST -H 'Content-Type: application/json' -d "$booking" "$proxy/booking" || true
redis-cli -p "$REDIS_PORT" client unpause >/dev/null
check "a server's 503 reaches the client" grep -q '^HTTP/1.1 503' "$scratch/503.head"
check "with the server's own code (STORE_UNAVAILABLE)" grep -q '"code":"STORE_UNAVAILABLE"' "$scratch/503.body"
check "and its Retry-After" grep -qi '^retry-after: [0-9]' "$scratch/503.head"
for name in api-1 api-2 api-3; do check "$name is up again after Redis resumed" wait_state "$name" UP 20; done

# Drain and stop: SIGTERM to server 2 while requests keep coming through HAProxy. Every one of them
# must succeed for a client that does what the answers say: new connections to the draining server
# are refused (HAProxy sends the request elsewhere), and its checks of /readyz fail, which takes it
# out. A client told 503 with Retry-After waits that long and asks once more (a booking retried is
# the same booking): a connection the kernel completed just before the server closed its listening
# socket is reset unanswered, and HAProxy, which must not resend a POST, answers 503 for it. Such
# first answers are counted and shown, not hidden.
send() {  # send GET|POST N: one request through HAProxy, once more after a 503's Retry-After
    local args=(-s -D "$scratch/head" -o "$scratch/body" -w '%{http_code}' --max-time 5) code wait
    [[ $1 == GET ]] && args+=("$proxy/stations/PWTC")
    [[ $1 == POST ]] && args+=(-X POST -H 'Content-Type: application/json'
        -d "${booking/900127015527/$((910101010000 + $2))}" "$proxy/booking")
    code=$(curl "${args[@]}")
    wait=$(sed -n 's/^[Rr]etry-[Aa]fter: *\([0-9]*\).*/\1/p' "$scratch/head")
    if [[ $code == 503 && -n $wait ]]; then
        echo "$1 $(grep -o '"code":"[A-Z_]*"' "$scratch/body")" >>"$scratch/retried.txt"
        sleep "$((wait > 2 ? 2 : wait))"
        code=$(curl "${args[@]}")
    fi
    echo "$code $1"
}
status_loop() {  # status_loop FILE: GETs and bookings (distinct people) until told to stop
    local n=0
    while [[ ! -e $scratch/stop-loop ]]; do
        n=$((n + 1))
        send GET "$n"
        send POST "$n"
    done >"$1"
}
status_loop "$scratch/drain.txt" &
loop_pid=$!
kill -TERM "${server_pids[1]}"
check "a draining server is taken out (DOWN) within 10 s" wait_state api-2 DOWN 10
stop_pid "${server_pids[1]}" jkjav-server 15
stopped_at=$(wc -l <"$scratch/drain.txt")
deadline=$((SECONDS + 10))
until (($(wc -l <"$scratch/drain.txt") >= stopped_at + 20)) || ((SECONDS >= deadline)); do sleep 0.1; done
touch "$scratch/stop-loop"
wait "$loop_pid"
check "requests went on during the drain and after the stop ($(wc -l <"$scratch/drain.txt") sent)" \
    test "$(wc -l <"$scratch/drain.txt")" -ge $((stopped_at + 20))
if ! check "and every one succeeded (200)" bash -c "! grep -qv '^200 ' '$scratch/drain.txt'"; then
    sort "$scratch/drain.txt" | uniq -c | sed 's/^/     /'
fi
if [[ -s $scratch/retried.txt ]]; then
    echo "     $(wc -l <"$scratch/retried.txt") of them first answered 503 with Retry-After: $(sort "$scratch/retried.txt" | uniq -c | paste -sd,)"
    echo "     HAProxy's log of those (status, termination state, request):"
    awk '$3 == "jkjav" && $6 == 503' "$scratch/haproxy.log" | sed 's/^/     | /'
fi

# None left: HAProxy's own 503, in the servers' JSON shape, with Retry-After.
for pid in "${server_pids[@]}"; do stop_pid "$pid" jkjav-server 15; done
server_pids=()
check "with every server gone, api-1 is taken out" wait_state api-1 DOWN 10
check "and api-3" wait_state api-3 DOWN 10
curl -s -D "$scratch/none.head" -o "$scratch/none.body" "$proxy/stations/PWTC" || true
check "HAProxy then answers 503" grep -q '^HTTP/1.1 503' "$scratch/none.head"
check "with a JSON code" grep -q '"code":"SERVER_BUSY"' "$scratch/none.body"
check "and Retry-After" grep -qi '^retry-after: 1' "$scratch/none.head"
exit $((failures > 0))
