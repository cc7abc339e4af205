// A session lives in the worker process that launched its browser. When that worker stops
// (SIGTERM) it ends its sessions cleanly; when it dies (SIGKILL) the reconciler of any other
// worker marks the session ended once its lease runs out — never "running" forever.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack, type TestStack } from '../support/stack.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FAST_LOCKS = { JOB_LOCK_MS: '2000', LLM_KEY: '' };

function killTree(pid: number) {
  const children = (() => { try { return execFileSync('pgrep', ['-P', String(pid)]).toString().split('\n').filter(Boolean).map(Number); } catch { return []; } })();
  try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  for (const c of children) killTree(c);
}

async function cdpAnswers(address: string): Promise<boolean> {
  try { return (await fetch(`${address}/json/version`, { signal: AbortSignal.timeout(2000) })).ok; } catch { return false; }
}

describe('browser sessions when their worker stops or dies', () => {
  let stack: TestStack;
  const children: ChildProcess[] = [];
  before(async () => { stack = await startStack({ env: FAST_LOCKS }); });
  after(async () => { for (const c of children) killTree(c.pid!); await stack.close(); });

  const spawnWorker = (env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], { cwd: ROOT, env: { ...process.env, ...stack.config.env, ...FAST_LOCKS, ...env }, stdio: 'ignore' });
    children.push(child);
    return child;
  };
  const waitForSession = async (id: string, until: (s: any) => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = (await stack.request('GET', `/v1/browser_sessions/${id}`)).body;
      if (until(s)) return s;
      if (Date.now() > deadline) throw new Error(`session ${id} did not reach the state; last ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('ends its sessions cleanly on SIGTERM (browser reached through the forwarder on fixed ports)', async () => {
    // Fixed ports turn on the forwarder a deployment uses to expose sessions to other containers.
    const worker = spawnWorker({ BROWSER_SESSION_PORTS: '39600-39699', BROWSER_SESSION_ADVERTISED_HOST: 'localhost' });
    const created = await stack.request('POST', '/v1/browser_sessions', { generate_browser_profile: true });
    assert.equal(created.status, 200);
    const running = await waitForSession(created.body.browser_session_id, (s) => s.status === 'running');
    assert.match(running.browser_address, /^http:\/\/localhost:396\d\d\/[\w-]{32}$/, 'the forwarder\'s address carries the session\'s token');
    assert.ok(await cdpAnswers(running.browser_address));
    const bare = new URL(running.browser_address).origin;
    assert.equal((await fetch(`${bare}/json/version`)).status, 401, 'without the token the port answers nothing');
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
    const ended = await waitForSession(created.body.browser_session_id, (s) => s.status !== 'running', 5_000);
    assert.equal(ended.status, 'completed');
    assert.ok(ended.completed_at);
    assert.equal(await cdpAnswers(running.browser_address), false, 'the browser stopped with its worker');
    const row = await stack.api.core.repos.browserSessions.getById(created.body.browser_session_id);
    assert.ok(row!.savedState, 'a clean stop still saves the state it was asked to keep');
  });

  it('marks a session ended when its worker died and its lease ran out', async () => {
    const worker = spawnWorker();
    const created = await stack.request('POST', '/v1/browser_sessions', {});
    const id = created.body.browser_session_id;
    await waitForSession(id, (s) => s.status === 'running');
    killTree(worker.pid!);
    const killedAt = Date.now();
    // Another worker's reconciler notices the lease (2 × JOB_LOCK_MS) expire.
    await stack.startWorker(FAST_LOCKS);
    const ended = await waitForSession(id, (s) => s.status !== 'running', 20_000);
    assert.equal(ended.status, 'failed');
    assert.ok(ended.completed_at);
    assert.equal(ended.browser_address, null);
    assert.ok(Date.now() - killedAt < 20_000);
    const runs = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', browser_session_id: id });
    assert.equal(runs.status, 400, 'a run can no longer name it');
  });
});
