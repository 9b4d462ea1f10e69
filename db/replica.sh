#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL on loopback, for retrieval-service's read-only datasource and its tests.
#   db/replica.sh start    make it (pg_basebackup of the running primary, -R: it follows the primary) if missing, start
#                          it on 127.0.0.1:$SIGHTLINE_PG_REPLICA_PORT (55433), wait until it accepts read-only queries
#   db/replica.sh stop     stop it (pg_ctl -m fast); its data stays
#   db/replica.sh remove   stop it and delete its data (start makes a fresh one)
#   db/replica.sh status   say whether it runs and how far it has replayed
#   db/replica.sh pause | resume   pause or resume its replay (it stays up, answering reads ever more behind): tests
# Idempotent. Needs the primary of db/start.sh running. No replication slot: a replica stopped for long may no longer
# find the WAL it needs on the primary; then 'db/replica.sh remove && db/replica.sh start' makes a new one.
set -euo pipefail
# shellcheck source=db/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

DATA="$SIGHTLINE_PG_REPLICA_DATA"
PORT="$SIGHTLINE_PG_REPLICA_PORT"

replica_pg() {   # pg_ctl on the replica, as the cluster's OS user
  as_pg "$SIGHTLINE_PG_BIN/pg_ctl" -D "$DATA" "$@"
}

replica_status() {   # 0 running, 3 stopped, 4 none
  [[ -f $DATA/PG_VERSION ]] || return 4
  local rc=0
  replica_pg status >/dev/null 2>&1 || rc=$?
  return "$rc"
}

replica_psql() {
  as_pg "$SIGHTLINE_PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$SIGHTLINE_PG_SOCKET_DIR" -p "$PORT" \
    -U "$SIGHTLINE_PG_SUPERUSER" -d "$SIGHTLINE_PG_DB" "$@"
}

start() {
  local rc=0
  pg_status_code || rc=$?
  [[ $rc == 0 ]] || die "the primary is not running: run db/start.sh first"
  rc=0; replica_status || rc=$?
  if [[ $rc == 0 ]]; then
    say "replica already running on $SIGHTLINE_PG_HOST:$PORT"
    return
  fi
  if [[ $rc == 4 ]]; then
    say "pg_basebackup of the primary into ${DATA#"$SIGHTLINE_ROOT"/} (a streaming replica, -R)"
    mkdir -p "$(dirname "$DATA")" "$SIGHTLINE_PG_LOG_DIR"
    chown "$(pg_os_user)" "$SIGHTLINE_PG_LOG_DIR" 2>/dev/null || true
    rm -rf "$DATA.partial"
    mkdir -m 700 "$DATA.partial"
    chown "$(pg_os_user)" "$DATA.partial"
    as_pg "$SIGHTLINE_PG_BIN/pg_basebackup" -D "$DATA.partial" -h "$SIGHTLINE_PG_SOCKET_DIR" -p "$SIGHTLINE_PG_PORT" \
      -U "$SIGHTLINE_PG_SUPERUSER" -X stream -R -c fast \
      || die "pg_basebackup failed (see above); is the primary reachable over $SIGHTLINE_PG_SOCKET_DIR?"
    mv "$DATA.partial" "$DATA"
  fi
  say "starting the replica on $SIGHTLINE_PG_HOST:$PORT (log: ${SIGHTLINE_PG_REPLICA_LOG#"$SIGHTLINE_ROOT"/})"
  replica_pg -l "$SIGHTLINE_PG_REPLICA_LOG" -w -t 60 \
    -o "-p $PORT -k '$SIGHTLINE_PG_SOCKET_DIR' -c listen_addresses=$SIGHTLINE_PG_HOST -c hot_standby=on -c shared_buffers=$SIGHTLINE_PG_SHARED_BUFFERS -c max_locks_per_transaction=$SIGHTLINE_PG_MAX_LOCKS -c log_lock_waits=on" start >&2 \
    || { tail -n 20 "$SIGHTLINE_PG_REPLICA_LOG" >&2 || true; die "the replica did not start (see $SIGHTLINE_PG_REPLICA_LOG; 'db/replica.sh remove' then start makes a new one)"; }
  [[ $(replica_psql -c "SELECT pg_is_in_recovery()") == t ]] || die "the server on port $PORT is not a replica"
  local i following=0
  for i in $(seq 1 50); do   # up to 5 s for it to follow the primary
    if [[ $(replica_psql -c "SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'") == 1 ]]; then
      following=1
      break
    fi
    sleep 0.1
  done
  [[ $following == 1 ]] || die "the replica does not follow the primary (WAL it needs is gone? see $SIGHTLINE_PG_REPLICA_LOG): db/replica.sh remove && db/replica.sh start"
  say "replica ready: jdbc:postgresql://$SIGHTLINE_PG_HOST:$PORT/$SIGHTLINE_PG_DB (read-only)"
}

stop() {
  local rc=0
  replica_status || rc=$?
  case $rc in
    0) replica_pg -m fast -w -t 60 stop >&2; say "replica stopped; data kept in ${DATA#"$SIGHTLINE_ROOT"/}" ;;
    3) say "the replica is not running" ;;
    4) say "no replica in ${DATA#"$SIGHTLINE_ROOT"/}" ;;
    *) die "pg_ctl status failed with code $rc for $DATA" ;;
  esac
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  remove) stop; rm -rf "$DATA" "$DATA.partial"; say "replica data removed" ;;
  pause) replica_psql -c "SELECT pg_wal_replay_pause()" >/dev/null; say "replica replay paused" ;;
  resume) replica_psql -c "SELECT pg_wal_replay_resume()" >/dev/null; say "replica replay resumed" ;;
  status)
    rc=0; replica_status || rc=$?
    if [[ $rc == 0 ]]; then
      echo "replica running on $SIGHTLINE_PG_HOST:$PORT, replayed to $(replica_psql -c "SELECT pg_last_wal_replay_lsn()")"
    else
      echo "replica not running (${DATA#"$SIGHTLINE_ROOT"/})"
    fi
    ;;
  *) die "usage: db/replica.sh start|stop|remove|status|pause|resume" ;;
esac
