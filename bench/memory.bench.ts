// Memory of Skyport's processes, compiled (`npm run build`, `node dist/…`) next to tsx
// (`node --import tsx src/…`): RSS of the API process after start; of api+worker in one process
// (`all`) after start and after 200 runs. No LLM is configured, so each run opens its page in
// Chromium and fails with a reason at once: the runs exercise the worker, the browser and the
// database, not a model. RSS is the node process alone; tree PSS adds its children (tsx's esbuild
// service, Chromium) with shared pages split among them. Target: API ≤ 150 MB RSS at idle.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist } from '../scripts/build.ts';
import { createTestDatabase } from '../test/support/stack.ts';
import { treePssBytes } from './support/process-memory.ts';
import { mb, printTable } from './support/table.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_MEMORY_RUNS ?? 200);
const SETTLE_MS = 3000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssBytes = (pid: number) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
const freePort = () => new Promise<number>((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); }); });

const site = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Bench</title><h1>Hello</h1><button>Go</button>'));
await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
const siteUrl = `http://127.0.0.1:${(site.address() as net.AddressInfo).port}/`;

const outName = `dist-bench-${randomBytes(4).toString('hex')}`;
await buildDist(path.join(ROOT, outName));

interface Started { child: ChildProcess; base: string; apiKey: string; stop(): Promise<void> }

async function start(mode: 'compiled' | 'tsx', role: 'api' | 'all'): Promise<Started> {
  const database = await createTestDatabase();
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skyport-bench-mem-'));
  const apiKey = `sk_bench_${randomBytes(12).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', SKYPORT_DATA_DIR: dataDir,
    QUEUE_PREFIX: `bm${randomBytes(4).toString('hex')}`, SKYVERN_API_KEY: apiKey, LOG_LEVEL: 'warn', WORKER_CONCURRENCY: '4',
    NODE_ENV: 'production',
  };
  for (const k of Object.keys(env)) if (/^(LLM_KEY|SECONDARY_LLM_KEY|ENABLE_[A-Z_]+|[A-Z]+_API_KEY)$/.test(k) && k !== 'SKYVERN_API_KEY') delete env[k];
  delete env.NODE_OPTIONS;
  const args = mode === 'compiled' ? [path.join(ROOT, outName, `${role}.js`)] : ['--import', 'tsx', path.join(ROOT, 'src', `${role}.ts`)];
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${mode} ${role} exited: ${stderr.slice(-2000)}`);
    if (Date.now() > deadline) throw new Error(`${mode} ${role} not ready: ${stderr.slice(-2000)}`);
    const ok = await fetch(`${base}/health/ready`).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(200);
  }
  return {
    child, base, apiKey,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await database.drop().catch(() => {});
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function runMany(s: Started, n: number): Promise<{ seconds: number; statuses: Record<string, number> }> {
  const headers = { 'x-api-key': s.apiKey, 'content-type': 'application/json' };
  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${s.base}/v1/run/tasks`, { method: 'POST', headers, body: JSON.stringify({ prompt: `memory bench ${i}`, url: siteUrl }) });
    if (!res.ok) throw new Error(`POST /v1/run/tasks: ${res.status} ${await res.text()}`);
    ids.push(((await res.json()) as { run_id: string }).run_id);
  }
  const statuses: Record<string, number> = {};
  let pending = ids;
  while (pending.length) {
    const next: string[] = [];
    for (const id of pending) {
      const run = (await (await fetch(`${s.base}/v1/runs/${id}`, { headers })).json()) as { status: string };
      if (['completed', 'failed', 'terminated', 'canceled', 'timed_out'].includes(run.status)) statuses[run.status] = (statuses[run.status] ?? 0) + 1;
      else next.push(id);
    }
    pending = next;
    if (pending.length) await sleep(500);
  }
  return { seconds: (performance.now() - t0) / 1000, statuses };
}

type Cell = { rss: number; pss: number };
const results: Record<string, Record<'compiled' | 'tsx', Cell>> = {};
const put = (row: string, mode: 'compiled' | 'tsx', pid: number) => { (results[row] ??= {} as any)[mode] = { rss: rssBytes(pid), pss: treePssBytes(pid) }; };
const runNotes: string[] = [];

try {
  for (const mode of ['compiled', 'tsx'] as const) {
    const api = await start(mode, 'api');
    await sleep(SETTLE_MS);
    put('api, after start', mode, api.child.pid!);
    await api.stop();

    const all = await start(mode, 'all');
    await sleep(SETTLE_MS);
    put('all (api + worker), after start', mode, all.child.pid!);
    const r = await runMany(all, RUNS);
    runNotes.push(`${mode}: ${RUNS} runs in ${r.seconds.toFixed(1)} s (${Object.entries(r.statuses).map(([k, v]) => `${v} ${k}`).join(', ')})`);
    await sleep(SETTLE_MS);
    put(`all, after ${RUNS} runs`, mode, all.child.pid!);
    await all.stop();
  }
  printTable('Process memory, compiled (node dist/…) vs tsx (node --import tsx src/…) (target: API ≤ 150 MB RSS at idle)',
    Object.entries(results).map(([row, m]) => ({
      process: row,
      'RSS compiled': mb(m.compiled.rss), 'RSS tsx': mb(m.tsx.rss),
      'tree PSS compiled': mb(m.compiled.pss), 'tree PSS tsx': mb(m.tsx.pss),
    })));
  console.log(`\n${runNotes.join('\n')}`);
} finally {
  rmSync(path.join(ROOT, outName), { recursive: true, force: true });
  site.close();
}
