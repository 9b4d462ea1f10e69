#!/usr/bin/env bash
# Installs what the model scripts need. usage: setup.sh [check|train]
#   check: ONNX + tokenizer checks and test-model variants (what ./sightline test needs)
#   train: everything for training, evaluation, export and the parity fixture
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkgs=(python3-onnx python3-numpy python3-regex)
if [ "${1:-check}" = train ]; then
  # Without OpenBLAS Debian's torch falls back to the reference BLAS and trains ~14x slower.
  pkgs+=(python3-torch python3-pil libopenblas0-pthread)
fi
"$here/../scripts/deps.sh" "${pkgs[@]}"
