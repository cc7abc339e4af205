// The run viewer under a real organization's history: the runs list page with 10,000 runs in the
// database (first page, a deep page, a status filter, a run-ID search), next to the API's own JSON
// list of the same rows as the reference (target: server response p95 ≤ 100 ms); and the live page:
// time from a step row written by the worker's recorder to the event arriving in a real Chromium
// page over SSE, next to a bare Redis subscriber in this process as the floor (target p95 ≤ 500 ms).
import pg from 'pg';
import type { AddressInfo } from 'node:net';
import { defaultChromiumPath, launchChromium } from '../src/browser/launch.ts';
import { loadConfig } from '../src/config/index.ts';
import { generateId, ID_PREFIX } from '../src/domain/ids.ts';
import { createRunRecorder } from '../src/jobs/run-recorder.ts';
import { createApi } from '../src/processes.ts';
import { createRedis } from '../src/queue/connection.ts';
import { testEnv, createTestDatabase } from '../test/support/stack.ts';
import { ms, percentile, printTable } from './support/table.ts';

const RUNS = Number(process.env.BENCH_VIEWER_RUNS ?? 10_000);
const REQUESTS = Number(process.env.BENCH_VIEWER_REQUESTS ?? 200);
const EVENTS = Number(process.env.BENCH_VIEWER_EVENTS ?? 60);

const database = await createTestDatabase();
const config = loadConfig(await testEnv({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'error' }));
const api = await createApi(config, { migrate: false });
const { apiKey, organizationId } = await api.services.organizations.createOrganization('viewer-bench');

// 10,000 finished runs spread over 30 days, a tenth of them failed, like an organization's history.
const seed = new pg.Client({ connectionString: database.url });
await seed.connect();
await seed.query(`
  insert into runs (run_id, organization_id, run_type, status, title, request, step_count, cost_usd, input_tokens, output_tokens, created_at, modified_at, started_at, finished_at, failure_reason)
  select 'tsk_bench' || i, $1, 'task_v1', case when i % 10 = 0 then 'failed' else 'completed' end, 'Bench run ' || i,
         jsonb_build_object('prompt', 'Find the price of item ' || i, 'url', 'https://example.com/' || i), 1 + i % 7, 0.001 * (i % 13), 900, 60,
         now() - (i || ' minutes')::interval * 4, now() - (i || ' minutes')::interval * 4, now() - (i || ' minutes')::interval * 4,
         now() - (i || ' minutes')::interval * 4 + interval '20 seconds', case when i % 10 = 0 then 'The page did not load' end
  from generate_series(1, $2::int) as i`, [organizationId, RUNS]);
await seed.query('analyze runs');
await seed.end();

await api.app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ api_key: apiKey, next: '/runs' }) });
const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

async function timeGets(label: string, url: string, headers: Record<string, string>) {
  const times: number[] = [];
  for (let i = 0; i < 10; i++) await (await fetch(url, { headers })).arrayBuffer(); // warm-up
  let bytes = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const started = performance.now();
    const res = await fetch(url, { headers });
    const body = await res.arrayBuffer();
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
    bytes = body.byteLength;
  }
  return { label, times, bytes };
}

const pages = [
  await timeGets('API GET /v1/runs?page_size=25 (reference)', `${base}/v1/runs?page_size=25`, { 'x-api-key': apiKey }),
  await timeGets('viewer /runs (first page)', `${base}/runs`, { cookie }),
  await timeGets('viewer /runs?page=200 (runs 4,976–5,000)', `${base}/runs?page=200`, { cookie }),
  await timeGets('viewer /runs?status=failed', `${base}/runs?status=failed`, { cookie }),
  await timeGets('viewer /runs?q=tsk_bench4321 (search)', `${base}/runs?q=tsk_bench4321`, { cookie }),
];
const reference = percentile(pages[0]!.times, 95);
printTable(`Run viewer list with ${RUNS.toLocaleString('en-US')} runs in the database, ${REQUESTS} sequential requests each (target: p95 ≤ 100 ms)`, pages.map((p) => ({
  page: p.label, p50: ms(percentile(p.times, 50)), p95: ms(percentile(p.times, 95)), max: ms(Math.max(...p.times)),
  'p95 / reference': (percentile(p.times, 95) / reference).toFixed(2), 'body size': `${(p.bytes / 1024).toFixed(1)} KB`,
})));

// Live: a running run open in Chromium; steps written through the worker's recorder.
const runId = generateId(ID_PREFIX.task);
const row = await api.core.repos.runs.insert({ runId, organizationId, runType: 'task_v1', status: 'running', request: { prompt: 'live bench' }, startedAt: new Date() } as Parameters<typeof api.core.repos.runs.insert>[0]);
const recorder = createRunRecorder(api.core, row);
const floor: number[] = [];
const sub = createRedis(config.redisUrl, 'subscriber');
sub.on('message', (_ch, message) => { const e = JSON.parse(message) as { run_id: string; at: number }; if (e.run_id === runId) floor.push(Date.now() - e.at); });
await sub.subscribe(`${config.queuePrefix}:run-events`);

const browser = await launchChromium({ executablePath: defaultChromiumPath() });
const context = await browser.newContext();
const [name, value] = cookie.split('=');
await context.addCookies([{ name: name!, value: value!, url: base }]);
const page = await context.newPage();
await page.goto(`${base}/runs/${runId}`);
await page.waitForFunction(() => (window as unknown as { skyportLive?: { events: unknown[] } }).skyportLive?.events.length);
for (let i = 0; i < EVENTS; i++) {
  await recorder.startStep(i);
  await new Promise((r) => setTimeout(r, 150));
}
await new Promise((r) => setTimeout(r, 1000));
const arrived = await page.evaluate(() => (window as unknown as { skyportLive: { events: Array<{ kind: string; at: number; received: number }> } }).skyportLive.events);
const sse = arrived.filter((e) => e.kind === 'step').map((e) => e.received - e.at);
printTable(`Live run page: step row written → event in the page (${EVENTS} steps, 150 ms apart; target p95 ≤ 500 ms)`, [
  { path: 'Redis subscriber in the bench process (floor)', received: `${floor.length}/${EVENTS}`, p50: ms(percentile(floor, 50)), p95: ms(percentile(floor, 95)), max: ms(Math.max(...floor)) },
  { path: 'Chromium page over SSE', received: `${sse.length}/${EVENTS}`, p50: ms(percentile(sse, 50)), p95: ms(percentile(sse, 95)), max: ms(Math.max(...sse)) },
]);

await browser.close();
sub.disconnect();
await api.close();
await database.drop();
