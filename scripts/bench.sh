#!/usr/bin/env bash
# `npm run bench`: same bootstrap, then every benchmark in bench/, each printing a table.
set -euo pipefail
# Speed over durability for throwaway benchmark data: fsync off, only on a cluster this run starts.
export SKYPORT_PG_FSYNC="${SKYPORT_PG_FSYNC:-off}"
source "$(dirname "$0")/lib/services.sh"
bootstrap skyport_bench
cd "$ROOT"
npx tsx src/db/migrate.ts
export LOG_LEVEL="${LOG_LEVEL:-warn}"
for b in ${*:-$(ls bench/*.bench.ts | sort)}; do
  echo "## $b"
  npx tsx "$b"
done
