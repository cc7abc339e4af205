// The workflow engine's own overhead: a 1,000-iteration for_loop over a block that touches no
// browser (total and per-iteration cost, block rows and outputs persisted as usual), and the
// time from POST /v1/run/agents to its first block running, with a warm worker.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/index.ts';
import { createApi } from '../src/processes.ts';
import { createTestDatabase, testEnv } from '../test/support/stack.ts';
import { ms, percentile, printTable } from './support/table.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ITERATIONS = Number(process.env.BENCH_LOOP_ITERATIONS ?? 1000);
const START_RUNS = Number(process.env.BENCH_START_RUNS ?? 20);
const TERMINAL = ['completed', 'failed', 'terminated', 'canceled', 'timed_out'];

const database = await createTestDatabase();
const env = await testEnv({ DATABASE_URL: database.url, LLM_KEY: '', LOG_LEVEL: 'error', WORKER_CONCURRENCY: '4' });
const api = await createApi(loadConfig(env), { migrate: false });
const { organizationId } = await api.services.organizations.createOrganization('bench');
const worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], { cwd: ROOT, env, stdio: 'ignore' });
const { repos } = api.core;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

async function createWorkflow(title: string, blocks: unknown[], parameters: unknown[] = []) {
  const row = await api.services.workflows.create(organizationId, { json_definition: { title, workflow_definition: { parameters, blocks } } });
  return row.workflowPermanentId;
}
async function waitTerminal(runId: string) {
  for (;;) {
    const run = await repos.runs.getById(runId);
    if (run && TERMINAL.includes(run.status)) return run;
    await sleep(10);
  }
}
async function firstBlockAt(runId: string): Promise<number> {
  for (;;) {
    const [first] = await repos.workflowRunBlocks.listForRun(organizationId, runId);
    if (first) return first.createdAt.getTime();
    await sleep(2);
  }
}

try {
  const loopWpid = await createWorkflow('loop bench', [{
    block_type: 'for_loop', label: 'loop', loop_over_parameter_key: 'items',
    loop_blocks: [{ block_type: 'wait', label: 'tick', wait_sec: 0 }],
  }], [{ key: 'items', parameter_type: 'workflow', workflow_parameter_type: 'json' }]);
  const oneWpid = await createWorkflow('start bench', [{ block_type: 'wait', label: 'first', wait_sec: 0 }]);

  // Warm-up: the worker process has loaded its modules and served one run of each.
  for (const wpid of [oneWpid, loopWpid]) {
    const warm = await api.services.workflowRuns.start(organizationId, { agent_id: wpid, parameters: { items: [1, 2, 3] } }, {});
    await waitTerminal(warm.runId);
  }

  const rows = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const t0 = performance.now();
    const run = await api.services.workflowRuns.start(organizationId, { agent_id: loopWpid, parameters: { items: Array.from({ length: ITERATIONS }, (_, i) => i) } }, {});
    const done = await waitTerminal(run.runId);
    const wall = performance.now() - t0;
    const engine = done.finishedAt!.getTime() - done.startedAt!.getTime();
    const blockRows = (await repos.workflowRunBlocks.listForRun(organizationId, run.runId)).length;
    rows.push({
      run: attempt + 1, status: done.status, iterations: ITERATIONS, 'block rows': blockRows,
      'POST → terminal': ms(wall), 'started → finished': ms(engine), 'per iteration': ms(engine / ITERATIONS),
    });
  }
  printTable(`${ITERATIONS}-iteration for_loop over a wait(0) block, block rows + outputs persisted (target total ≤ 10 s)`, rows);

  const latencies: number[] = [];
  for (let i = 0; i < START_RUNS; i++) {
    const t0 = Date.now();
    const run = await api.services.workflowRuns.start(organizationId, { agent_id: oneWpid }, {});
    latencies.push((await firstBlockAt(run.runId)) - t0);
    await waitTerminal(run.runId);
  }
  printTable(`POST → first block running, warm worker, ${START_RUNS} sequential runs (target p50 ≤ 300 ms)`, [
    { p50: ms(percentile(latencies, 50)), p95: ms(percentile(latencies, 95)), min: ms(Math.min(...latencies)), max: ms(Math.max(...latencies)) },
  ]);
} finally {
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  await api.close();
  await database.drop();
}
