// GET /metrics: off without METRICS_TOKEN, bearer-token protected with it, Prometheus text; the
// counters move by what a real run did (model calls, steps, duration, its webhook), cluster-wide
// counts come from Postgres/Redis whichever process is scraped, and a worker-only process
// (src/worker.ts, WORKER_METRICS_PORT) is scrapable on its own.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { act, click, simpleBrain, startAgentHarness, type, type AgentHarness } from '../e2e/agent/support/scripted-agent.ts';
import { has, parsePrometheusText, sumOf, type Exposition } from '../support/prometheus-text.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = 'test-metrics-token-5f1c';
const LOCAL = { HOST: '127.0.0.1' };
const QUEUES = ['runs', 'webhooks', 'browser-sessions', 'schedules'];

async function scrapeApi(stack: TestStack, authorization?: string) {
  return stack.api.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
}

async function scrapeUrl(port: number, authorization?: string) {
  return fetch(`http://127.0.0.1:${port}/metrics`, { headers: authorization ? { authorization } : {} });
}

async function apiMetrics(stack: TestStack): Promise<Exposition> {
  const res = await scrapeApi(stack, `Bearer ${TOKEN}`);
  assert.equal(res.statusCode, 200, res.body);
  return parsePrometheusText(res.body);
}

async function portMetrics(port: number): Promise<Exposition> {
  const res = await scrapeUrl(port, `Bearer ${TOKEN}`);
  assert.equal(res.status, 200);
  return parsePrometheusText(await res.text());
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** SIGKILL a process and every descendant (Chromium runs in a process group of its own). */
function killTree(pid: number) {
  const children = (() => { try { return execFileSync('pgrep', ['-P', String(pid)]).toString().split('\n').filter(Boolean).map(Number); } catch { return []; } })();
  try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  for (const c of children) killTree(c);
}

describe('GET /metrics with METRICS_TOKEN: access and a real run', () => {
  let harness: AgentHarness;
  let rx: Receiver;
  let workerPort: number;
  before(async () => {
    rx = await startReceiver();
    harness = await startAgentHarness({ METRICS_TOKEN: TOKEN, WORKER_METRICS_PORT: '0', ...LOCAL });
    workerPort = harness.stack.worker!.metricsPort!;
    assert.ok(workerPort > 0);
  });
  after(async () => { await harness?.close(); await rx?.close(); });

  it('answers 401 without the bearer token, 200 in Prometheus text with it (no x-api-key needed)', async () => {
    const { stack } = harness;
    for (const auth of [undefined, 'Bearer wrong-token', `Bearer ${TOKEN}x`, TOKEN, `Basic ${TOKEN}`]) {
      const res = await scrapeApi(stack, auth);
      assert.equal(res.statusCode, 401, `${auth}: ${res.statusCode}`);
      assert.doesNotMatch(res.body, new RegExp(TOKEN));
    }
    // An API key is not a metrics token.
    const withKey = await stack.api.app.inject({ method: 'GET', url: '/metrics', headers: { 'x-api-key': stack.apiKey } });
    assert.equal(withKey.statusCode, 401);

    const ok = await scrapeApi(stack, `Bearer ${TOKEN}`);
    assert.equal(ok.statusCode, 200);
    assert.match(String(ok.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const m = parsePrometheusText(ok.body);
    for (const name of ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'skyport_cluster_stats_up']) assert.ok(has(m, name), name);
    assert.equal(sumOf(m, 'skyport_cluster_stats_up', { source: 'postgres' }), 1);
    assert.equal(sumOf(m, 'skyport_cluster_stats_up', { source: 'redis' }), 1);
    for (const queue of QUEUES) {
      assert.ok(has(m, 'skyport_queue_jobs', { queue, state: 'waiting' }), queue);
      assert.ok(has(m, 'skyport_queue_oldest_waiting_seconds', { queue }), queue);
    }
    for (const name of ['skyport_run_duration_seconds', 'skyport_llm_calls_total', 'skyport_webhook_attempts_total', 'skyport_browser_contexts_open']) {
      assert.ok(m.types.has(name), `${name} declared`);
    }
  });

  it('serves the worker\'s own /metrics on WORKER_METRICS_PORT under the same token rule', async () => {
    assert.equal((await scrapeUrl(workerPort)).status, 401);
    assert.equal((await scrapeUrl(workerPort, 'Bearer nope')).status, 401);
    const ok = await scrapeUrl(workerPort, `Bearer ${TOKEN}`);
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    parsePrometheusText(await ok.text());
    assert.equal((await fetch(`http://127.0.0.1:${workerPort}/other`)).status, 404);
  });

  it('moves the run, step, model-call and webhook metrics by what one task did', async () => {
    const { stack, agent, site, runTask } = harness;
    const apiBefore = await apiMetrics(stack);
    const workerBefore = await portMetrics(workerPort);
    const callsBefore = agent.llm.calls.length;

    agent.on('[metrics-test]', simpleBrain(/Welcome, alice!/, ({ page }) =>
      act('Sign in', type(page.find('Username'), 'alice'), type(page.find('Password'), 'wonderland'), click(page.find('Sign in')))));
    const run = await runTask({ prompt: 'Sign in with username alice and password wonderland. [metrics-test]', url: `${site.baseUrl}/login.html`, webhook_url: rx.url('/hook') });
    assert.equal(run.status, 'completed', run.failure_reason);
    await rx.waitFor('/hook');
    const delta = (after: Exposition, before: Exposition, name: string, where: Record<string, string> = {}) => sumOf(after, name, where) - sumOf(before, name, where);

    // The worker records the attempt once the receiver has answered.
    const workerAfter = await eventually(() => portMetrics(workerPort),
      (m) => delta(m, workerBefore, 'skyport_webhook_attempts_total') >= 1, 'webhook attempt counted');
    assert.equal(delta(workerAfter, workerBefore, 'skyport_webhook_attempts_total', { outcome: 'delivered', trigger: 'terminal' }), 1);
    assert.equal(delta(workerAfter, workerBefore, 'skyport_webhook_attempts_total'), 1);

    const calls = agent.llm.calls.length - callsBefore;
    assert.ok(calls >= 2, `model calls: ${calls}`);
    assert.equal(delta(workerAfter, workerBefore, 'skyport_llm_calls_total'), calls);
    assert.equal(delta(workerAfter, workerBefore, 'skyport_llm_calls_total', { provider: 'openai_compatible', outcome: 'ok' }), calls);
    assert.ok(delta(workerAfter, workerBefore, 'skyport_llm_calls_total', { purpose: 'action' }) >= 1);
    assert.equal(delta(workerAfter, workerBefore, 'skyport_llm_call_duration_seconds_count'), calls);
    assert.ok(delta(workerAfter, workerBefore, 'skyport_llm_tokens_total', { direction: 'input' }) > 0);
    assert.ok(delta(workerAfter, workerBefore, 'skyport_llm_tokens_total', { direction: 'output' }) > 0);
    assert.ok(has(workerAfter, 'skyport_llm_cost_usd_total', { provider: 'openai_compatible', purpose: 'action' }));

    assert.equal(delta(workerAfter, workerBefore, 'skyport_run_duration_seconds_count', { run_type: 'task_v1', status: 'completed' }), 1);
    assert.ok(delta(workerAfter, workerBefore, 'skyport_run_duration_seconds_sum', { run_type: 'task_v1', status: 'completed' }) > 0);
    assert.equal(delta(workerAfter, workerBefore, 'skyport_step_duration_seconds_count', { run_type: 'task_v1' }), run.step_count);
    // The run's context was released.
    assert.equal(sumOf(workerAfter, 'skyport_browser_contexts_open', { kind: 'local' }), 0);

    // Cluster-wide counts come from Postgres, so the API (which ran nothing) reports the run too.
    const apiAfter = await apiMetrics(stack);
    assert.equal(delta(apiAfter, apiBefore, 'skyport_runs_created_total', { run_type: 'task_v1' }), 1);
    assert.equal(delta(apiAfter, apiBefore, 'skyport_runs_finished_total', { run_type: 'task_v1', status: 'completed' }), 1);
    assert.equal(delta(apiAfter, apiBefore, 'skyport_runs_finished_total'), 1);
    assert.equal(sumOf(apiAfter, 'skyport_runs_active'), 0);
    // …while the API process itself made no model call.
    assert.equal(delta(apiAfter, apiBefore, 'skyport_llm_calls_total'), 0);
  });
});

describe('GET /metrics: queue depth from Redis, and a worker-only process (src/worker.ts)', () => {
  let stack: TestStack;
  let child: ChildProcess | undefined;
  let stderr = '';
  before(async () => { stack = await startStack({ env: { METRICS_TOKEN: TOKEN, LLM_KEY: '', ...LOCAL } }); });
  after(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => killTree(child!.pid!), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await stack?.close();
  });

  it('counts a run waiting with no worker, then a separate worker process runs it and is scrapable', async () => {
    const page = await startReceiver(() => ({ status: 200 }), { '/page': {} });
    try {
      const created = await stack.request('POST', '/v1/run/tasks', { prompt: 'look around', url: page.url('/page') });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const runId = created.body.run_id as string;
      const waiting = await eventually(() => apiMetrics(stack),
        (m) => sumOf(m, 'skyport_queue_oldest_waiting_seconds', { queue: 'runs' }) >= 1, 'oldest waiting job ages');
      assert.equal(sumOf(waiting, 'skyport_queue_jobs', { queue: 'runs', state: 'waiting' }), 1);
      assert.equal(sumOf(waiting, 'skyport_queue_jobs', { queue: 'runs', state: 'active' }), 0);
      assert.equal(sumOf(waiting, 'skyport_runs_active', { run_type: 'task_v1', status: 'queued' }), 1);
      assert.equal(sumOf(waiting, 'skyport_runs_created_total', { run_type: 'task_v1' }), 1);
      assert.equal(sumOf(waiting, 'skyport_runs_finished_total'), 0);

      const port = await freePort();
      child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
        cwd: ROOT, env: { ...process.env, ...stack.config.env, WORKER_METRICS_PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
      await eventually(() => scrapeUrl(port, `Bearer ${TOKEN}`).then((r) => r.status).catch(() => 0), (s) => s === 200, `worker /metrics (stderr: ${stderr.slice(-500)})`, 60_000);
      assert.equal((await scrapeUrl(port)).status, 401);

      // No model is configured: the worker opens the page and fails the run, naming the settings.
      const run = await stack.waitForTerminal(runId, 60_000);
      assert.equal(run.status, 'failed');
      const fromWorker = await eventually(() => portMetrics(port),
        (m) => sumOf(m, 'skyport_run_duration_seconds_count', { run_type: 'task_v1', status: 'failed' }) === 1, 'worker observed the run');
      assert.equal(sumOf(fromWorker, 'skyport_runs_finished_total', { run_type: 'task_v1', status: 'failed' }), 1);
      assert.equal(sumOf(fromWorker, 'skyport_queue_jobs', { queue: 'runs', state: 'waiting' }), 0);
      assert.equal(sumOf(fromWorker, 'skyport_browser_contexts_open'), 0);
      const fromApi = await apiMetrics(stack);
      assert.equal(sumOf(fromApi, 'skyport_runs_finished_total', { run_type: 'task_v1', status: 'failed' }), 1);
      assert.equal(sumOf(fromApi, 'skyport_queue_oldest_waiting_seconds', { queue: 'runs' }), 0);
    } finally {
      await page.close();
    }
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  let stack: TestStack;
  before(async () => { stack = await startStack({ env: { METRICS_TOKEN: '', ...LOCAL } }); });
  after(async () => { await stack?.close(); });

  it('answers 404 on the API and on a worker\'s WORKER_METRICS_PORT, token or not', async () => {
    assert.equal((await scrapeApi(stack)).statusCode, 404);
    assert.equal((await scrapeApi(stack, `Bearer ${TOKEN}`)).statusCode, 404);
    const worker = await stack.startWorker({ WORKER_METRICS_PORT: '0' });
    assert.ok(worker.metricsPort);
    assert.equal((await scrapeUrl(worker.metricsPort!)).status, 404);
    assert.equal((await scrapeUrl(worker.metricsPort!, `Bearer ${TOKEN}`)).status, 404);
  });
});
