#!/usr/bin/env bash
# `npm run rotate-secret`: re-seal stored API keys and credentials under a new sealing key
# (src/rotate-secret.ts). Stop the server first (`npm run down`); the local Postgres is started if needed.
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"
ensure_node_modules
start_postgres skyport
export SKYPORT_DATA_DIR="$DATA_DIR"
cd "$ROOT"
exec npx tsx src/rotate-secret.ts "$@"
