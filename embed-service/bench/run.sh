#!/usr/bin/env bash
# embed-service benchmark (not a test). usage: bench/run.sh [seconds-per-point] [image]
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(cd .. && pwd)"
mvn_cmd() { if [ -x "$root/mvnw" ]; then "$root/mvnw" "$@"; else mvn "$@"; fi; }
(cd "$root" && mvn_cmd -B -q -pl embed-service -am -DskipTests install)
mvn_cmd -B -q test-compile
cp="$(mvn_cmd -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
exec java -cp "target/test-classes:target/classes:$cp" dev.sightline.embed.bench.EmbedBenchmark \
  target/quarkus-app/quarkus-run.jar "$root/models/tiny-clip" "${2:-$root/models/fixtures/parity/images/tall.jpg}" "${1:-8}"
