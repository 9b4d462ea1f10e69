#!/usr/bin/env bash
# Cold start of each service: time from launching the JVM to the first successful functional request,
# plain and with a dynamic AppCDS archive (made by one training run with -XX:ArchiveClassesAtExit).
# Needs the packaged services (./mvnw -DskipTests package) and PostgreSQL (db/start.sh). Not a test.
# usage: [COLDSTART_OPTS="extra JVM options for the AppCDS runs"] scripts/coldstart.sh [runs]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/db/env.sh"
RUNS="${1:-3}"
WORK="$ROOT/.sightline/coldstart"
mkdir -p "$WORK"
KEY="sk-sl-coldstart-$$"
printf 'sha256:%s coldstart\n' "$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)" >"$WORK/keys"
EMBED_PORT=18801 RETRIEVAL_PORT=18802 GATEWAY_PORT=18800

args_of() { # service -> extra JVM args
  case "$1" in
    embed-service) echo "-Dquarkus.http.port=$EMBED_PORT -Dsightline.embed.model.dir=$ROOT/models/tiny-clip" ;;
    retrieval-service) echo "-Dquarkus.http.port=$RETRIEVAL_PORT" ;;
    gateway) echo "-Dquarkus.http.port=$GATEWAY_PORT -Dsightline.gateway.auth.keys-file=$WORK/keys -Dsightline.gateway.embed.url=http://127.0.0.1:$EMBED_PORT -Dsightline.gateway.retrieval.url=http://127.0.0.1:$RETRIEVAL_PORT" ;;
  esac
}

probe() { # service -> 0 when its first functional request succeeds
  case "$1" in
    embed-service) curl -fsS -o /dev/null -XPOST "http://127.0.0.1:$EMBED_PORT/embed/text" -H 'Content-Type: application/json' -d '{"texts":["a red circle"]}' ;;
    retrieval-service) curl -fsS -o /dev/null "http://127.0.0.1:$RETRIEVAL_PORT/collections" -H 'X-Sightline-Tenant: coldstart' ;;
    gateway) curl -fsS -o /dev/null "http://127.0.0.1:$GATEWAY_PORT/v1/collections" -H "Authorization: Bearer $KEY" ;;
  esac 2>/dev/null
}

# start service [jvm-opts]: sets MS (milliseconds to the first successful request) and PID (left running)
start() {
  local s="$1" opts="${2:-}" t0 t1
  # shellcheck disable=SC2086
  t0=$(date +%s%N)
  java $opts $(args_of "$s") -jar "$ROOT/$s/target/quarkus-app/quarkus-run.jar" >"$WORK/$s.log" 2>&1 &
  PID=$!
  until probe "$s"; do
    kill -0 "$PID" 2>/dev/null || { echo "$s died; see $WORK/$s.log" >&2; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s%N)
  MS=$(( (t1 - t0) / 1000000 ))
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

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
