// Schedule fire jitter: how late a scheduled run is created after its slot. Jitter = the run row's
// created_at − the slot time (the slot is recovered from the run's deterministic ID). Two workers
// (in one process, each with its own Redis connections) share the clock. Target: ≤ 2 s. Prints markdown tables; asserts nothing.
// Uses the test-only 6-field cron (SCHEDULE_ALLOW_SECONDS) so a bench fires every few seconds, not every 5 minutes.
// Run: `npm run bench`, or `source scripts/lib/services.sh && bootstrap skyport_bench && npx tsx bench/schedules.bench.ts`.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../src/config/index.ts';
import { nextFireTimes, scheduledRunId } from '../src/domain/schedules/index.ts';
import { createApi, createWorker } from '../src/processes.ts';
import { percentile, printTable } from './support/table.ts';

const STEADY_SCHEDULES = Number(process.env.BENCH_SCHEDULES_STEADY ?? 5);
const BURST_SCHEDULES = Number(process.env.BENCH_SCHEDULES_BURST ?? 100);
const WINDOW_MS = Number(process.env.BENCH_SCHEDULES_WINDOW_MS ?? 20_000);

const env = {
  ...process.env,
  QUEUE_PREFIX: `bench${randomBytes(3).toString('hex')}`,
  SKYPORT_DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'skyport-bench-')),
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  SCHEDULE_ALLOW_SECONDS: 'true',
  SCHEDULE_MIN_INTERVAL_SECONDS: '1',
};
const config = loadConfig(env);
const api = await createApi(config, { migrate: true });
const workers = [await createWorker(config, { migrate: false }), await createWorker(config, { migrate: false })];
const { organizationId, apiKey } = await api.services.organizations.createOrganization(`bench-${randomBytes(2).toString('hex')}`);
const db = new pg.Client({ connectionString: config.databaseUrl });
await db.connect();

async function call(method: string, url: string, body?: unknown) {
  const res = await api.app.inject({ method: method as 'POST', url, headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, payload: body === undefined ? undefined : JSON.stringify(body) });
  if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

const wpid = (await call('POST', '/v1/agents', {
  json_definition: { title: 'bench schedule', workflow_definition: { parameters: [], blocks: [{ block_type: 'wait', label: 'pause', wait_sec: 0 }] } },
})).workflow_permanent_id as string;

interface Result { name: string; slots: number; jitters: number[]; missed: number; extra: number }

/** Creates `count` schedules on `cron`, lets them fire for the window, disables them, and matches runs to slots. */
async function scenario(name: string, count: number, cron: string): Promise<Result> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await call('POST', `/v1/agents/${wpid}/schedules`, { cron_expression: cron, timezone: 'UTC' })).schedule.workflow_schedule_id);
  const from = new Date();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  const to = new Date();
  for (const id of ids) await call('POST', `/v1/agents/${wpid}/schedules/${id}/disable`);
  await new Promise((r) => setTimeout(r, 3_000)); // let the last fires land
  // Slots that passed while the schedules were enabled (after the first, so setup time does not count).
  const slotOfRun = new Map<string, Date>();
  let slots = 0;
  for (const id of ids) {
    const fireFrom = (await db.query('select fire_from from workflow_schedules where workflow_schedule_id = $1', [id])).rows[0].fire_from as Date;
    let t = new Date(Math.max(fireFrom.getTime(), from.getTime()));
    for (;;) {
      const [slot] = nextFireTimes(cron, 'UTC', t, 1);
      if (slot > to) break;
      slotOfRun.set(scheduledRunId(id, slot), slot);
      slots++;
      t = slot;
    }
  }
  const runs = (await db.query('select run_id, created_at from runs where schedule_id = any($1)', [ids])).rows as { run_id: string; created_at: Date }[];
  const jitters: number[] = [];
  let extra = 0;
  for (const r of runs) {
    const slot = slotOfRun.get(r.run_id);
    if (slot) jitters.push(r.created_at.getTime() - slot.getTime());
    else if (!r.run_id.startsWith('wr_sched_')) extra++;
  }
  return { name, slots, jitters, missed: slots - jitters.length, extra };
}

const results = [
  await scenario(`steady: ${STEADY_SCHEDULES} schedules every 2 s`, STEADY_SCHEDULES, '*/2 * * * * *'),
  await scenario(`burst: ${BURST_SCHEDULES} schedules on the same second, every 5 s`, BURST_SCHEDULES, '*/5 * * * * *'),
];

console.log(`\nSchedule fire jitter: run created_at − slot time (two workers in one process, one Redis, one Postgres, ${WINDOW_MS / 1000} s per scenario)`);
printTable('Schedule fire jitter', results.map((r) => ({
  scenario: r.name,
  slots: r.slots,
  fired: r.jitters.length,
  'missed slots': r.missed,
  'runs not from a slot': r.extra,
  'p50 ms': percentile(r.jitters, 50),
  'p95 ms': percentile(r.jitters, 95),
  'max ms': Math.max(...r.jitters),
})));
const worst = Math.max(...results.map((r) => percentile(r.jitters, 95)));
console.log(`\nworst p95 jitter: ${worst} ms (target ≤ 2000 ms: ${worst <= 2000 ? 'met' : 'NOT met'})`);

await db.end();
for (const w of workers) await w.close(1000);
await api.close();
