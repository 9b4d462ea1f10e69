#!/usr/bin/env bash
# Runs the web console's browser test (console.mjs: playwright-core driving Debian's Chromium, headless).
# usage: SIGHTLINE_URL=... SIGHTLINE_KEY=... IMAGES_DIR=<PNG files> OUT_DIR=<screenshots> gateway/src/test/console/run.sh
# Installs what it needs when missing: Node.js and npm, Chromium (Debian packages), playwright-core (npm ci).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../../.." && pwd)"
cd "$HERE"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || "$ROOT/scripts/deps.sh" nodejs npm
[ -x /usr/bin/chromium ] || "$ROOT/scripts/deps.sh" chromium
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund >&2
fi
exec node console.mjs
