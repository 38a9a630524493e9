#!/usr/bin/env bash
# `make run` and its companions (scripts/run-local.sh, redis-cli.sh, reset-local.sh, load-test.sh)
# in a scratch JKJAV_VAR on free ports: it starts its own Redis (never the one on 6379), a second one
# here or on its ports refuses, make reset refuses while it runs, Ctrl-C stops everything it started,
# and make reset clears the directory afterwards.
# Usage: local_run_test.sh BIN_DIR (where jkjav-server, jkjav-admin, jkjav-devbroker and jkjav-recorder are)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
export JKJAV_SERVER=$1/jkjav-server
scratch=$(mktemp -d)
chmod 755 "$scratch"  # make run's PostgreSQL runs as the postgres user when this runs as root
export JKJAV_VAR=$scratch/var
set -m  # background jobs in their own process group, with SIGINT not ignored: Ctrl-C can be mimicked
# shellcheck source=tests/shell_checks.sh
source tests/shell_checks.sh
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
first=""
finish() {
    if [[ -n $first ]]; then  # the test ended before make run was stopped: stop what it started
        kill -KILL -- "-$first" 2>/dev/null
        for pid in ${server_pid:-} ${recorder_pid:-} ${broker_pid:-} ${postgres_pid:-} ${redis_pid:-}; do kill -KILL "$pid" 2>/dev/null; done
    fi
    rm -rf "$scratch"
    echo "$passes passed, $failures failed"
}
trap finish EXIT

redis_port=$(free_port)
postgres_port=$(free_port)
REDIS_PORT=$redis_port POSTGRES_PORT=$postgres_port RECORDER_PORT=0 PORT=0 DEVBROKER_PORT=0 \
    scripts/run-local.sh >"$scratch/first.log" 2>&1 &
first=$!
deadline=$((SECONDS + 60))
until [[ -f $JKJAV_VAR/run.env ]]; do
    if ! kill -0 "$first" 2>/dev/null || ((SECONDS >= deadline)); then
        echo "FAIL make run did not get ready within 60 s:"
        cat "$scratch/first.log"
        exit 1
    fi
    sleep 0.2
done
# shellcheck disable=SC1091
source "$JKJAV_VAR/run.env"
redis_pid=$REDIS_PID
server_pid=$SERVER_PID
broker_pid=$BROKER_PID
postgres_pid=$POSTGRES_PID
recorder_pid=$RECORDER_PID

check "make run records its own pid" test "$(cat "$JKJAV_VAR/run.pid")" = "$first"
check "make run starts its own Redis on REDIS_PORT, not a system one" \
    test "$REDIS_URL" = "redis://127.0.0.1:$redis_port"
check "that Redis keeps its data under the run directory" \
    test "$(redis-cli -p "$redis_port" config get dir | tail -1)" = "$(cd "$JKJAV_VAR" && pwd)/redis"
check "make run's server is ready on the port it recorded" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/readyz")" = 200
check "the ready message shows a kcat command that ends (-e)" contains "$scratch/first.log" "-t booking-slot -f '%k %s\n' -e"

check "make run starts its own PostgreSQL on POSTGRES_PORT" \
    test "$DATABASE_URL" = "postgresql://jkjav@127.0.0.1:$postgres_port/jkjav"
check "and the recorder, healthy on the port it recorded" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$RECORDER_METRICS_PORT/healthz")" = 200
curl -s -o /dev/null -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$HTTP_PORT/booking" \
    -d '{"address":"Kuala Lumpur","date":"20210516","firstName":"Fadhil","lastName":"Yaacob","location":"PWTC","mysejahteraId":"900127015527","phoneNumber":"0123456789"}'
landed() {
    local deadline=$((SECONDS + 30))
    until [[ $(scripts/psql.sh -tAc "select count(*) from bookings where person_id = '900127015527'" 2>/dev/null) == 1 ]]; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}
check "a booking lands in PostgreSQL, seen through make psql" landed
check "make redis-cli talks to make run's Redis" \
    test "$(scripts/redis-cli.sh config get port 2>/dev/null | tail -1)" = "$redis_port"
scripts/redis-cli.sh </dev/null >/dev/null 2>"$scratch/hint.log"
check "make redis-cli without arguments lists jkjav's keys" contains "$scratch/hint.log" "keys jkjav:booking:*"

REDIS_PORT=$(free_port) POSTGRES_PORT=$(free_port) RECORDER_PORT=0 PORT=0 DEVBROKER_PORT=0 timeout 60 \
    scripts/run-local.sh >"$scratch/second.log" 2>&1
status=$?
check "a second make run here exits non-zero" test "$status" -ne 0
check "and says which make run is running" contains "$scratch/second.log" "make run is already running here (pid $first"
check "and leaves the first one's claim alone" test "$(cat "$JKJAV_VAR/run.pid")" = "$first"

JKJAV_VAR=$scratch/elsewhere REDIS_PORT=$redis_port POSTGRES_PORT=$(free_port) RECORDER_PORT=0 PORT=0 \
    DEVBROKER_PORT=0 timeout 60 \
    scripts/run-local.sh >"$scratch/other.log" 2>&1
status=$?
check "a make run in another checkout on the same Redis port exits non-zero" test "$status" -ne 0
check "and names the taken port and the setting to change" \
    contains "$scratch/other.log" "port $redis_port (make run's Redis) is already taken"
check "and started nothing" test ! -e "$scratch/elsewhere/redis.log"

scripts/reset-local.sh >"$scratch/reset.log" 2>&1
status=$?
check "make reset refuses while make run runs" test "$status" -ne 0
check "and says how to stop it" contains "$scratch/reset.log" "make run is running (pid $first): stop it first (Ctrl-C"
check "and removes nothing" test -f "$JKJAV_VAR/run.env"

# Ctrl-C: SIGINT to the whole foreground process group, as a terminal sends it.
kill -INT -- "-$first"
deadline=$((SECONDS + 30))
while kill -0 "$first" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
check "Ctrl-C stops make run within 30 s" bash -c "! kill -0 $first 2>/dev/null"
wait "$first" 2>/dev/null
first=""
check "and its server" bash -c "! kill -0 $server_pid 2>/dev/null"
check "and its broker" bash -c "! kill -0 $broker_pid 2>/dev/null"
check "and its recorder" bash -c "! kill -0 $recorder_pid 2>/dev/null"
check "and its PostgreSQL" bash -c "! kill -0 $postgres_pid 2>/dev/null"
check "and its Redis" bash -c "! kill -0 $redis_pid 2>/dev/null"
check "the server drained and stopped cleanly (Redis still there while it did)" \
    contains "$scratch/first.log" "[info] stopped"
check "and releases the claim" test ! -e "$JKJAV_VAR/run.pid"

scripts/load-test.sh >"$scratch/load.log" 2>&1
status=$?
check "make load-test without make run exits non-zero" test "$status" -ne 0
check "and says to start make run" contains "$scratch/load.log" "make run is not running"

# make load-test runs the original README's commands verbatim (with port 3000, the original's).
original_get='hey -c 50 -z 10s http://localhost:3000/stations/PWTC'
original_post='hey -c 100 -z 5s -T "application/json" -m POST -d '"'"'{"address":"Kuala Lumpur","date":"20210516","firstName":"Fadhil","lastName":"Yaacob","location":"PWTC","mysejahteraId":"900127015527","phoneNumber":"0123456789"}'"'"' http://localhost:3000/booking'
# shellcheck disable=SC1090
source <(port=3000; sed -n '/^commands=(/,/^)/p' scripts/load-test.sh | sed 's/\$port/3000/g')
check "make load-test's GET command is the original's" test "${commands[0]}" = "$original_get"
check "make load-test's POST command is the original's" test "${commands[1]}" = "$original_post"

scripts/reset-local.sh >"$scratch/reset2.log" 2>&1
check "make reset then clears the run directory" test ! -e "$JKJAV_VAR"
exit $((failures > 0))
