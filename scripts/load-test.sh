#!/usr/bin/env bash
# `make load-test`: the original server's two load commands from its README (sdil/jkjav-server),
# verbatim, against the jkjav-server that `make run` started. The original's commands name
# localhost:3000; when make run was given another PORT, only the port is changed. The POST books
# one person (900127015527) at PWTC on 20210516, over and over: the first request books, every other
# is an idempotent repeat that answers 200 with the same booking.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRIPT_NAME=load-test
# shellcheck source=scripts/lib/jkjav-procs.sh
source scripts/lib/jkjav-procs.sh
# shellcheck source=scripts/lib/local-run.sh
source scripts/lib/local-run.sh

command -v hey >/dev/null || die "hey is not installed (make deps installs it)"
local_run_require
port=$(cat "$RUN_DIR/port" 2>/dev/null || true)
[[ $port =~ ^[0-9]+$ ]] || die "no port in $RUN_DIR/port: is make run's jkjav-server still running?"
[[ $port == "$HTTP_PORT" ]] || die "$RUN_DIR/port says $port but make run started the server on $HTTP_PORT"

# The two commands as the original README wrote them, shown and run as written (`timeout` only
# bounds a hung run; hey's own -z ends each one).
commands=(
    "hey -c 50 -z 10s http://localhost:$port/stations/PWTC"
    "hey -c 100 -z 5s -T \"application/json\" -m POST -d '{\"address\":\"Kuala Lumpur\",\"date\":\"20210516\",\"firstName\":\"Fadhil\",\"lastName\":\"Yaacob\",\"location\":\"PWTC\",\"mysejahteraId\":\"900127015527\",\"phoneNumber\":\"0123456789\"}' http://localhost:$port/booking"
)
for command in "${commands[@]}"; do
    echo "\$ $command"
    eval "timeout 60 $command"
done
echo "load-test: the booking it made: make redis-cli, then: hgetall jkjav:booking:900127015527"
