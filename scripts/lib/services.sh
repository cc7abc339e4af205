#!/usr/bin/env bash
# Shared bootstrap for `npm run up`, `npm test` and `npm run bench`:
# installs what is missing, then starts Postgres and Redis as local processes
# with their data under the project (unless DATABASE_URL / REDIS_URL are given).
# Sourced, not executed: it exports DATABASE_URL, REDIS_URL and CHROMIUM_PATH.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_DIR="${SKYPORT_DATA_DIR:-$ROOT/.data}"
PG_PORT="${SKYPORT_PG_PORT:-54329}"
REDIS_PORT="${SKYPORT_REDIS_PORT:-63799}"
mkdir -p "$DATA_DIR"

log() { printf '[skyport] %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq >&2; APT_UPDATED=1; fi
  log "installing Debian packages: $*"
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >&2
}

pg_bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

ensure_system_packages() {
  local missing=()
  if [ -z "${DATABASE_URL:-}" ] && { [ -z "$(pg_bin_dir)" ] || [ ! -x "$(pg_bin_dir)/postgres" ]; }; then missing+=(postgresql); fi
  if [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null; then missing+=(redis-server); fi
  if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
  # Playwright records run videos through ffmpeg; Debian's build stands in for Playwright's download.
  if ! command -v ffmpeg >/dev/null; then missing+=(ffmpeg); fi
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
}

ensure_node_modules() {
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "installing npm packages"
    # npm ci refuses a lock file that lacks other platforms' optional binaries when the registry
    # mirror does not serve them; npm install resolves the same locked versions without them.
    (cd "$ROOT" && { npm ci --no-audit --no-fund >&2 || npm install --no-audit --no-fund >&2; })
  fi
}

# Postgres refuses to run as root, so as root the server runs as the `postgres` user
# that Debian's package creates; the data folder is handed to that user.
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then return; fi
  local bin pgdata sock
  bin="$(pg_bin_dir)"; pgdata="$DATA_DIR/postgres"; sock="$DATA_DIR/run"
  mkdir -p "$pgdata" "$sock"
  if [ "$(id -u)" = 0 ]; then chown postgres "$pgdata" "$sock"; chmod 700 "$pgdata"; fi
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    log "initialising Postgres in $pgdata"
    run_pg "$bin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 >/dev/null
  fi
  if ! run_pg "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    log "starting Postgres on 127.0.0.1:$PG_PORT"
    run_pg "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 \
      -o "-p $PG_PORT -k $sock -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >/dev/null
  fi
  local db="${1:-skyport}"
  if ! "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db"
  fi
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$db"
}

start_redis() {
  if [ -n "${REDIS_URL:-}" ]; then return; fi
  mkdir -p "$DATA_DIR/redis"
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    # appendonly: queued jobs survive a Redis restart (Postgres still holds every run).
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DATA_DIR/redis" --appendonly yes \
      --maxmemory-policy noeviction --daemonize yes --pidfile "$DATA_DIR/redis/redis.pid" \
      --logfile "$DATA_DIR/redis/redis.log"
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
}

bootstrap() {
  ensure_system_packages
  ensure_node_modules
  start_postgres "${1:-skyport}"
  start_redis
  export SKYPORT_DATA_DIR="$DATA_DIR"
}
