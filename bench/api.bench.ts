// POST /v1/run/tasks throughput and latency at 50 connections, next to a hello-world route on the
// same server. Runs are stored and enqueued for real (no worker consumes them during the bench).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadConfig } from '../src/config/index.ts';
import { createApi } from '../src/processes.ts';
import { testEnv, createTestDatabase } from '../test/support/stack.ts';
import { printTable } from './support/table.ts';

const AUTOCANNON = path.join(path.dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const database = await createTestDatabase();
const config = loadConfig(await testEnv({ DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'error' }));
const api = await createApi(config, { migrate: false });
const { apiKey } = await api.services.organizations.createOrganization('bench');
api.app.get('/bench/hello', { config: { public: true }, schema: { hide: true } }, async () => ({ hello: 'world' }));
await api.app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(api.app.server.address() as { port: number }).port}`;

// autocannon runs in its own process so the load generator does not share the server's core.
function autocannonRun(opts: { url: string; method?: string; headers?: Record<string, string>; body?: string }, seconds: number): Promise<any> {
  const args = [AUTOCANNON, '-j', '-c', '50', '-d', String(seconds), '-m', opts.method ?? 'GET'];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (opts.body) args.push('-b', opts.body);
  args.push(opts.url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))));
  });
}

async function load(title: string, opts: { url: string; method?: string; headers?: Record<string, string>; body?: string }) {
  await autocannonRun(opts, 2); // warm-up
  const r = await autocannonRun(opts, DURATION_S);
  return {
    route: title,
    'req/s (mean)': Math.round(r.requests.average),
    'p50 latency': `${r.latency.p50} ms`,
    'p99 latency': `${r.latency.p99} ms`,
    'non-2xx': r.non2xx,
    errors: r.errors,
  };
}

const rows = [
  await load('GET /bench/hello (reference)', { url: `${base}/bench/hello` }),
  await load('POST /v1/run/tasks', {
    url: `${base}/v1/run/tasks`, method: 'POST',
    headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'Find the top post', url: 'https://news.ycombinator.com', max_steps: 5 }),
  }),
];
printTable(`API throughput, 50 connections, ${DURATION_S} s, ${(await import('node:os')).cpus().length} cores (target: ≥ 1,000 runs/s, p99 ≤ 50 ms)`, rows);
await api.close();
await database.drop();
