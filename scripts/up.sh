#!/usr/bin/env bash
# `npm run up`: install what is missing, start Postgres + Redis locally, migrate, serve API + worker.
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"
bootstrap skyport
cd "$ROOT"
npx tsx src/db/migrate.ts
# node itself (no npx/tsx wrapper processes), so Ctrl-C and `npm run down` reach it directly.
exec node --import tsx src/all.ts
