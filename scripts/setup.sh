#!/usr/bin/env bash
# Everything a fresh machine needs before `plan run` or `npm test`: Node dependencies from the lockfile,
# a Docker engine that answers, and the offline base images. Quick when all of it is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

stamp=node_modules/.testplan-lock-hash
hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ] || [ ! -d dist ]; then
  npm ci --no-audit --no-fund
  echo "$hash" > "$stamp"
fi
bash scripts/docker-engine.sh
bash scripts/node-image.sh
