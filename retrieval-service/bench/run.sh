#!/usr/bin/env bash
# retrieval-service benchmark (not a test).
# usage: bench/run.sh [--vectors N (100000)] [--seconds S per point (10)] [--dataset clusters|topics|both (both)]
#                     [--precision float32|float16|both (both)] [--replica] [--hnsw-m N (16)] [--ef-construction N (128)]
#                     (the older form "N S" works too)
# --hnsw-m, --ef-construction: the benchmark's collections are created with these HNSW settings.
# --replica: also the read-replica phase, after the others, on a fresh streaming replica (db/replica.sh remove, start;
#            stopped at the end), so that the replica replays none of the other runs.
# Needs the PostgreSQL + pgvector cluster of db/start.sh (or SIGHTLINE_PG_JDBC_URL / _USER / _PASSWORD).
# BENCH_JAVA_OPTS: extra options for the benchmark JVM, e.g. -Dbench.seed=7 -Dbench.clusters=1000 -Dbench.spread=0.75
#   -Dbench.jit-warmup=30 (seconds of HTTP searches before the first point, for the service's JIT; 0 skips it)
#   -Dbench.service.opts='-XX:StartFlightRecording=filename=target/bench.jfr' (JVM options for the service).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
root="$SIGHTLINE_ROOT"
cd "$root/retrieval-service"
cp="$(bench_classpath retrieval-service)"
# Searches of a large index depend on it (db/README.md): the report says which way this run went.
# shellcheck source=db/env.sh
. "$root/db/env.sh"
echo "$(pg_huge_pages_line)"
# The service's index builds sized as ./sightline up sizes them (scripts/lib.sh).
service_settings="$(index_build_args | tr '\n' ' ')"
# -Xmx: 1M 512-d vectors are 2 GB of float[] plus the NDJSON bodies being built.
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
exec java -Xms1g -Xmx8g -Dbench.service.settings="$service_settings" ${BENCH_JAVA_OPTS:-} -cp "$cp" dev.sightline.retrieval.bench.RetrievalBenchmark \
  target/quarkus-app/quarkus-run.jar "$@"
