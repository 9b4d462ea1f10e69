#!/usr/bin/env bash
# Stops Sightline's local PostgreSQL cluster (pg_ctl -m fast stop) if it is running.
# The data in .sightline/pgdata stays; db/start.sh brings it back.
# usage: db/stop.sh [--immediate]   --immediate: pg_ctl -m immediate, as a crash would (no checkpoint; the next start
#                                   replays the WAL) — for crash tests.
set -euo pipefail
# shellcheck source=db/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

mode=fast
case "${1:-}" in
  "") ;;
  --immediate) mode=immediate ;;
  *) die "usage: db/stop.sh [--immediate]" ;;
esac

rc=0; pg_status_code || rc=$?
case $rc in
  0)
    say "stopping PostgreSQL ($SIGHTLINE_PG_DATA, mode $mode)"
    as_pg "$SIGHTLINE_PG_BIN/pg_ctl" -D "$SIGHTLINE_PG_DATA" -m "$mode" -w -t 60 stop >&2
    say "stopped; data kept in ${SIGHTLINE_PG_DATA#"$SIGHTLINE_ROOT"/}"
    ;;
  3) say "PostgreSQL is not running" ;;
  4) say "no cluster in $SIGHTLINE_PG_DATA (nothing to stop)" ;;
  *) die "pg_ctl status failed with code $rc for $SIGHTLINE_PG_DATA" ;;
esac
