import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/chromium-process.ts';
import { html, serve } from '../support/fixture-server.ts';
import { startStack, type TestStack } from '../support/stack.ts';

/** A Redis of the test's own, without persistence, so a restart really loses every queued job. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = require_net().connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis did not start');
}
import net from 'node:net';
const require_net = () => net;

async function stopRedis(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
}

describe('runs accepted while Redis is down or lost in a Redis restart are not lost', () => {
  let stack: TestStack;
  let site: Awaited<ReturnType<typeof serve>>;
  let redis: ChildProcess;
  let port: number;
  let dir: string;
  before(async () => {
    site = await serve({ 'GET /page': html('<p>hello</p>') });
    port = await freePort();
    dir = await mkdtemp(path.join(os.tmpdir(), 'skyport-redis-'));
    redis = await startRedis(port, dir);
    stack = await startStack({ env: { REDIS_URL: `redis://127.0.0.1:${port}`, LLM_KEY: '', RECONCILE_INTERVAL_MS: '500' } });
  });
  after(async () => {
    // A test that failed half-way may leave Redis down; closing the queues then waits for it forever.
    if (redis.exitCode !== null || redis.signalCode !== null) redis = await startRedis(port, dir);
    await stack.close(); await stopRedis(redis).catch(() => {}); await site.close();
  });

  it('accepts a run while Redis is down and runs it once Redis is back', async () => {
    await stopRedis(redis);
    const t0 = Date.now();
    const created = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: `${site.baseUrl}/page` });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.status, 'created', 'stored, waiting for the queue');
    // A hang would never answer; a loaded machine may take a few seconds to give up on Redis.
    assert.ok(Date.now() - t0 < 15_000, 'the API did not hang on Redis');

    // A second run is enqueued, then Redis restarts empty: its job is gone.
    redis = await startRedis(port, dir);
    await new Promise((r) => setTimeout(r, 1500));
    const queued = await stack.request('POST', '/v1/run/tasks', { prompt: 'y', url: `${site.baseUrl}/page` });
    assert.equal(queued.body.status, 'queued');
    await stopRedis(redis);
    redis = await startRedis(port, dir);

    await stack.startWorker({ RECONCILE_INTERVAL_MS: '500' });
    for (const id of [created.body.run_id, queued.body.run_id]) {
      const run = await stack.waitForTerminal(id, 45_000);
      assert.equal(run.status, 'failed');
      assert.match(run.failure_reason, /LLM/, 'the run really executed');
    }
  });
});
