#!/usr/bin/env bash
# retrieval-service benchmark (not a test). usage: bench/run.sh [vectors (100000)] [seconds-per-point (10)]
# Needs the PostgreSQL + pgvector cluster of db/start.sh (or SIGHTLINE_PG_JDBC_URL / _USER / _PASSWORD).
# BENCH_JAVA_OPTS: extra options for the benchmark JVM, e.g. -Dbench.seed=7 -Dbench.clusters=1000 -Dbench.spread=0.75
#   -Dbench.service.opts='-XX:StartFlightRecording=filename=target/bench.jfr' (JVM options for the service).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(cd .. && pwd)"
mvn_cmd() { if [ -x "$root/mvnw" ]; then "$root/mvnw" "$@"; else mvn "$@"; fi; }
(cd "$root" && mvn_cmd -B -q -pl retrieval-service -am -DskipTests install)
mvn_cmd -B -q test-compile
cp="$(mvn_cmd -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
exec java -Xms1g -Xmx3g ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$cp" dev.sightline.retrieval.bench.RetrievalBenchmark \
  target/quarkus-app/quarkus-run.jar "${1:-100000}" "${2:-10}"
