#!/usr/bin/env bash
# retrieval-service benchmark (not a test).
# usage: bench/run.sh [--vectors N (100000)] [--seconds S per point (10)] [--dataset clusters|topics|both (both)]
#                     [--precision float32|float16|both (both)] [--replica] [--hnsw-m N (16)] [--ef-construction N (128)]
#                     [--split-cores]
#                     (the older form "N S" works too)
# --hnsw-m, --ef-construction: the benchmark's collections are created with these HNSW settings.
# --split-cores: PostgreSQL on the last CPU, the client and the service on the others (as separate nodes would be).
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

# --split-cores: PostgreSQL (the postmaster, its processes, and the backends it forks from now on) on the last CPU,
# the benchmark's client and the service it starts on the others, so that the service's CPU does not come out of
# the database's — what separate nodes give. PostgreSQL gets every CPU back when the benchmark ends.
args=() split=0
for a in "$@"; do
  if [[ $a == --split-cores ]]; then split=1; else args+=("$a"); fi
done
runner=() placement=""
if (( split )); then
  cpus="$(nproc)"
  (( cpus >= 2 )) || die "--split-cores needs at least 2 CPUs (this machine has $cpus)"
  postmaster="$(head -n1 "$SIGHTLINE_PG_DATA/postmaster.pid")" || die "no running PostgreSQL in $SIGHTLINE_PG_DATA"
  pin_postgres() {
    local d ppid
    taskset -a -cp "$1" "$postmaster" >/dev/null
    for d in /proc/[0-9]*; do
      ppid="$(awk '{print $4}' "$d/stat" 2>/dev/null)" || continue
      if [[ $ppid == "$postmaster" ]]; then taskset -a -cp "$1" "${d#/proc/}" >/dev/null 2>&1 || true; fi
    done
  }
  pin_postgres "$((cpus - 1))"
  trap 'pin_postgres "0-$((cpus - 1))"' EXIT
  others="0-$((cpus - 2))"
  (( cpus > 2 )) || others=0
  placement="PostgreSQL on CPU $((cpus - 1)), the client and the service on CPU $others"
  echo "split cores: $placement"
  runner=(taskset -c "$others")
fi
# -Xmx: 1M 512-d vectors are 2 GB of float[] plus the NDJSON bodies being built.
# shellcheck disable=SC2086 # BENCH_JAVA_OPTS holds several options
"${runner[@]}" java -Xms1g -Xmx8g -Dbench.service.settings="$service_settings" -Dbench.placement="$placement" \
  ${BENCH_JAVA_OPTS:-} -cp "$cp" dev.sightline.retrieval.bench.RetrievalBenchmark \
  target/quarkus-app/quarkus-run.jar "${args[@]}"
