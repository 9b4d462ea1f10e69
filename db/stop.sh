#!/usr/bin/env bash
# Stops Sightline's local PostgreSQL cluster (pg_ctl -m fast stop) if it is running.
# The data in .sightline/pgdata stays; db/start.sh brings it back.
set -euo pipefail
# shellcheck source=db/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

rc=0; pg_status_code || rc=$?
case $rc in
  0)
    say "stopping PostgreSQL ($SIGHTLINE_PG_DATA)"
    as_pg "$SIGHTLINE_PG_BIN/pg_ctl" -D "$SIGHTLINE_PG_DATA" -m fast -w -t 60 stop >&2
    say "stopped; data kept in ${SIGHTLINE_PG_DATA#"$SIGHTLINE_ROOT"/}"
    ;;
  3) say "PostgreSQL is not running" ;;
  4) say "no cluster in $SIGHTLINE_PG_DATA (nothing to stop)" ;;
  *) die "pg_ctl status failed with code $rc for $SIGHTLINE_PG_DATA" ;;
esac
