#!/usr/bin/env bash
# `npm run openapi`: regenerate openapi/openapi.json (needs the same local services as the tests).
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"
bootstrap skyport_test
cd "$ROOT"
npx tsx src/db/migrate.ts
npx tsx scripts/write-openapi.ts
