#!/usr/bin/env bash
# Installs the pinned npm packages (Azurite) with 'npm ci', skipping the install when node_modules already
# matches package-lock.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

stamp="node_modules/.immortals-lock.sha256"
wanted="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -f node_modules/azurite/dist/src/azurite.js ]; then
  exit 0
fi

npm ci --no-audit --no-fund
echo "$wanted" > "$stamp"
