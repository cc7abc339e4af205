import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { html, serve } from '../support/fixture-server.ts';
import { startStack, type TestStack } from '../support/stack.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
async function waitFor(cond: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) { if (Date.now() > deadline) throw new Error('condition not met'); await new Promise((r) => setTimeout(r, 50)); }
}

/** SIGKILL a process and every descendant (Playwright starts Chromium in a process group of its own). */
function killTree(pid: number) {
  const children = (() => { try { return execFileSync('pgrep', ['-P', String(pid)]).toString().split('\n').filter(Boolean).map(Number); } catch { return []; } })();
  try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  for (const c of children) killTree(c);
}

const FAST_LOCKS = { JOB_LOCK_MS: '2000', LLM_KEY: '' };

describe('a worker that dies or stops mid-run loses nothing', () => {
  let stack: TestStack;
  let site: Awaited<ReturnType<typeof serve>>;
  let hits = 0;
  let hang = true;
  before(async () => {
    // While `hang` is set the page never answers (the run is mid-flight when its worker goes away).
    site = await serve({
      'GET /flaky': (req, res) => { hits += 1; if (hang) return; html('<p>answered</p>')(req, res); },
    });
    stack = await startStack({ env: FAST_LOCKS });
  });
  after(async () => { await stack.close(); await site.close(); });

  it('retries a run whose worker was SIGKILLed, within 60 s', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: ROOT, env: { ...process.env, ...stack.config.env, ...FAST_LOCKS }, stdio: 'ignore',
    });
    try {
      const created = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: `${site.baseUrl}/flaky` });
      const id = created.body.run_id;
      hang = true; hits = 0;
      await stack.waitForRun(id, (r) => r.status === 'running', 30_000);
      await waitFor(() => hits > 0);
      killTree(child.pid!);
      const killedAt = Date.now();
      hang = false;
      await stack.startWorker(FAST_LOCKS);
      const run = await stack.waitForTerminal(id, 60_000);
      assert.ok(Date.now() - killedAt < 60_000);
      const row = await stack.api.core.repos.runs.getById(id);
      assert.equal(row!.attempts, 2, 'the run was executed again by the surviving worker');
      assert.equal(run.status, 'failed');
      assert.match(run.failure_reason, /LLM/, 'the retry got past the page the dead worker was stuck on');
    } finally {
      killTree(child.pid!);
    }
  });

  it('hands in-flight runs back on drain and another worker finishes them', async () => {
    const first = stack.worker!;
    hang = true; hits = 0;
    const created = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: `${site.baseUrl}/flaky` });
    const id = created.body.run_id;
    await stack.waitForRun(id, (r) => r.status === 'running', 30_000);
    await waitFor(() => hits > 0);
    await first.close(300);
    hang = false;
    const handedBack = await stack.api.core.repos.runs.getById(id);
    assert.equal(handedBack!.status, 'queued', 'drained run went back to the queue, not abandoned');
    await stack.startWorker(FAST_LOCKS);
    const run = await stack.waitForTerminal(id, 30_000);
    assert.equal(run.status, 'failed');
    assert.match(run.failure_reason, /LLM/);
  });
});
