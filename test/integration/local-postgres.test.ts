// Issue 12, part 5: the Postgres that `npm run up` starts (scripts/lib/services.sh) is durable
// (fsync on) and asks for a password (scram, generated, 0600 file); a cluster an older bootstrap
// made with `-A trust` is migrated on start. Each case starts a cluster of its own in a temp folder.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../support/chromium-process.ts';

const SERVICES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scripts/lib/services.sh');

function bash(script: string, env: Record<string, string>): string {
  const base = { ...process.env };
  // `npm test` asks for fsync off; these clusters are started the way `npm run up` starts them.
  delete base.SKYPORT_PG_FSYNC; delete base.DATABASE_URL; delete base.PGPASSWORD;
  return execFileSync('bash', ['-c', `set -euo pipefail; source "${SERVICES}"; ${script}`], { env: { ...base, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function query(url: string, sql: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try { return String(Object.values((await client.query(sql)).rows[0] ?? {})[0]); } finally { await client.end(); }
}

describe('the local Postgres of `npm run up`', () => {
  const dirs: { env: Record<string, string> }[] = [];
  after(async () => {
    for (const d of dirs) {
      try { bash('stop_postgres', d.env); } catch { /* already stopped */ }
      await rm(d.env.SKYPORT_DATA_DIR!, { recursive: true, force: true });
    }
  });
  const cluster = async () => {
    const env = { SKYPORT_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'skyport-pg-')), SKYPORT_PG_PORT: String(await freePort()) };
    dirs.push({ env });
    return env;
  };

  async function assertPrivateAndDurable(env: Record<string, string>, url: string) {
    assert.match(url, /^postgres:\/\/postgres:[0-9a-f]{48}@127\.0\.0\.1:\d+\/skyport$/);
    assert.equal(await query(url, 'show fsync'), 'on');
    const hba = await readFile(path.join(env.SKYPORT_DATA_DIR!, 'postgres/pg_hba.conf'), 'utf8');
    const rules = hba.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    assert.ok(rules.length > 0);
    for (const rule of rules) assert.match(rule, /scram-sha-256\s*$/, rule);
    const pwFile = path.join(env.SKYPORT_DATA_DIR!, 'postgres_password');
    assert.equal((await stat(pwFile)).mode & 0o777, 0o600);
    const noPassword = new URL(url); noPassword.password = '';
    await assert.rejects(query(noPassword.href, 'select 1'), /password/);
    const wrong = new URL(url); wrong.password = 'nope';
    await assert.rejects(query(wrong.href, 'select 1'), /password authentication failed/);
  }

  it('a new cluster: fsync on, scram password auth, password in a 0600 file', async () => {
    const env = await cluster();
    const url = bash('start_postgres skyport >/dev/null; echo "$DATABASE_URL"', env).trim();
    await assertPrivateAndDurable(env, url);
  });

  it('a cluster made with -A trust and run with fsync=off is migrated on start', async () => {
    const env = await cluster();
    // What the bootstrap did before: initdb -A trust, fsync=off on the command line.
    bash(`bin="$(pg_bin_dir)"; pgdata="$DATA_DIR/postgres"; sock="$DATA_DIR/run"; mkdir -p "$pgdata" "$sock"
      if [ "$(id -u)" = 0 ]; then chown postgres "$pgdata" "$sock"; chmod 700 "$pgdata"; let_postgres_reach "$DATA_DIR"; fi
      run_pg "$bin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 >/dev/null
      run_pg "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 -o "-p $PG_PORT -k $sock -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
      "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres skyport`, env);
    const trustUrl = `postgres://postgres@127.0.0.1:${env.SKYPORT_PG_PORT}/skyport`;
    await query(trustUrl, 'create table kept (v text)');
    await query(trustUrl, `insert into kept values ('before')`);
    // Restarted by the new bootstrap (as after `npm run down`): migrated and durable, data kept.
    bash('stop_postgres', env);
    const url = bash('start_postgres skyport >/dev/null; echo "$DATABASE_URL"', env).trim();
    await assertPrivateAndDurable(env, url);
    assert.equal(await query(url, 'select v from kept'), 'before');
    // Started again: the same password still works.
    bash('stop_postgres', env);
    assert.equal(bash('start_postgres skyport >/dev/null; echo "$DATABASE_URL"', env).trim(), url);
  });

  it('`npm test` (SKYPORT_PG_FSYNC=off) turns fsync off only on a cluster it starts', async () => {
    const env = await cluster();
    const url = bash('SKYPORT_PG_FSYNC=off; PG_FSYNC=off; start_postgres skyport >/dev/null; echo "$DATABASE_URL"', env).trim();
    assert.equal(await query(url, 'show fsync'), 'off');
    bash('start_postgres skyport >/dev/null', env);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await query(url, 'show fsync'), 'on', '`npm run up` on the running cluster turns it on');
    bash('PG_FSYNC=off; start_postgres skyport >/dev/null', env);
    assert.equal(await query(url, 'show fsync'), 'on', 'a test run does not lower it on a cluster it did not start');
  });
});
