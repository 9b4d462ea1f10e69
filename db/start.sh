#!/usr/bin/env bash
# Creates (first run) and starts Sightline's local PostgreSQL 15 cluster in .sightline/pgdata,
# listening on 127.0.0.1:$SIGHTLINE_PG_PORT (default 55432) with its unix socket in .sightline/pgsock,
# then makes sure role/databases/extension exist: role sightline (LOGIN, password from
# SIGHTLINE_PG_PASSWORD), databases sightline and sightline_test owned by it, and the pgvector
# extension in both. Never runs the server as root (root hands it to the 'postgres' user).
# Idempotent: when the cluster is already running it only re-checks role/databases/extension.
set -euo pipefail
# shellcheck source=db/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

[[ -x $SIGHTLINE_PG_BIN/postgres ]] || die "PostgreSQL $SIGHTLINE_PG_MAJOR not installed: run db/install.sh"
have="$(pgvector_installed_version)"
pgvector_version_ok "$have" || die "pgvector $SIGHTLINE_PGVECTOR_SERIES.x not installed (found '${have:-none}'): run db/install.sh"

# SQL string literal ('' escaping; standard_conforming_strings is on).
sql_literal() { printf "'%s'" "${1//\'/\'\'}"; }

# Directories the cluster's OS user must own. The repo's parents only need to be traversable (755).
prepare_dirs() {
  local user="$1" d
  mkdir -p "$SIGHTLINE_STATE_DIR"
  for d in "$SIGHTLINE_PG_DATA" "$SIGHTLINE_PG_SOCKET_DIR" "$SIGHTLINE_PG_LOG_DIR"; do
    mkdir -p "$d"
    [[ $EUID -eq 0 ]] && chown "$user:" "$d"
    chmod 700 "$d"   # socket dir 0700 too: local socket uses trust auth
  done
  # Check that the server user can actually reach the data directory through the repo's parents.
  as_pg test -w "$SIGHTLINE_PG_DATA" \
    || die "user '$user' cannot reach $SIGHTLINE_PG_DATA (a parent directory is not traversable, e.g. /root is 700);
       clone the repository elsewhere, or set SIGHTLINE_STATE_DIR to a directory '$user' can reach"
}

init_cluster() {
  local user="$1"
  say "initdb: new cluster in ${SIGHTLINE_PG_DATA#"$SIGHTLINE_ROOT"/} (run by OS user '$user', superuser '$SIGHTLINE_PG_SUPERUSER')"
  as_pg "$SIGHTLINE_PG_BIN/initdb" -D "$SIGHTLINE_PG_DATA" -U "$SIGHTLINE_PG_SUPERUSER" \
    --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --data-checksums >&2
  # Small dev box settings; port and socket dir are passed on each start (env wins).
  as_pg tee -a "$SIGHTLINE_PG_DATA/postgresql.conf" >/dev/null <<'EOF'

# --- Sightline dev settings (db/start.sh, first init) ---
listen_addresses = '127.0.0.1'
max_connections = 100
maintenance_work_mem = 256MB     # HNSW index builds
password_encryption = scram-sha-256
fsync = on                       # durability matters: keep it on
synchronous_commit = on
full_page_writes = on
EOF
}

start_server() {
  say "starting PostgreSQL $SIGHTLINE_PG_MAJOR on $SIGHTLINE_PG_HOST:$SIGHTLINE_PG_PORT (shared_buffers $SIGHTLINE_PG_SHARED_BUFFERS; log: ${SIGHTLINE_PG_LOG#"$SIGHTLINE_ROOT"/})"
  if ! as_pg "$SIGHTLINE_PG_BIN/pg_ctl" -D "$SIGHTLINE_PG_DATA" -l "$SIGHTLINE_PG_LOG" -w -t 60 \
      -o "-p $SIGHTLINE_PG_PORT -k '$SIGHTLINE_PG_SOCKET_DIR' -c listen_addresses=$SIGHTLINE_PG_HOST -c shared_buffers=$SIGHTLINE_PG_SHARED_BUFFERS -c max_locks_per_transaction=$SIGHTLINE_PG_MAX_LOCKS -c log_lock_waits=on" start >&2; then
    tail -n 20 "$SIGHTLINE_PG_LOG" >&2 || true
    die "PostgreSQL did not start (is port $SIGHTLINE_PG_PORT taken? see $SIGHTLINE_PG_LOG)"
  fi
}

ensure_objects() {
  local user_l pw_l db
  user_l="$(sql_literal "$SIGHTLINE_PG_USER")"
  pw_l="$(sql_literal "$SIGHTLINE_PG_PASSWORD")"
  say "ensuring role '$SIGHTLINE_PG_USER', databases '$SIGHTLINE_PG_DB' and '$SIGHTLINE_PG_TEST_DB', extension vector"
  {
    # Role: created once; LOGIN and password re-applied each time (the environment is the source of truth).
    echo "SELECT format('CREATE ROLE %I LOGIN', $user_l)
          WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $user_l) \\gexec"
    echo "SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER PASSWORD %L', $user_l, $pw_l) \\gexec"
    for db in "$SIGHTLINE_PG_DB" "$SIGHTLINE_PG_TEST_DB"; do
      echo "SELECT format('CREATE DATABASE %I OWNER %I', $(sql_literal "$db"), $user_l)
            WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = $(sql_literal "$db")) \\gexec"
    done
  } | psql_super postgres >/dev/null
  for db in "$SIGHTLINE_PG_DB" "$SIGHTLINE_PG_TEST_DB"; do
    # As the superuser: the app role is not one. UPDATE picks up a newer installed pgvector.
    psql_super "$db" >/dev/null <<'EOF'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vector;
ALTER EXTENSION vector UPDATE;
EOF
  done
}

user="$(pg_os_user)"
[[ $user != root ]] || die "$SIGHTLINE_PG_DATA is owned by root; PostgreSQL refuses to run as root (chown it to postgres)"
id "$user" >/dev/null 2>&1 || die "OS user '$user' does not exist (the postgresql-$SIGHTLINE_PG_MAJOR package creates 'postgres')"

rc=0; pg_status_code || rc=$?
case $rc in
  0)
    say "PostgreSQL already running ($SIGHTLINE_PG_DATA)"
    running_port="$(sed -n 4p "$SIGHTLINE_PG_DATA/postmaster.pid" 2>/dev/null || true)"
    [[ -z $running_port || $running_port == "$SIGHTLINE_PG_PORT" ]] \
      || die "it listens on port $running_port, not SIGHTLINE_PG_PORT=$SIGHTLINE_PG_PORT: run db/stop.sh first"
    ;;
  3|4)
    prepare_dirs "$user"
    if [[ ! -f $SIGHTLINE_PG_DATA/PG_VERSION ]]; then
      [[ -z "$(ls -A "$SIGHTLINE_PG_DATA")" ]] || die "$SIGHTLINE_PG_DATA is not empty but holds no cluster; move it away"
      init_cluster "$user"
    fi
    start_server
    ;;
  *)
    die "pg_ctl status failed with code $rc for $SIGHTLINE_PG_DATA"
    ;;
esac

ensure_objects
ver="$(psql_super "$SIGHTLINE_PG_DB" -At -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'")"
say "ready: pgvector $ver in '$SIGHTLINE_PG_DB' and '$SIGHTLINE_PG_TEST_DB', user '$SIGHTLINE_PG_USER'"
say "test database: $SIGHTLINE_PG_TEST_JDBC_URL"
say "$(pg_huge_pages_line)"
echo "$SIGHTLINE_PG_JDBC_URL"
