#!/usr/bin/env bash
# Runs the official openai npm client against a Sightline gateway.
# usage: SIGHTLINE_URL=http://127.0.0.1:8080 SIGHTLINE_KEY=<api key> gateway/src/test/node/run.sh
# Exit status 0 and one JSON line of results on success; 1 and a message on any failure.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../../.." && pwd)"
cd "$HERE"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  "$ROOT/scripts/deps.sh" nodejs npm
fi
if [ ! -d node_modules/openai ]; then
  npm ci --no-audit --no-fund >&2
fi
exec node openai-client.mjs
