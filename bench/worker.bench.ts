// The worker as users meet it: time from POST to the run's first navigation with a warm worker,
// and worker memory (process tree PSS, Chromium included) per concurrent run and over many runs.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/index.ts';
import { createApi } from '../src/processes.ts';
import { html, serve } from '../test/support/fixture-server.ts';
import { createTestDatabase, testEnv } from '../test/support/stack.ts';
import { treePssBytes } from './support/process-memory.ts';
import { mb, ms, percentile, printTable } from './support/table.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEQUENTIAL_RUNS = Number(process.env.BENCH_SEQUENTIAL_RUNS ?? 200);
const TERMINAL = ['completed', 'failed', 'terminated', 'canceled', 'timed_out'];

const hits = new Map<string, number>();
const site = await serve({
  'GET /page': (req, res) => { const id = new URL(req.url!, 'http://x').searchParams.get('i')!; hits.set(id, performance.now()); html('<h1>bench</h1>')(req, res); },
  'GET /hang': (req) => { const id = new URL(req.url!, 'http://x').searchParams.get('i')!; hits.set(id, performance.now()); },
});
const database = await createTestDatabase();
const env = await testEnv({ DATABASE_URL: database.url, LLM_KEY: '', LOG_LEVEL: 'error', WORKER_CONCURRENCY: '8' });
const api = await createApi(loadConfig(env), { migrate: false });
const { organizationId } = await api.services.organizations.createOrganization('bench');
const worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], { cwd: ROOT, env, stdio: 'ignore' });

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const post = (url: string) => api.services.runs.createTaskRun(organizationId, { prompt: 'bench', url });
async function waitTerminal(runId: string) {
  for (;;) {
    const run = await api.core.repos.runs.getById(runId);
    if (run && TERMINAL.includes(run.status)) return run;
    await sleep(20);
  }
}
async function waitHits(ids: string[]) { while (!ids.every((i) => hits.has(i))) await sleep(10); }

try {
  // Warm-up: the worker has launched Chromium and served one run.
  const warm = await post(`${site.baseUrl}/page?i=warm`);
  await waitTerminal(warm.runId);

  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    const id = `lat${i}`;
    const t0 = performance.now();
    const run = await post(`${site.baseUrl}/page?i=${id}`);
    await waitHits([id]);
    latencies.push(hits.get(id)! - t0);
    await waitTerminal(run.runId);
  }
  printTable('POST → first navigation, warm worker, 20 sequential runs (target p50 ≤ 300 ms)', [
    { p50: ms(percentile(latencies, 50)), p95: ms(percentile(latencies, 95)), min: ms(Math.min(...latencies)), max: ms(Math.max(...latencies)) },
  ]);

  await sleep(1000);
  const idle = treePssBytes(worker.pid!);
  const memRows: Record<string, string | number>[] = [{ 'concurrent runs': 0, 'worker tree PSS': mb(idle), 'per run (total / N)': '-', 'per run (added / N)': '-' }];
  for (const n of [1, 4, 8]) {
    const ids = Array.from({ length: n }, (_, k) => `c${n}_${k}`);
    const runs = await Promise.all(ids.map((id) => post(`${site.baseUrl}/hang?i=${id}`)));
    await waitHits(ids);
    await sleep(1500);
    const total = treePssBytes(worker.pid!);
    memRows.push({ 'concurrent runs': n, 'worker tree PSS': mb(total), 'per run (total / N)': mb(total / n), 'per run (added / N)': mb((total - idle) / n) });
    await api.services.runs.bulkCancel(organizationId, runs.map((r) => r.runId));
    await Promise.all(runs.map((r) => waitTerminal(r.runId)));
    await sleep(500);
  }
  printTable('Worker memory per concurrent run, Chromium included (target ≤ 150 MB per run)', memRows);

  let before = 0;
  const t0 = performance.now();
  for (let i = 0; i < SEQUENTIAL_RUNS; i++) {
    const run = await post(`${site.baseUrl}/page?i=seq${i}`);
    await waitTerminal(run.runId);
    if (i === 9) { await sleep(500); before = treePssBytes(worker.pid!); }
  }
  await sleep(1000);
  const after = treePssBytes(worker.pid!);
  printTable(`Worker memory over ${SEQUENTIAL_RUNS} sequential runs (target: growth ≤ 10%)`, [
    { 'after 10 runs': mb(before), [`after ${SEQUENTIAL_RUNS} runs`]: mb(after), growth: `${(((after - before) / before) * 100).toFixed(1)}%`, 'runs/s': (SEQUENTIAL_RUNS / ((performance.now() - t0) / 1000)).toFixed(1) },
  ]);
} finally {
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  await api.close();
  await database.drop();
  await site.close();
}
