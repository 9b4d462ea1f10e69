# shellcheck shell=bash
# Sightline's launcher library, sourced by ./sightline, scripts/coldstart.sh, */bench/run.sh and db/env.sh:
# messages, Maven, test classpaths, ports, and starting / waiting for / stopping a service's JVM.
# Defines functions and SIGHTLINE_ROOT only: sourcing it has no other effect.
[ -n "${SIGHTLINE_LIB_LOADED:-}" ] && return 0
SIGHTLINE_LIB_LOADED=1
SIGHTLINE_ROOT="${SIGHTLINE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

# --- messages -------------------------------------------------------------------------------------
say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# name_pattern: the regular expression of tenant, collection and classifier names, read from the one place it is
# written (common's Names.java), so that the launcher and the services cannot disagree.
name_pattern() {
  local p
  p="$(sed -n 's/.*Pattern NAME = Pattern.compile("\(.*\)");.*/\1/p' \
    "$SIGHTLINE_ROOT/common/src/main/java/dev/sightline/common/naming/Names.java")"
  [ -n "$p" ] || die "cannot read the name pattern from common/src/main/java/dev/sightline/common/naming/Names.java"
  printf '%s\n' "$p"
}

# random_token LENGTH: a random base62 string (for API keys and the internal token).
random_token() {
  local t=""
  while [ "${#t}" -lt "$1" ]; do t="$t$(head -c 96 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"; done
  printf '%s\n' "${t:0:$1}"
}

# --- Maven ----------------------------------------------------------------------------------------
# The project's Maven wrapper when it is executable, else the PATH's mvn.
mvn_cmd() {
  if [ -x "$SIGHTLINE_ROOT/mvnw" ]; then "$SIGHTLINE_ROOT/mvnw" "$@"; else mvn "$@"; fi
}

# test_classpath MODULE: the module's test classes, classes and test-scope dependencies, as one classpath
# (the module must be compiled: mvn test-compile).
test_classpath() {
  local dir="$SIGHTLINE_ROOT/$1" deps
  deps="$(cd "$dir" && mvn_cmd -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
  printf '%s\n' "$dir/target/test-classes:$dir/target/classes:$deps"
}

# bench_classpath MODULE: builds MODULE and what it needs (installed, tests compiled but not run: a benchmark's
# main lives in the test sources), then prints the module's test classpath. Maven's output goes to stderr.
bench_classpath() {
  (cd "$SIGHTLINE_ROOT" && mvn_cmd -B -q -pl "$1" -am -DskipTests install) >&2
  (cd "$SIGHTLINE_ROOT/$1" && mvn_cmd -B -q test-compile) >&2
  test_classpath "$1"
}

# bench_python_venv: prints the path of the benchmarks' Python environment (.sightline/bench-venv: the Python
# reference pipeline's onnxruntime, Pillow and numpy, at pinned versions), creating it when missing.
BENCH_PY_PACKAGES=(onnxruntime==1.30.0 pillow==12.3.0 numpy==2.4.6)
bench_python_venv() {
  local venv="$SIGHTLINE_ROOT/.sightline/bench-venv"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import onnxruntime, PIL, numpy' 2>/dev/null; then
    "$SIGHTLINE_ROOT/scripts/deps.sh" python3-venv >&2
    say "creating $venv (${BENCH_PY_PACKAGES[*]})"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q "${BENCH_PY_PACKAGES[@]}" >&2 \
      || die "cannot install ${BENCH_PY_PACKAGES[*]} with pip: the Python baselines need a package index (PIP_INDEX_URL or PIP_FIND_LINKS with these wheels)"
  fi
  printf '%s\n' "$venv"
}

# --- ports ----------------------------------------------------------------------------------------
# port_in_use PORT [HOST]: true when something accepts TCP connections there (default 127.0.0.1).
port_in_use() {
  (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

# free_port [FROM]: prints the first port >= FROM (default 20000) that nothing listens on.
free_port() {
  local p="${1:-20000}"
  while port_in_use "$p"; do
    p=$((p + 1))
    [ "$p" -le 65535 ] || die "no free TCP port at or above ${1:-20000}"
  done
  printf '%s\n' "$p"
}

# --- services -------------------------------------------------------------------------------------
# A service's settings come from the caller's EMBED_PORT, RETRIEVAL_PORT, GATEWAY_PORT, KEYS_FILE (the gateway's
# hashed API keys), MODEL_DIR (the embed model folder, the default model), EXTRA_MODEL_DIRS (further model folders
# served beside it, comma-separated; empty: none), INTERNAL_BIND (the address the internal services listen
# on; 127.0.0.1 unless set) and SIGHTLINE_INTERNAL_TOKEN (the internal credential, exported: it reaches the JVMs
# through their environment, not their command line, which every local user can read).

port_of() { # service
  case "$1" in
    embed-service) echo "$EMBED_PORT" ;;
    retrieval-service) echo "$RETRIEVAL_PORT" ;;
    gateway) echo "$GATEWAY_PORT" ;;
    *) die "unknown service $1" ;;
  esac
}

# internal_host: the address to reach the internal services at (their bind address; loopback for a wildcard).
internal_host() {
  case "${INTERNAL_BIND:-127.0.0.1}" in
    0.0.0.0|::|"[::]") echo 127.0.0.1 ;;
    *) echo "${INTERNAL_BIND:-127.0.0.1}" ;;
  esac
}

# host_of SERVICE: where the service can be reached from this machine.
host_of() {
  case "$1" in
    embed-service|retrieval-service) internal_host ;;
    *) echo 127.0.0.1 ;;
  esac
}

jar_of() { echo "$SIGHTLINE_ROOT/$1/target/quarkus-app/quarkus-run.jar"; }

# service_args SERVICE: its JVM system properties (port, model, keys file, backend URLs), one per line.
service_args() {
  echo "-Dquarkus.http.port=$(port_of "$1")"
  case "$1" in
    embed-service|retrieval-service) echo "-Dquarkus.http.host=${INTERNAL_BIND:-127.0.0.1}" ;;
  esac
  case "$1" in
    embed-service)
      echo "-Dsightline.embed.model.dir=$MODEL_DIR"
      [ -z "${EXTRA_MODEL_DIRS:-}" ] || echo "-Dsightline.embed.model.extra-dirs=$EXTRA_MODEL_DIRS" ;;
    retrieval-service)
      index_build_args
      echo "-Dsightline.retrieval.migration.embed-url=http://$(internal_host):$EMBED_PORT" ;;
    gateway)
      echo "-Dsightline.gateway.auth.keys-file=$KEYS_FILE"
      echo "-Dsightline.gateway.embed.url=http://$(internal_host):$EMBED_PORT"
      echo "-Dsightline.gateway.retrieval.url=http://$(internal_host):$RETRIEVAL_PORT"
      ;;
  esac
}

# index_build_args: retrieval-service's HNSW index builds sized to this machine, which runs the local PostgreSQL:
# maintenance_work_mem a fifth of the memory (1 to 8 GB; a 1M x 512-d float32 graph needs ~2.6 GB to build in
# memory; shared_buffers takes a quarter, db/env.sh, and a third as well left the services, a benchmark's JVM and
# the page cache too little: the machine swapped its page cache away) and one parallel worker per core beside the
# leader. One per line; keys set in the environment win.
index_build_args() {
  local kb gb cores
  kb="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)"
  gb=$((kb / 5 / 1048576)); [ "$gb" -lt 1 ] && gb=1; [ "$gb" -gt 8 ] && gb=8
  cores="$(nproc 2>/dev/null || echo 2)"; cores=$((cores > 1 ? cores - 1 : 1))
  [ -n "${SIGHTLINE_RETRIEVAL_INDEX_BUILD_MAINTENANCE_WORK_MEM:-}" ] \
    || echo "-Dsightline.retrieval.index-build.maintenance-work-mem=${gb}GB"
  [ -n "${SIGHTLINE_RETRIEVAL_INDEX_BUILD_PARALLEL_WORKERS:-}" ] \
    || echo "-Dsightline.retrieval.index-build.parallel-workers=$cores"
}

# proc_alive PID: true while the process runs.
proc_alive() { kill -0 "$1" 2>/dev/null; }

# pid_alive PIDFILE: true while the process whose id the file holds runs.
pid_alive() { [ -f "$1" ] && proc_alive "$(cat "$1")"; }

# spawn_service SERVICE LOG [JVM-OPTION...]: starts the service's packaged jar in the background (immune to
# hangups), output to LOG, and sets SERVICE_PID. Refuses a port that something else already listens on.
spawn_service() {
  local s="$1" log="$2" port jar args=()
  shift 2
  port="$(port_of "$s")" jar="$(jar_of "$s")"
  [ -f "$jar" ] || die "$s is not packaged ($jar is missing): ./mvnw -B -DskipTests package"
  [ -n "${SIGHTLINE_INTERNAL_TOKEN:-}" ] || die "SIGHTLINE_INTERNAL_TOKEN is not set: the services refuse to start without the internal token"
  if port_in_use "$port" "$(host_of "$s")"; then
    die "port $port (for $s) is already in use by another process: stop it (ss -ltnp 'sport = :$port' shows it) or choose other ports"
  fi
  mapfile -t args < <(service_args "$s")
  SIGHTLINE_INTERNAL_TOKEN="$SIGHTLINE_INTERNAL_TOKEN" nohup java "$@" "${args[@]}" -jar "$jar" >"$log" 2>&1 &
  # shellcheck disable=SC2034 # for the caller
  SERVICE_PID=$!
}

# wait_ready SERVICE PID LOG TIMEOUT-SECONDS PROBE...: runs the PROBE command until it succeeds (returns 0), the
# process dies or TIMEOUT seconds pass (returns 1 after printing the log's last lines). Shows progress
# ("    waiting for SERVICE .... ready") on stderr unless WAIT_QUIET=1; WAIT_INTERVAL (0.5) is the polling period.
wait_ready() {
  local s="$1" pid="$2" log="$3" timeout="$4" quiet="${WAIT_QUIET:-0}" interval="${WAIT_INTERVAL:-0.5}" start=$SECONDS i=0
  shift 4
  [ "$quiet" = 1 ] || printf '    waiting for %s ' "$s" >&2
  while [ $((SECONDS - start)) -lt "$timeout" ]; do
    if "$@"; then [ "$quiet" = 1 ] || printf ' ready\n' >&2; return 0; fi
    if ! proc_alive "$pid"; then
      if [ "$quiet" = 1 ]; then printf '%s died; see %s:\n' "$s" "$log" >&2; else printf ' died\n' >&2; fi
      tail -n 30 "$log" >&2
      return 1
    fi
    i=$((i + 1))
    [ "$quiet" = 1 ] || [ $((i % 4)) -ne 0 ] || printf '.' >&2
    sleep "$interval"
  done
  if [ "$quiet" = 1 ]; then printf '%s not ready after %ss; see %s:\n' "$s" "$timeout" "$log" >&2; else printf ' timed out\n' >&2; fi
  tail -n 30 "$log" >&2
  return 1
}

# http_ok URL: true when a GET of URL answers 2xx.
http_ok() { curl -fsS -o /dev/null "$1" 2>/dev/null; }

# stop_pid PID: SIGTERM, up to STOP_TIMEOUT seconds (10) for the process to end, then SIGKILL; reaps it when it is
# our child.
stop_pid() {
  local pid="$1" i
  proc_alive "$pid" || return 0
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < ${STOP_TIMEOUT:-10} * 4; i++)); do proc_alive "$pid" || break; sleep 0.25; done
  if proc_alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}
