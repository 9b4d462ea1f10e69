#!/usr/bin/env bash
# Cold start of each service: time from launching the JVM to the first successful functional request,
# plain and with a dynamic AppCDS archive (made by one training run with -XX:ArchiveClassesAtExit).
# Needs the packaged services (./mvnw -DskipTests package) and PostgreSQL (db/start.sh). Not a test.
# usage: [COLDSTART_OPTS="extra JVM options for the AppCDS runs"] scripts/coldstart.sh [runs]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
# shellcheck source=db/env.sh
. "$ROOT/db/env.sh"
RUNS="${1:-3}"
WORK="$ROOT/.sightline/coldstart"
mkdir -p "$WORK"
KEY="sk-sl-coldstart-$$"
printf 'sha256:%s coldstart\n' "$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)" >"$WORK/keys"
# the settings service_args (scripts/lib.sh) reads
SIGHTLINE_INTERNAL_TOKEN="$(random_token 48)"
export SIGHTLINE_INTERNAL_TOKEN
# The probes send the token from a file (0600), not on curl's command line, which every local user can read.
(umask 077; printf 'Authorization: Bearer %s\n' "$SIGHTLINE_INTERNAL_TOKEN" >"$WORK/auth-header")
EMBED_PORT=18801 RETRIEVAL_PORT=18802 GATEWAY_PORT=18800 KEYS_FILE="$WORK/keys" MODEL_DIR="$ROOT/models/tiny-clip"

probe() { # service -> 0 when its first functional request succeeds
  case "$1" in
    embed-service) curl -fsS -o /dev/null -XPOST "http://127.0.0.1:$EMBED_PORT/embed/text" -H 'Content-Type: application/json' -H @"$WORK/auth-header" -d '{"texts":["a red circle"]}' ;;
    retrieval-service) curl -fsS -o /dev/null "http://127.0.0.1:$RETRIEVAL_PORT/collections" -H 'X-Sightline-Tenant: coldstart' -H @"$WORK/auth-header" ;;
    gateway) curl -fsS -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/v1/collections" -H "Authorization: Bearer $KEY" ;;
  esac 2>/dev/null
}

# start service [jvm-opts]: sets MS (milliseconds to the first successful request) and PID (left running)
start() {
  local s="$1" opts=() t0 t1
  read -ra opts <<<"${2:-}"
  t0=$(date +%s%N)
  spawn_service "$s" "$WORK/$s.log" "${opts[@]}"
  PID=$SERVICE_PID
  WAIT_QUIET=1 WAIT_INTERVAL=0.01 wait_ready "$s" "$PID" "$WORK/$s.log" 600 probe "$s" || exit 1
  t1=$(date +%s%N)
  MS=$(( (t1 - t0) / 1000000 ))
}

stop() { STOP_TIMEOUT=300 stop_pid "$1"; }   # the training run writes its archive at exit: give it time

measure() { # service -> "plain: a b c | appcds: a b c"
  local s="$1" plain=() cds=() i
  for ((i = 0; i < RUNS; i++)); do start "$s"; plain+=("$MS"); stop "$PID"; done
  # one training run writes the archive at exit
  start "$s" "-XX:ArchiveClassesAtExit=$WORK/$s.jsa"; stop "$PID"
  for ((i = 0; i < RUNS; i++)); do start "$s" "-XX:SharedArchiveFile=$WORK/$s.jsa -Xlog:cds=off ${COLDSTART_OPTS:-}"; cds+=("$MS"); stop "$PID"; done
  printf '| %s | %s | %s |\n' "$s" "${plain[*]}" "${cds[*]}"
}

echo "| service | JVM start → first successful request, ms (plain) | with AppCDS archive |"
echo "|---|---|---|"
measure embed-service
measure retrieval-service
# the gateway needs its backends up
start embed-service; EPID=$PID
start retrieval-service; RPID=$PID
measure gateway
stop "$EPID"; stop "$RPID"
