# shellcheck shell=bash
# scripts/lib/local-run.sh: what `make run` leaves in its directory (./var, or JKJAV_VAR) so that the
# other make targets find it, and the one rule that keeps two of them apart:
#   var/run.pid   the pid of the running `make run` (scripts/run-local.sh); claimed atomically, so a
#                 second `make run` refuses; a pid that no longer runs run-local.sh is stale
#   var/run.env   what it started, as shell assignments: RUN_PID, REDIS_URL, REDIS_PID (empty: a
#                 Redis of REDIS_URL), HTTP_PORT, SERVER_PID, KAFKA_BROKERS, BROKER_PID (empty: brokers
#                 of KAFKA_BROKERS), DATABASE_URL, POSTGRES_PID (empty: the PostgreSQL of
#                 DATABASE_URL), RECORDER_PID, RECORDER_METRICS_PORT
#   var/port      the port jkjav-server bound (its PORT_FILE, removed when it exits cleanly)
# Used by scripts/run-local.sh, load-test.sh, redis-cli.sh, psql.sh and reset-local.sh. Source it after
# jkjav-procs.sh (it uses die) from the repository root.

RUN_DIR=${JKJAV_VAR:-var}
RUN_PID_FILE=$RUN_DIR/run.pid
RUN_ENV_FILE=$RUN_DIR/run.env

# local_run_pid: prints the pid of the `make run` that owns RUN_DIR while it runs; nothing otherwise.
local_run_pid() {
    local pid
    [[ -f $RUN_PID_FILE ]] || return 0
    pid=$(<"$RUN_PID_FILE")
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    # A recycled pid belongs to some other program: only run-local.sh holds the claim.
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'run-local\.sh' || return 0
    echo "$pid"
}

# local_run_claim: makes this shell the owner of RUN_DIR, or dies naming the `make run` that is.
local_run_claim() {
    local owner
    mkdir -p "$RUN_DIR"
    for _ in 1 2; do
        # noclobber: the file is created only if absent (O_EXCL), so of two starts exactly one wins.
        if (set -o noclobber; echo $$ >"$RUN_PID_FILE") 2>/dev/null; then return 0; fi
        owner=$(local_run_pid)
        [[ -z $owner ]] || die "make run is already running here (pid $owner$(local_run_summary)).
     Use that one (make load-test, make redis-cli), or stop it first: Ctrl-C in its terminal, or kill $owner"
        rm -f "$RUN_PID_FILE"  # stale: left by a make run that was killed
    done
    die "could not claim $RUN_PID_FILE"
}

# local_run_release: removes what local_run_claim and local_run_record wrote, if they are still ours.
local_run_release() {
    [[ $(cat "$RUN_PID_FILE" 2>/dev/null) == "$$" ]] || return 0
    rm -f "$RUN_ENV_FILE" "$RUN_PID_FILE"
}

# local_run_record NAME=VALUE...: writes RUN_ENV_FILE (temporary file + rename: never read half-written).
local_run_record() {
    local assignment
    {
        for assignment in "$@"; do printf '%s=%q\n' "${assignment%%=*}" "${assignment#*=}"; done
    } >"$RUN_ENV_FILE.tmp"
    mv "$RUN_ENV_FILE.tmp" "$RUN_ENV_FILE"
}

# local_run_summary: ", jkjav-server on :PORT, Redis at URL" from RUN_ENV_FILE, when there is one.
local_run_summary() {
    [[ -f $RUN_ENV_FILE ]] || return 0
    (
        # shellcheck disable=SC1090
        source "$RUN_ENV_FILE"
        echo -n ", jkjav-server on :${HTTP_PORT:-?}, Redis at ${REDIS_URL:-?}"
    )
}

# local_run_require: loads RUN_ENV_FILE of the running `make run`, or dies saying to start one.
local_run_require() {
    local owner
    owner=$(local_run_pid)
    [[ -n $owner ]] || die "make run is not running (no live pid in $RUN_PID_FILE): start it in another terminal first"
    local deadline=$((SECONDS + 60))
    until [[ -f $RUN_ENV_FILE ]]; do  # still starting: the file is written once the server is ready
        kill -0 "$owner" 2>/dev/null || die "make run (pid $owner) stopped before it was ready"
        ((SECONDS < deadline)) || die "make run (pid $owner) has not finished starting within 60 s"
        sleep 0.2
    done
    # shellcheck disable=SC1090
    source "$RUN_ENV_FILE"
}
