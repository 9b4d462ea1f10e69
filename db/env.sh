# shellcheck shell=bash
# Sightline database settings and helpers, sourced by the other db/*.sh scripts (and usable by
# anything else that needs the local PostgreSQL coordinates: `source db/env.sh`).
# Every value can be overridden from the environment; nothing here has side effects.

# --- paths --------------------------------------------------------------------------------------
SIGHTLINE_ROOT="${SIGHTLINE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
SIGHTLINE_STATE_DIR="${SIGHTLINE_STATE_DIR:-$SIGHTLINE_ROOT/.sightline}"      # git-ignored
SIGHTLINE_PG_DATA="${SIGHTLINE_PG_DATA:-$SIGHTLINE_STATE_DIR/pgdata}"
SIGHTLINE_PG_SOCKET_DIR="${SIGHTLINE_PG_SOCKET_DIR:-$SIGHTLINE_STATE_DIR/pgsock}"
SIGHTLINE_PG_LOG_DIR="${SIGHTLINE_PG_LOG_DIR:-$SIGHTLINE_STATE_DIR/pglog}"
SIGHTLINE_PG_LOG="${SIGHTLINE_PG_LOG:-$SIGHTLINE_PG_LOG_DIR/postgresql.log}"
SIGHTLINE_PGVECTOR_BUILD_DIR="${SIGHTLINE_PGVECTOR_BUILD_DIR:-$SIGHTLINE_STATE_DIR/build/pgvector}"

# --- PostgreSQL installation ----------------------------------------------------------------------
SIGHTLINE_PG_MAJOR="${SIGHTLINE_PG_MAJOR:-15}"
SIGHTLINE_PG_BIN="${SIGHTLINE_PG_BIN:-/usr/lib/postgresql/$SIGHTLINE_PG_MAJOR/bin}"
SIGHTLINE_PG_CONFIG="${SIGHTLINE_PG_CONFIG:-$SIGHTLINE_PG_BIN/pg_config}"
SIGHTLINE_PG_SHAREDIR="${SIGHTLINE_PG_SHAREDIR:-/usr/share/postgresql/$SIGHTLINE_PG_MAJOR}"
SIGHTLINE_PG_PKGLIBDIR="${SIGHTLINE_PG_PKGLIBDIR:-/usr/lib/postgresql/$SIGHTLINE_PG_MAJOR/lib}"
SIGHTLINE_PGVECTOR_CONTROL="$SIGHTLINE_PG_SHAREDIR/extension/vector.control"
SIGHTLINE_PGVECTOR_SERIES="${SIGHTLINE_PGVECTOR_SERIES:-0.8}"   # accepted pgvector versions: 0.8.x

# --- connection -----------------------------------------------------------------------------------
SIGHTLINE_PG_HOST="${SIGHTLINE_PG_HOST:-127.0.0.1}"
SIGHTLINE_PG_PORT="${SIGHTLINE_PG_PORT:-55432}"
SIGHTLINE_PG_USER="${SIGHTLINE_PG_USER:-sightline}"
SIGHTLINE_PG_PASSWORD="${SIGHTLINE_PG_PASSWORD:-sightline}"
SIGHTLINE_PG_DB="${SIGHTLINE_PG_DB:-sightline}"
SIGHTLINE_PG_TEST_DB="${SIGHTLINE_PG_TEST_DB:-sightline_test}"
SIGHTLINE_PG_SUPERUSER="${SIGHTLINE_PG_SUPERUSER:-postgres}"   # cluster superuser (initdb -U)
SIGHTLINE_PG_JDBC_URL="jdbc:postgresql://$SIGHTLINE_PG_HOST:$SIGHTLINE_PG_PORT/$SIGHTLINE_PG_DB"
SIGHTLINE_PG_TEST_JDBC_URL="jdbc:postgresql://$SIGHTLINE_PG_HOST:$SIGHTLINE_PG_PORT/$SIGHTLINE_PG_TEST_DB"

# --- server memory --------------------------------------------------------------------------------
# shared_buffers, applied at every start (primary and replica): a quarter of this machine's memory, 128MB to 8GB
# (PostgreSQL's own starting advice). HNSW searches touch pages all over the index; with the index outside
# shared_buffers each of them is a copy from the OS page cache (a 1M x 512-d float32 index is 2.6 GB).
pg_default_shared_buffers() {
  local kb mb
  kb="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)"
  mb=$((kb / 4 / 1024)); [ "$mb" -lt 128 ] && mb=128; [ "$mb" -gt 8192 ] && mb=8192
  echo "${mb}MB"
}
SIGHTLINE_PG_SHARED_BUFFERS="${SIGHTLINE_PG_SHARED_BUFFERS:-$(pg_default_shared_buffers)}"
# Locks per transaction slot: a statement that cannot prune items to one partition (a test's or an operator's
# query across collections) locks every partition and its indexes; PostgreSQL's 64 runs out at a few thousand
# collections. A standby needs at least the primary's value.
SIGHTLINE_PG_MAX_LOCKS="${SIGHTLINE_PG_MAX_LOCKS:-1024}"

# --- optional streaming replica (db/replica.sh; read-only, for retrieval-service's replica datasource) --------------
SIGHTLINE_PG_REPLICA_PORT="${SIGHTLINE_PG_REPLICA_PORT:-55433}"
SIGHTLINE_PG_REPLICA_DATA="${SIGHTLINE_PG_REPLICA_DATA:-$SIGHTLINE_STATE_DIR/pgreplica}"
SIGHTLINE_PG_REPLICA_LOG="${SIGHTLINE_PG_REPLICA_LOG:-$SIGHTLINE_PG_LOG_DIR/replica.log}"

export SIGHTLINE_PG_HOST SIGHTLINE_PG_PORT SIGHTLINE_PG_USER SIGHTLINE_PG_PASSWORD SIGHTLINE_PG_DB \
  SIGHTLINE_PG_TEST_DB SIGHTLINE_PG_JDBC_URL SIGHTLINE_PG_TEST_JDBC_URL

# --- helpers --------------------------------------------------------------------------------------
# say, die (and the launcher's other helpers): scripts/lib.sh, which only defines functions.
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

# Run a command as root: directly when we are root, through sudo otherwise.
as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  else
    command -v sudo >/dev/null || die "not root and sudo is missing: run '$*' as root"
    sudo "$@"
  fi
}

# The OS user that owns/runs the cluster. PostgreSQL refuses to run as root, so root hands the
# server to the 'postgres' system user (created by the Debian package); anyone else runs it
# themselves. An existing data directory decides: it is always run by its owner.
pg_os_user() {
  if [[ -d $SIGHTLINE_PG_DATA ]]; then
    stat -c %U "$SIGHTLINE_PG_DATA"
  elif [[ $EUID -eq 0 ]]; then
    echo postgres
  else
    id -un
  fi
}

# Run a command as the cluster's OS user (from / so that an unreadable cwd such as /root is harmless).
as_pg() {
  local user
  user="$(pg_os_user)"
  if [[ $user == "$(id -un)" ]]; then
    (cd / && "$@")
  elif [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u "$user" -- "$@")
  else
    die "the cluster in $SIGHTLINE_PG_DATA belongs to '$user': run this script as root or as '$user'"
  fi
}

# pg_ctl status: 0 running, 3 stopped, 4 no (valid) data directory.
pg_status_code() {
  [[ -f $SIGHTLINE_PG_DATA/PG_VERSION ]] || return 4
  local rc=0
  as_pg "$SIGHTLINE_PG_BIN/pg_ctl" -D "$SIGHTLINE_PG_DATA" status >/dev/null 2>&1 || rc=$?
  return "$rc"
}

# psql as the cluster superuser over the private unix socket (trust auth; the socket dir is 0700).
psql_super() {
  local db="$1"; shift
  as_pg "$SIGHTLINE_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SIGHTLINE_PG_SOCKET_DIR" \
    -p "$SIGHTLINE_PG_PORT" -U "$SIGHTLINE_PG_SUPERUSER" -d "$db" "$@"
}

# --- huge pages ---------------------------------------------------------------------------------
# How many huge pages the running cluster's shared memory takes (PostgreSQL computes it); empty when it is not running.
pg_huge_pages_needed() {
  psql_super postgres -At -c "SHOW shared_memory_size_in_huge_pages" 2>/dev/null || true
}

# True when the running postmaster's shared memory is mapped in huge pages. PostgreSQL's huge_pages = try (its
# default) takes them at start when the kernel has enough reserved (vm.nr_hugepages), else falls back silently.
pg_uses_huge_pages() {
  local pid
  pid="$(head -n1 "$SIGHTLINE_PG_DATA/postmaster.pid" 2>/dev/null)" || return 1
  [[ -n $pid ]] || return 1
  as_pg awk '/^KernelPageSize:/ && $2 > 4 { found = 1 } END { exit !found }' "/proc/$pid/smaps" 2>/dev/null
}

# One line on huge pages for the running cluster (db/start.sh, the retrieval benchmark). HNSW searches touch pages all
# over a large index: in 4 kB pages every backend faults each one into its page table and misses the TLB on most of
# them, which a virtual machine's nested paging makes dearer (db/README.md: about 1.4x on a 1M-vector search here).
pg_huge_pages_line() {
  local needed reserved
  needed="$(pg_huge_pages_needed)"
  reserved="$(cat /proc/sys/vm/nr_hugepages 2>/dev/null || echo 0)"
  if pg_uses_huge_pages; then
    echo "huge pages: shared memory in huge pages ($needed needed, vm.nr_hugepages $reserved)"
  else
    echo "huge pages: not used (the cluster needs ${needed:-?}, vm.nr_hugepages is $reserved); searches of a large index run slower without them: db/huge-pages.sh reserve"
  fi
}

# default_version from the installed vector.control, or nothing.
pgvector_installed_version() {
  [[ -f $SIGHTLINE_PGVECTOR_CONTROL ]] || return 0
  sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" \
    "$SIGHTLINE_PGVECTOR_CONTROL" | head -n1
}

# True when $1 is a version of the accepted pgvector series (0.8.x).
pgvector_version_ok() {
  [[ $1 == "$SIGHTLINE_PGVECTOR_SERIES".* ]]
}
