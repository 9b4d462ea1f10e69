#!/usr/bin/env bash
# The GPU check of embed-service (not a test), one script for a machine with an NVIDIA GPU:
#   1. what the machine has: nvidia-smi, and the CUDA / cuDNN libraries the CUDA provider of onnxruntime_gpu needs
#      (its Maven build links CUDA 12: libcublasLt.so.12 ...; a CUDA-13-only machine cannot run it);
#   2. embed-service built with the gpu profile;
#   3. the random-weight ViT-B/32 served with runtime.device=gpu (readiness is DOWN unless CUDA is active, and the
#      benchmark prints the readiness answer with its provider);
#   4. raw ONNX Runtime CUDA (in-process) vs HTTP (wrk) images/s at batch = concurrency 1, 32, 128.
# Needs what the CPU benchmark needs (Maven dependencies, wrk, the bench model or python3-torch to make it).
# usage: bench/gpu.sh [seconds-per-point]
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
root="$SIGHTLINE_ROOT"
seconds="${1:-8}"

echo "== nvidia-smi"
command -v nvidia-smi >/dev/null || die "no nvidia-smi: this machine has no NVIDIA driver"
nvidia-smi
echo "== CUDA and cuDNN libraries (onnxruntime_gpu $(sed -n 's|.*<onnxruntime-gpu.version>\(.*\)</onnxruntime-gpu.version>.*|\1|p' "$root/pom.xml") links the CUDA 12 names)"
extra=""
for lib in libcuda.so.1 libcudart.so.12 libcublas.so.12 libcublasLt.so.12 libcurand.so.10 libcufft.so.11 libcudnn.so.9 \
           libcudart.so.13 libcublasLt.so.13; do
  where="$(ldconfig -p | awk -v l="$lib" '$1 == l && !w { w = $NF } END { print w }')"
  if [ -z "$where" ]; then
    # pip's nvidia-* wheels and toolkit folders are not in the loader cache.
    where="$(find / -xdev \( -path /proc -o -path /sys \) -prune -o -name "$lib" -print -quit 2>/dev/null)"
    [ -n "$where" ] && extra="$extra:$(dirname "$where")"
  fi
  printf '  %-20s %s\n' "$lib" "${where:-missing}"
done
export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}$extra"
ldconfig -p | grep 'libcublasLt.so.12' >/dev/null || [ -n "$extra" ] || say "warning: no CUDA 12 cuBLAS found; the CUDA provider will not load"

echo "== build (gpu profile)"
(cd "$root" && mvn_cmd -B -q -Pgpu -pl embed-service -am -DskipTests install) >&2
(cd "$root/embed-service" && mvn_cmd -B -q -Pgpu test-compile) >&2
deps="$(cd "$root/embed-service" && mvn_cmd -B -q -Pgpu dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
cp="$root/embed-service/target/test-classes:$root/embed-service/target/classes:$deps"

model="$root/.sightline/bench-models/vit-b-32"
[ -f "$model/onnx/vision_model.onnx" ] || "$root/sightline" model bench-model vit-b-32
"$root/scripts/deps.sh" wrk
small="$root/models/fixtures/parity/images/tall.jpg"
cd "$root/embed-service"
exec java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Dbench.device=gpu -cp "$cp" dev.sightline.embed.bench.EmbedBenchmark target/quarkus-app/quarkus-run.jar \
  "$model" "$small" "$small" "$seconds" -
