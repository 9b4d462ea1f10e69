#!/usr/bin/env bash
# embed-service benchmark (not a test). usage: bench/run.sh [seconds-per-point] [image]
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
root="$SIGHTLINE_ROOT"
cd "$root/embed-service"
cp="$(bench_classpath embed-service)"
exec java -cp "$cp" dev.sightline.embed.bench.EmbedBenchmark \
  target/quarkus-app/quarkus-run.jar "$root/models/tiny-clip" "${2:-$root/models/fixtures/parity/images/tall.jpg}" "${1:-8}"
