#!/usr/bin/env bash
# Gateway overhead benchmark (not a test): search through the gateway vs calling the services directly.
# usage: gateway/bench/run.sh [seconds-per-point (10)] [vectors (10000)]
# Starts its own embed-service, retrieval-service and gateway on free ports (logs: gateway/target/bench-*.log).
# Needs the PostgreSQL + pgvector cluster of db/start.sh (or SIGHTLINE_PG_JDBC_URL / _USER / _PASSWORD).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
root="$SIGHTLINE_ROOT"
cd "$root/gateway"
# The three packaged services (the gateway's test dependencies) and the gateway's test classes.
cp="$(bench_classpath gateway)"
if [ -z "${SIGHTLINE_PG_JDBC_URL:-}" ] && ! port_in_use "${SIGHTLINE_PG_PORT:-55432}"; then
  "$root/db/start.sh"
fi
exec java -cp "$cp" dev.sightline.gateway.bench.GatewayBenchmark \
  "$root" "${1:-10}" "${2:-10000}"
