#!/usr/bin/env bash
# `npm run down`: stops what `npm run up` / `npm test` started from this folder: the API + worker
# (drained, as on Ctrl-C), session browsers left behind by a killed worker, and the local
# Postgres and Redis under .data/. Servers given by DATABASE_URL / REDIS_URL are not touched.
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"
stop_skyport
stop_stray_browsers
stop_postgres
stop_redis
log "stopped"
