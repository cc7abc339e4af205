// Webhook delivery throughput and delay: runs reach a terminal status the way the worker makes them
// (status write, then the onTerminal hook), and a local receiver notes when each POST arrives.
// Delay = arrival − terminal status write. Target: p95 ≤ 1 s. Prints a markdown table; asserts nothing.
// Run: `npm run bench`, or `source scripts/lib/services.sh && bootstrap skyport_bench && npx tsx bench/webhooks.bench.ts`.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config/index.ts';
import { generateId, ID_PREFIX } from '../src/domain/ids.ts';
import { createApi, createWorker } from '../src/processes.ts';
import { startReceiver } from '../test/support/webhook-receiver.ts';

const BURST_RUNS = Number(process.env.BENCH_WEBHOOK_BURST ?? 500);
const STEADY_RUNS = Number(process.env.BENCH_WEBHOOK_STEADY ?? 300);
const STEADY_EVERY_MS = Number(process.env.BENCH_WEBHOOK_EVERY_MS ?? 10);

const env = {
  ...process.env,
  QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`,
  SKYPORT_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'skyport-bench-')),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
};
const config = loadConfig(env);
const api = await createApi(config, { migrate: true });
const worker = await createWorker(config, { migrate: false });
const rx = await startReceiver();
const { organizationId } = await api.services.organizations.createOrganization(`bench-${randomBytes(2).toString('hex')}`);
const { runs } = api.core.repos;

const terminalAt = new Map<string, number>();

/** Makes a run, then ends it as processRun does: guarded status write, then the hook. */
async function finishOne(): Promise<void> {
  const run = await runs.insert({
    runId: generateId(ID_PREFIX.task), organizationId, runType: 'task_v1', status: 'running',
    request: { prompt: 'bench' }, webhookUrl: rx.url('/hook'), startedAt: new Date(),
  });
  const done = await runs.transition(run.runId, 'completed', { output: { ok: true } });
  terminalAt.set(run.runId, Date.now());
  await api.core.hooks.onTerminal(done!);
}

async function collect(count: number, startIndex: number): Promise<number[]> {
  const hooks = await rx.waitFor('/hook', startIndex + count, 120_000);
  return hooks.slice(startIndex).map((h) => h.receivedAt - terminalAt.get(h.body.run_id)!);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

function row(name: string, delays: number[], spanMs: number) {
  const s = [...delays].sort((a, b) => a - b);
  return `| ${name} | ${s.length} | ${(s.length / (spanMs / 1000)).toFixed(0)} | ${pct(s, 50)} | ${pct(s, 95)} | ${s.at(-1)} |`;
}

// Warm-up: connections, prepared paths, JIT.
await Promise.all(Array.from({ length: 20 }, finishOne));
await collect(20, 0);

let t0 = Date.now();
await Promise.all(Array.from({ length: BURST_RUNS }, finishOne));
const burst = await collect(BURST_RUNS, 20);
const burstSpan = Math.max(...rx.received.slice(20).map((h) => h.receivedAt)) - t0;

t0 = Date.now();
for (let i = 0; i < STEADY_RUNS; i += 1) {
  void finishOne();
  await new Promise((r) => setTimeout(r, STEADY_EVERY_MS));
}
const steady = await collect(STEADY_RUNS, 20 + BURST_RUNS);
const steadySpan = Math.max(...rx.received.slice(20 + BURST_RUNS).map((h) => h.receivedAt)) - t0;

console.log(`\nWebhook delivery (1 worker process, WEBHOOK_WORKER_CONCURRENCY=${config.webhookConcurrency}, receiver on 127.0.0.1)\n`);
console.log('| scenario | deliveries | deliveries/s | p50 delay ms | p95 delay ms | max delay ms |');
console.log('|---|---:|---:|---:|---:|---:|');
console.log(row(`burst: ${BURST_RUNS} runs end at once`, burst, burstSpan));
console.log(row(`steady: one run ends every ${STEADY_EVERY_MS} ms`, steady, steadySpan));
const p95 = pct([...steady].sort((a, b) => a - b), 95);
console.log(`\nsteady-state p95 terminal→received: ${p95} ms (target ≤ 1000 ms: ${p95 <= 1000 ? 'met' : 'NOT met'})`);

await worker.close(1000);
await api.close();
await rx.close();
