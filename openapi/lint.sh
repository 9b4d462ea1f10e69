#!/usr/bin/env bash
# Lints sightline.yaml with the pinned @redocly/cli (redocly.yaml: recommended ruleset).
# usage: openapi/lint.sh [extra redocly lint options, e.g. --format=stylish]
#
# Installs the pinned packages from package-lock.json (npm ci) only when node_modules is missing; once
# installed it needs no network. Fails on any error and, as this project's policy, on any warning.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "lint.sh: node and npm are required (Node.js >= 18.17)." >&2
  echo "  Debian/Ubuntu: ../scripts/deps.sh nodejs npm   (from $(pwd))" >&2
  exit 2
fi

# @redocly/cli 1.34.x supports Node.js >= 18.17 (Debian 12's nodejs is 18.20).
node_version="$(node -p 'process.versions.node')"
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a === 18 && b >= 17) ? 0 : 1)'; then
  echo "lint.sh: Node.js ${node_version} is too old; @redocly/cli needs Node.js >= 18.17." >&2
  exit 2
fi

# No telemetry, no update check: nothing here may need the network once node_modules exists.
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export NPM_CONFIG_UPDATE_NOTIFIER=false

# (Re)install when node_modules is missing or older than the lock file (npm ci writes
# node_modules/.package-lock.json).
if [ ! -x node_modules/.bin/redocly ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing the pinned linter (npm ci)" >&2
  npm ci --no-audit --no-fund
fi

# --no-install: use the local package only, never fetch one.
set +e
output="$(npx --no-install redocly lint sightline.yaml --lint-config=error "$@" 2>&1)"
status=$?
set -e
printf '%s\n' "$output"
if [ "$status" -ne 0 ]; then
  exit "$status"
fi
if printf '%s\n' "$output" | grep -Eq 'You have [0-9]+ warnings?'; then
  echo "lint.sh: warnings are not allowed; fix them (or turn a rule off in redocly.yaml, with the reason)." >&2
  exit 1
fi
