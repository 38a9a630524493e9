#!/usr/bin/env bash
# `make reset`: removes ./var, everything `make run` keeps between runs: its Redis data (the
# bookings, the campaign), its PostgreSQL data (the system of record), the logs and the recorded
# ports. The next make run seeds the campaign
# afresh. Refuses while make run runs, or while a Redis it started outlived it.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRIPT_NAME=reset
# shellcheck source=scripts/lib/jkjav-procs.sh
source scripts/lib/jkjav-procs.sh
# shellcheck source=scripts/lib/local-run.sh
source scripts/lib/local-run.sh

owner=$(local_run_pid)
[[ -z $owner ]] || die "make run is running (pid $owner): stop it first (Ctrl-C in its terminal, or kill $owner)"
[[ -d $RUN_DIR ]] || { echo "reset: nothing to do ($RUN_DIR does not exist)"; exit 0; }
# A redis-server whose data directory is in RUN_DIR still writes there (a make run that was killed).
for pid in $(pgrep -x redis-server || true); do
    if [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$(cd "$RUN_DIR" && pwd)"/* ]]; then
        die "a redis-server (pid $pid) still keeps its data in $RUN_DIR: stop it first (kill $pid)"
    fi
done
# Likewise a postgres whose data directory is there.
for pid in $(pgrep -x postgres || true); do
    if [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$(cd "$RUN_DIR" && pwd)"/* ]]; then
        die "a postgres (pid $pid) still keeps its data in $RUN_DIR: stop it first (kill -INT $pid)"
    fi
done
rm -rf "$RUN_DIR"
echo "reset: removed $RUN_DIR (Redis and PostgreSQL data, logs, ports); the next make run opens the campaign afresh"
