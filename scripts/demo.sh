#!/usr/bin/env bash
# Loads the demo collection (seeded coloured-shape images + captions) and prints example searches.
# usage: scripts/demo.sh [--url URL] [--key KEY] [--collection NAME] [--images N] [--seed SEED]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/deps.sh" python3-pil python3-numpy
exec /usr/bin/python3 "$ROOT/scripts/demo.py" "$@"
