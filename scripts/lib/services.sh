#!/usr/bin/env bash
# Shared bootstrap for `npm run up`, `npm test` and `npm run bench`:
# installs what is missing, then starts Postgres and Redis as local processes
# with their data under the project (unless DATABASE_URL / REDIS_URL are given).
# Sourced, not executed: it exports DATABASE_URL, REDIS_URL and CHROMIUM_PATH.
# The stop_* functions undo it for `npm run down`.

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
    # npm ci installs exactly the lock and never rewrites it, so a clone stays clean.
    (cd "$ROOT" && npm ci --no-audit --no-fund >&2)
  fi
}

# Postgres refuses to run as root, so as root the server runs as the `postgres` user
# that Debian's package creates; the data folder is handed to that user.
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A clone under /root or a mktemp folder (both mode 700) is closed to the postgres user. Folders
# on the way to .data get search permission for others (o+x: pass through, not list).
let_postgres_reach() {
  runuser -u postgres -- test -x "$1" 2>/dev/null && return 0
  local dir="" part
  local IFS=/
  for part in ${1#/}; do
    dir="$dir/$part"
    if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
      log "letting the postgres user pass through $dir (chmod o+x)"
      chmod o+x "$dir"
    fi
  done
}

# The local cluster asks for a password (scram-sha-256), never `trust`: the superuser's password is
# generated once and kept in $DATA_DIR/postgres_password (0600), and DATABASE_URL carries it.
PG_PASSWORD_FILE="$DATA_DIR/postgres_password"
# fsync on unless the caller asks otherwise: `npm test` and `npm run bench` pass SKYPORT_PG_FSYNC=off.
PG_FSYNC="${SKYPORT_PG_FSYNC:-on}"

pg_password() {
  if [ ! -s "$PG_PASSWORD_FILE" ]; then
    (umask 077; od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$PG_PASSWORD_FILE.tmp" && mv "$PG_PASSWORD_FILE.tmp" "$PG_PASSWORD_FILE")
  fi
  chmod 600 "$PG_PASSWORD_FILE"
  cat "$PG_PASSWORD_FILE"
}

pg_hba_trusts() { grep -Eq '^[[:space:]]*[^#[:space:]].*[[:space:]]trust[[:space:]]*$' "$1/pg_hba.conf"; }

# initdb's --pwfile must be readable by the user initdb runs as (postgres, when we are root).
pg_init() {
  local bin="$1" pgdata="$2" sock="$3" pwfile="$3/.initdb-pw"
  (umask 077; printf '%s\n' "$(pg_password)" >"$pwfile")
  if [ "$(id -u)" = 0 ]; then chown postgres "$pwfile"; fi
  run_pg "$bin/initdb" -D "$pgdata" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" -E UTF8 >/dev/null
  rm -f "$pwfile"
}

# A cluster made before passwords (initdb -A trust): give postgres the password, then replace every
# `trust` in pg_hba.conf with scram-sha-256 and reload. Runs while trust still lets us in.
pg_migrate_trust() {
  local bin="$1" pgdata="$2"
  log "securing the Postgres cluster made with trust auth: password auth from now on ($PG_PASSWORD_FILE)"
  "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -c "set password_encryption = 'scram-sha-256'" \
    -c "alter role postgres password '$(pg_password)'" >/dev/null
  run_pg sed -i -E '/^[[:space:]]*#/!s/([[:space:]])trust([[:space:]]*)$/\1scram-sha-256\2/' "$pgdata/pg_hba.conf"
  PGPASSWORD="$(pg_password)" "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qtAc "select pg_reload_conf()" >/dev/null
}

# fsync is applied with ALTER SYSTEM + reload (no restart). `npm run up` always turns it on; a run
# that asks for off (tests, bench) only lowers it on a cluster it started itself, so a cluster
# serving `npm run up` stays durable.
pg_apply_fsync() {
  local bin="$1" started_here="$2" psql current src
  psql=("$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qtA)
  read -r current src < <("${psql[@]}" -F ' ' -c "select setting, source from pg_settings where name = 'fsync'")
  if [ "$PG_FSYNC" = off ] && [ -z "$started_here" ]; then return 0; fi
  if [ "$current" != "$PG_FSYNC" ]; then
    "${psql[@]}" -c "alter system set fsync = $PG_FSYNC" -c "select pg_reload_conf()" >/dev/null
    if [ "$src" = "command line" ]; then
      log "Postgres was started with fsync=$current on its command line; restart it to apply fsync=$PG_FSYNC (npm run down, then npm run up)"
    fi
  fi
}

start_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then return; fi
  local bin pgdata sock started_here=""
  bin="$(pg_bin_dir)"; pgdata="$DATA_DIR/postgres"; sock="$DATA_DIR/run"
  mkdir -p "$pgdata" "$sock"
  if [ "$(id -u)" = 0 ]; then chown postgres "$pgdata" "$sock"; chmod 700 "$pgdata"; let_postgres_reach "$DATA_DIR"; fi
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    log "initialising Postgres in $pgdata"
    pg_init "$bin" "$pgdata" "$sock"
  fi
  if ! run_pg "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    log "starting Postgres on 127.0.0.1:$PG_PORT (fsync=$PG_FSYNC)"
    run_pg "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 \
      -o "-p $PG_PORT -k $sock -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
    started_here=1
  fi
  if pg_hba_trusts "$pgdata"; then pg_migrate_trust "$bin" "$pgdata"; fi
  local -x PGPASSWORD; PGPASSWORD="$(pg_password)"
  pg_apply_fsync "$bin" "$started_here"
  local db="${1:-skyport}"
  if ! "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc "select 1 from pg_database where datname='$db'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$db"
  fi
  export DATABASE_URL="postgres://postgres:$(pg_password)@127.0.0.1:$PG_PORT/$db"
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
  local managed=()
  [ -z "${DATABASE_URL:-}" ] && managed+=(Postgres)
  [ -z "${REDIS_URL:-}" ] && managed+=(Redis)
  start_postgres "${1:-skyport}"
  start_redis
  # Named in the stop message of `npm run up`: what keeps running after Ctrl-C.
  export SKYPORT_LOCAL_SERVICES="${managed[*]:-}"
  export SKYPORT_DATA_DIR="$DATA_DIR"
}

# The API + worker of `npm run up` writes its pid here (src/all.ts).
SKYPORT_PID_FILE="$DATA_DIR/skyport.pid"

# SIGTERM drains the worker (DRAIN_TIMEOUT_MS, 25 s by default); a process still alive after that
# and a margin is killed.
stop_skyport() {
  [ -f "$SKYPORT_PID_FILE" ] || return 0
  local pid; pid="$(cat "$SKYPORT_PID_FILE")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping the API + worker (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 400); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "still running after 40 s; killing it"; kill -KILL "$pid"; fi
  fi
  rm -f "$SKYPORT_PID_FILE"
}

# Browser-session Chromiums are separate processes with their profile under .data/; a worker that
# was killed (not drained) leaves them running.
stop_stray_browsers() {
  if pkill -TERM -f -- "--user-data-dir=$DATA_DIR/" 2>/dev/null; then
    log "stopping browsers left by a killed worker"
    sleep 1
    pkill -KILL -f -- "--user-data-dir=$DATA_DIR/" 2>/dev/null || true
  fi
}

stop_postgres() {
  [ -n "${DATABASE_URL:-}" ] && return 0
  local bin pgdata; bin="$(pg_bin_dir)"; pgdata="$DATA_DIR/postgres"
  [ -n "$bin" ] && [ -f "$pgdata/PG_VERSION" ] || return 0
  if run_pg "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    log "stopping Postgres"
    run_pg "$bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
  fi
}

stop_redis() {
  [ -n "${REDIS_URL:-}" ] && return 0
  command -v redis-cli >/dev/null || return 0
  if redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    log "stopping Redis"
    redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || break; sleep 0.1; done
  fi
}
