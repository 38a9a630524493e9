#!/usr/bin/env bash
# `make redis-cli`: redis-cli on the Redis that `make run` uses (its own on REDIS_PORT, default 6390,
# or the one REDIS_URL named). Arguments are passed on: scripts/redis-cli.sh hgetall jkjav:slots
set -euo pipefail
cd "$(dirname "$0")/.."
SCRIPT_NAME=redis-cli
# shellcheck source=scripts/lib/jkjav-procs.sh
source scripts/lib/jkjav-procs.sh
# shellcheck source=scripts/lib/local-run.sh
source scripts/lib/local-run.sh

local_run_require
if (($# == 0)); then
    cat <<'HINT' >&2
redis-cli: what jkjav keeps (the original's `keys user:*` and `keys location:*`):
  hgetall jkjav:slots                  slots left per location:date (PWTC:20210516 -> 999)
  hgetall jkjav:capacity               capacity per location:date, as seeded
  keys jkjav:booking:*                 one hash per person who booked (use SCAN on a big Redis)
  hgetall jkjav:booking:900127015527   one booking (the one make load-test makes)
  keys jkjav:waitlist:*                the queues of full slots; jkjav:waiting:<id>: a person's place
  hgetall jkjav:campaign               the campaign marker written by jkjav-admin seed
  xlen jkjav:outbox                    booking events not yet trimmed; xinfo groups jkjav:outbox: the relays
HINT
fi
exec redis-cli -u "$REDIS_URL" --no-auth-warning "$@"
