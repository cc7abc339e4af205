// A real Skyport stack for integration tests: real Postgres and Redis (from `npm test`'s
// bootstrap), an API built without listening (`app.inject`), optionally an in-process worker.
// Each stack gets its own queue prefix, data folder and organization, so test files don't collide.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config/index.ts';
import { createApi, createWorker, type ApiProcess, type WorkerProcess } from '../../src/processes.ts';

export interface TestStack {
  config: Config;
  api: ApiProcess;
  worker?: WorkerProcess;
  apiKey: string;
  organizationId: string;
  request<T = any>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Record<string, unknown> }>;
  waitForRun(runId: string, until: (run: any) => boolean, timeoutMs?: number): Promise<any>;
  waitForTerminal(runId: string, timeoutMs?: number): Promise<any>;
  startWorker(envOverrides?: Record<string, string>): Promise<WorkerProcess>;
  close(): Promise<void>;
}

export const TERMINAL = ['completed', 'failed', 'terminated', 'canceled', 'timed_out'];

/**
 * Each stack gets its own database, copied from the migrated test database (a template copy takes
 * a fraction of a second), so reconcilers and lists of one test file never see another's runs.
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:54329/skyport_test');
  const template = base.pathname.slice(1);
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  const admin = new URL(base); admin.pathname = '/postgres';
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin.href });
    await client.connect();
    try { await client.query(sql); } finally { await client.end(); }
  };
  await run(`create database "${name}" template "${template}"`);
  const url = new URL(base); url.pathname = `/${name}`;
  return { url: url.href, drop: () => run(`drop database if exists "${name}" with (force)`) };
}

export async function testEnv(overrides: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'skyport-test-'));
  return {
    ...process.env,
    QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}`,
    SKYPORT_DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    WORKER_CONCURRENCY: '4',
    RECONCILE_INTERVAL_MS: '1000',
    ...overrides,
  };
}

export async function startStack(opts: { worker?: boolean; env?: Record<string, string> } = {}): Promise<TestStack> {
  const database = await createTestDatabase();
  const env = await testEnv({ DATABASE_URL: database.url, ...opts.env });
  const config = loadConfig(env);
  const api = await createApi(config, { migrate: false });
  const { organizationId, apiKey } = await api.services.organizations.createOrganization(`test-${randomBytes(3).toString('hex')}`);
  const workers: WorkerProcess[] = [];
  const stack: TestStack = {
    config, api, apiKey, organizationId,
    async request(method, url, body, headers = {}) {
      const res = await api.app.inject({
        method: method as any, url,
        headers: { 'x-api-key': apiKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      let parsed: any = res.body;
      try { parsed = res.body ? JSON.parse(res.body) : null; } catch { /* not JSON */ }
      return { status: res.statusCode, body: parsed, headers: res.headers };
    },
    async waitForRun(runId, until, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last: any;
      while (Date.now() < deadline) {
        last = (await stack.request('GET', `/v1/runs/${runId}`)).body;
        if (until(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`run ${runId} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(last)?.slice(0, 500)}`);
    },
    waitForTerminal(runId, timeoutMs) { return stack.waitForRun(runId, (r) => TERMINAL.includes(r?.status), timeoutMs); },
    async startWorker(envOverrides = {}) {
      const w = await createWorker(loadConfig({ ...env, ...envOverrides }), { migrate: false });
      workers.push(w);
      stack.worker ??= w;
      return w;
    },
    async close() {
      for (const w of workers) await w.close(1000).catch(() => {});
      await api.close();
      await database.drop().catch(() => {});
    },
  };
  if (opts.worker) await stack.startWorker();
  return stack;
}
