#!/usr/bin/env bash
# Shows whether Sightline's local PostgreSQL cluster is running, where, and which pgvector it has.
# Exit code: 0 running, 3 stopped, 4 no cluster yet (like pg_ctl status).
set -euo pipefail
# shellcheck source=db/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

installed="$(pgvector_installed_version)"
rc=0; pg_status_code || rc=$?
case $rc in
  0) state="running" ;;
  3) state="stopped" ;;
  4) state="not created (run db/start.sh)" ;;
  *) state="unknown (pg_ctl status code $rc)" ;;
esac

echo "PostgreSQL $SIGHTLINE_PG_MAJOR cluster: $state"
echo "  data dir:  $SIGHTLINE_PG_DATA"
echo "  address:   $SIGHTLINE_PG_HOST:$SIGHTLINE_PG_PORT (socket dir $SIGHTLINE_PG_SOCKET_DIR)"
echo "  log:       $SIGHTLINE_PG_LOG"
echo "  pgvector installed: ${installed:-none} ($SIGHTLINE_PGVECTOR_CONTROL)"
if [[ $rc -eq 0 ]]; then
  pid="$(head -n1 "$SIGHTLINE_PG_DATA/postmaster.pid" 2>/dev/null || true)"
  echo "  pid:       ${pid:-?}"
  for db in "$SIGHTLINE_PG_DB" "$SIGHTLINE_PG_TEST_DB"; do
    v="$(psql_super "$db" -At -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'" 2>/dev/null || true)"
    echo "  pgvector in database $db: ${v:-not created}"
  done
  echo "  JDBC URL:  $SIGHTLINE_PG_JDBC_URL (user $SIGHTLINE_PG_USER)"
  echo "  $(pg_huge_pages_line)"
fi
exit "$rc"
