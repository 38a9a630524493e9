#!/usr/bin/env bash
# `make psql`: psql on the PostgreSQL that `make run` records bookings into (its own on
# POSTGRES_PORT, default 5433, database jkjav; or the one DATABASE_URL named). Arguments are passed
# on: scripts/psql.sh -c 'table booked_counts'
set -euo pipefail
cd "$(dirname "$0")/.."
SCRIPT_NAME=psql
# shellcheck source=scripts/lib/jkjav-procs.sh
source scripts/lib/jkjav-procs.sh
# shellcheck source=scripts/lib/local-run.sh
source scripts/lib/local-run.sh

local_run_require
if (($# == 0)); then
    cat <<'HINT' >&2
psql: what jkjav-recorder keeps (docs/system-of-record.md):
  table booked_counts;                          active bookings per location and date
  select * from bookings where location = 'PWTC' and date = '2021-05-16' and cancelled_at is null
    order by last_name, first_name;             a venue's appointment list for a day
  select count(*) from processed_events;        events applied (each eventId once)
  table schema_migrations;                      the schema's version
HINT
fi
exec psql "$DATABASE_URL" "$@"
