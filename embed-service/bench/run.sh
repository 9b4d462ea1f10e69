#!/usr/bin/env bash
# embed-service benchmark (not a test): every baseline and ratio in one run. See embed-service/README.md.
# usage: bench/run.sh [--model bundled|vit-b-32|vit-b-16|vit-l-14|DIR] [--seconds N] [--large JPEG] [-Dkey=value ...]
#        bench/run.sh --session-options [--model ...] [--seconds N]   ONNX Runtime session levers, batch 8
#   -D options go to the measured service (e.g. -Dsightline.embed.image.max-batch-size=8).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
root="$SIGHTLINE_ROOT"
model=bundled seconds=8 large="" service_opts=() sweep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --large) large="$2"; shift 2 ;;
    --session-options) sweep=1; shift ;;
    -D*) service_opts+=("$1"); shift ;;
    [0-9]*) seconds="$1"; shift ;;   # the older positional form: seconds per point
    *) die "unknown argument $1 (usage: bench/run.sh [--model NAME|DIR] [--seconds N] [--large JPEG] [-Dkey=value ...])" ;;
  esac
done
state="$root/.sightline"
case "$model" in
  bundled) dir="$root/models/tiny-clip" ;;
  vit-*) dir="$state/bench-models/$model"
         [ -f "$dir/onnx/vision_model.onnx" ] || "$root/sightline" model bench-model "$model" ;;
  *) dir="$model" ;;
esac
[ -d "$dir" ] || die "no model folder $dir"

"$root/scripts/deps.sh" wrk
venv="$(bench_python_venv)"
mkdir -p "$state/bench-images"
small="$root/models/fixtures/parity/images/tall.jpg"
if [ -z "$large" ]; then
  large="$state/bench-images/large-1600x1200.jpg"
  [ -f "$large" ] || "$venv/bin/python" "$root/embed-service/bench/large_image.py" "$large"
fi
if [ -f "$dir/onnx/vision_model.onnx" ]; then vision="$dir/onnx/vision_model.onnx" text="$dir/onnx/text_model.onnx"
else vision="$dir/vision_model.onnx" text="$dir/text_model.onnx"; fi

cd "$root/embed-service"
cp="$(bench_classpath embed-service)"
mkdir -p target/bench
if [ "$sweep" = 1 ]; then
  exec java -cp "$cp" dev.sightline.embed.bench.SessionOptionsSweep "$vision" 8 "$seconds"
fi
say "Python baselines (onnxruntime + Pillow), $seconds s per point"
"$venv/bin/python" "$root/embed-service/bench/python_reference.py" "$vision" "$text" "$small" "$large" "$seconds" \
  >target/bench/python.json
say "Java raw ONNX Runtime, then embed-service over HTTP (wrk)"
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" dev.sightline.embed.bench.EmbedBenchmark target/quarkus-app/quarkus-run.jar "$dir" "$small" "$large" \
  "$seconds" target/bench/python.json "${service_opts[@]}"
