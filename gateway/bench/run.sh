#!/usr/bin/env bash
# Gateway overhead benchmark (not a test): search through the gateway vs calling the services directly.
# usage: gateway/bench/run.sh [seconds-per-point (10)] [vectors (10000)]
# Starts its own embed-service, retrieval-service and gateway on free ports (logs: gateway/target/bench-*.log).
# Needs the PostgreSQL + pgvector cluster of db/start.sh (or SIGHTLINE_PG_JDBC_URL / _USER / _PASSWORD).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(cd .. && pwd)"
mvn_cmd() { if [ -x "$root/mvnw" ]; then "$root/mvnw" "$@"; else mvn "$@"; fi; }
# The three packaged services and the gateway's test classes (install compiles tests even with -DskipTests).
(cd "$root" && mvn_cmd -B -q install -DskipTests)
if [ -z "${SIGHTLINE_PG_JDBC_URL:-}" ] && ! (exec 3<>/dev/tcp/127.0.0.1/"${SIGHTLINE_PG_PORT:-55432}") 2>/dev/null; then
  "$root/db/start.sh"
fi
cp="$(mvn_cmd -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
exec java -cp "target/test-classes:target/classes:$cp" dev.sightline.gateway.bench.GatewayBenchmark \
  "$root" "${1:-10}" "${2:-10000}"
