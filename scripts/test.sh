#!/usr/bin/env bash
# `npm test`: same bootstrap as `npm run up`, on its own database, then the whole suite.
set -euo pipefail
# Speed over durability for throwaway test data: fsync off, only on a cluster this run starts.
export SKYPORT_PG_FSYNC="${SKYPORT_PG_FSYNC:-off}"
source "$(dirname "$0")/lib/services.sh"
bootstrap skyport_test
cd "$ROOT"
npx tsx src/db/migrate.ts
export NODE_ENV=test LOG_LEVEL="${LOG_LEVEL:-warn}"
files=$(find src test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
if [ "$#" -gt 0 ]; then files="$*"; fi
# Two test files at a time: the machine has 2 cores and many files drive Chromium.
exec node --import tsx --test --test-concurrency=2 --test-timeout=300000 $files
