# shellcheck shell=bash
# bench/drill_lib.sh: what the failure drills (bench/chaos.sh, bench/failover.sh) share: a timeline
# of phases and marks (read by bench/chaos_check.py), checks collected for the summary, the paced
# crowd (bench/chaos_crowd.py) started and stopped, the topic dumped. Not a script: source it after
# bench/lib.sh. The caller sets WORK, MARKS (the timeline file), HTTP_PORT (where the crowd and
# readyz go), SLOTS, RATE, CONCURRENCY, BURST_MAX, TOPIC and BROKER_ADDR, and declares the arrays
# CHECKS and ROWS and FAILED=0.

T0=$EPOCHREALTIME
say() { printf '[%6.2f] %s\n' "$(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')" "$*"; }
mark() { echo "mark $1 $EPOCHREALTIME" >>"$MARKS"; }
since() { awk -v name="$1" -v now="$EPOCHREALTIME" '$1 == "mark" && $2 == name { printf "%.2f", now - $3 }' "$MARKS"; }
phase() { echo "phase $1 $EPOCHREALTIME $2" >>"$MARKS"; say "== $2"; }
check() {  # check OK|FAIL TEXT
    CHECKS+=("$1 $2")
    [[ $1 == OK ]] || FAILED=1
    say "CHECK $1 $2"
}

readyz() { curl -s --max-time 1 "http://127.0.0.1:$HTTP_PORT/readyz" 2>/dev/null || true; }

# wait_readyz WHAT SECONDS PATTERN: polls /readyz until its body matches PATTERN.
wait_readyz() {
    local what=$1 deadline=$((SECONDS + $2)) pattern=$3 body
    while ((SECONDS < deadline)); do
        body=$(readyz)
        if [[ $body =~ $pattern ]]; then check OK "$what ($body)"; return 0; fi
        sleep 0.1
    done
    check FAIL "$what: not within $2 s (last /readyz: ${body:-no answer})"
    return 1
}

# steady SECONDS: load continues; the crowd must still be running.
steady() {
    local deadline=$((SECONDS + $1))
    while ((SECONDS < deadline)); do
        kill -0 "$CROWD_PID" 2>/dev/null || die "the crowd stopped early (see $WORK/crowd.log)"
        sleep 0.2
    done
}

start_crowd() {  # start_crowd NAME BLOCK
    rm -f "$WORK/stop-$1"
    python3 bench/chaos_crowd.py --port "$HTTP_PORT" --out "$WORK/crowd-$1.tsv" --stop-file "$WORK/stop-$1" \
        --slots "$SLOTS" --block "$2" --rate "$RATE" --concurrency "$CONCURRENCY" --max-seconds 150 \
        --burst-file "$WORK/burst" --burst-max "$BURST_MAX" \
        >>"$WORK/crowd.log" 2>&1 &
    CROWD_PID=$!
}

# burst_on: the crowd stops pacing (for at most BURST_MAX requests) from 0.05 s before the fault to
# burst_off, so that every connection has a request in flight when the fault strikes.
burst_on() { touch "$WORK/burst"; sleep 0.05; }
burst_off() { rm -f "$WORK/burst"; }

stop_crowd() {  # stop_crowd NAME: asks it to stop; its requests time out within 5 s
    local deadline=$((SECONDS + 15))
    touch "$WORK/stop-$1"
    while kill -0 "$CROWD_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    stop_pid "$CROWD_PID" chaos_crowd 2
    CROWD_PID=""
    say "crowd stopped: $(tail -1 "$WORK/crowd.log")"
}

topic_end_offsets() {  # sum of the topic's partitions' end offsets on the current broker
    local query=() p
    for p in 0 1 2; do query+=(-t "$TOPIC:$p:-1"); done
    timeout 10 kcat -Q -b "$BROKER_ADDR" "${query[@]}" 2>/dev/null | awk '/ offset [0-9]+$/ { s += $NF } END { print s + 0 }'
}

# dump_topic FILE: every message the current broker holds, as "key value" lines (the brief's
# `kcat -C -e -f '%k %s\n'`). The dev broker keeps the newest ~5 MB per partition, far more than a
# drill writes; the line count is checked against the end offsets.
dump_topic() {
    local file=$1 ends lines
    ends=$(topic_end_offsets)
    timeout 30 kcat -C -b "$BROKER_ADDR" -t "$TOPIC" -o beginning -e -q -f '%k %s\n' >"$file" 2>>"$WORK/kcat.err" || true
    lines=$(wc -l <"$file")
    if ((lines == ends)); then
        check OK "topic dump from $BROKER_ADDR: $lines messages = end offsets"
    else
        check FAIL "topic dump from $BROKER_ADDR: $lines messages, end offsets say $ends"
    fi
}

# read_checks FILE: takes chaos_check.py's CHECK/ROW/NOTE lines into the verdicts and the table.
read_checks() {
    local kind verdict rest
    while read -r kind verdict rest; do
        case $kind in
            CHECK) check "$verdict" "$rest" ;;
            ROW) ROWS+=("$verdict $rest") ;;
            NOTE) say "   $verdict $rest" ;;
        esac
    done <"$1"
}

# print_summary NAME: the table of phases and every check; exits 1 if any failed.
print_summary() {
    echo
    echo "| phase | requests | 200 | 409 FULL | 503 | other | refused | no answer | checks |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    for c in "${CHECKS[@]}"; do echo "- ${c%% *}: ${c#* }"; done
    echo
    if ((FAILED)); then echo "$1: SOME CHECKS FAILED"; exit 1; fi
    echo "$1: all checks passed"
}

# wait_drained PORT: polls that server's /readyz until the outbox backlog is 0 (the relays share
# the outbox, so any server reports it), at most DRAIN_DEADLINE seconds; a check either way.
wait_drained() {
    local deadline=$((SECONDS + DRAIN_DEADLINE)) backlog=""
    while ((SECONDS < deadline)); do
        backlog=$(curl -s --max-time 1 "http://127.0.0.1:$1/readyz" 2>/dev/null | sed -n 's/.*"outboxBacklog":\([0-9][0-9]*\).*/\1/p')
        [[ $backlog == 0 ]] && break
        sleep 0.2
    done
    if [[ $backlog == 0 ]]; then
        check OK "relay drained: outbox backlog 0 after $(since load_end) s"
    else
        check FAIL "relay drained: outbox backlog ${backlog:-unknown} after ${DRAIN_DEADLINE} s"
    fi
}

# run_checks MODE ARG...: bench/chaos_check.py MODE ARG... into WORK/check-MODE.txt, its verdicts
# taken in (read_checks); stops the drill if the checker itself failed (exit other than 0 or 1).
run_checks() {
    local mode=$1 rc=0
    shift
    python3 bench/chaos_check.py "$mode" "$@" >"$WORK/check-$mode.txt" 2>&1 || rc=$?
    ((rc == 0 || rc == 1)) || { cat "$WORK/check-$mode.txt" >&2; die "chaos_check.py $mode failed (exit $rc)"; }
    read_checks "$WORK/check-$mode.txt"
}
