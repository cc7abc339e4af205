// The compiled build for real: `npm run build` into a folder of its own, then `node <out>/all.js`
// (API + worker, no tsx anywhere) against this test's Postgres and Redis. It must get ready, serve
// the run viewer's assets, run an agent task to the end (real Chromium, the in-page scanner, the
// model provider's SDK loaded on first use, here a scripted OpenAI-compatible server), and replay
// that task as a code run (esbuild at run time and the sandbox child file, from the build).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { html, serve } from '../support/fixture-server.ts';
import { createTestDatabase, testEnv, TERMINAL } from '../support/stack.ts';
import { act, click, simpleBrain, startScriptedAgent, type ScriptedAgent } from '../e2e/agent/support/scripted-agent.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MARKER = '[compiled-build]';
const DONE = /Thanks for signing up!/;

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
});

describe('compiled build (npm run build, node dist/all.js)', () => {
  const outName = `dist-test-${randomBytes(4).toString('hex')}`;
  const outDir = path.join(ROOT, outName);
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let agent: ScriptedAgent;
  let site: Awaited<ReturnType<typeof serve>>;
  let child: ChildProcess | undefined;
  let output = '';
  let base = '';
  const apiKey = `sk_compiled_${randomBytes(12).toString('hex')}`;

  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method, headers: { 'x-api-key': apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: any = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  const waitTerminal = async (runId: string, timeoutMs = 40_000) => {
    const deadline = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < deadline) {
      last = (await call('GET', `/v1/runs/${runId}`)).body;
      if (TERMINAL.includes(last?.status)) return last;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`run ${runId} not terminal after ${timeoutMs} ms: ${JSON.stringify(last)?.slice(0, 400)}\n${output.slice(-2000)}`);
  };

  before(async () => {
    const built = spawnSync('npm', ['run', '--silent', 'build', '--', '--outdir', outName], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    assert.equal(built.status, 0, `npm run build failed:\n${built.stdout}\n${built.stderr}`);
    [database, agent, site] = await Promise.all([
      createTestDatabase(),
      startScriptedAgent(),
      serve({ 'GET /signup': html('<h1>Newsletter</h1><button onclick="document.getElementById(\'r\').textContent = \'Thanks for signing up!\'">Sign up</button><p id="r"></p>', 'Sign up') }),
    ]);
    agent.on(MARKER, simpleBrain(DONE, (c) => act('Press the button', click(c.page.find('Sign up', 'button')))));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = await testEnv({ DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', SKYVERN_API_KEY: apiKey, SKYVERN_BASE_URL: base, ...agent.env });
    delete env.NODE_OPTIONS; // nothing of the test runner's tsx may reach the child
    child = spawn(process.execPath, [path.join(outDir, 'all.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => { output += d; });
    child.stderr!.on('data', (d) => { output += d; });
  });
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await agent?.close(); await site?.close();
    await database?.drop().catch(() => {});
    rmSync(outDir, { recursive: true, force: true });
  });

  it('builds plain JavaScript with the non-TypeScript files beside it', () => {
    for (const entry of ['api.js', 'worker.js', 'all.js', 'db/migrate.js', 'rotate-secret.js']) assert.ok(existsSync(path.join(outDir, entry)), entry);
    assert.ok(existsSync(path.join(outDir, 'engine/workflow/blocks/standalone/code-sandbox-child.cjs')));
    assert.equal(readFileSync(path.join(outDir, 'ui/assets/viewer.css'), 'utf8'), readFileSync(path.join(ROOT, 'src/ui/assets/viewer.css'), 'utf8'));
    assert.doesNotMatch(readFileSync(path.join(outDir, 'processes.js'), 'utf8'), /from "\.[^"]*\.ts"/, 'relative imports point at .js files');
  });

  it('gets ready, serves the API and the viewer assets', async () => {
    const deadline = Date.now() + 30_000;
    let ready: Awaited<ReturnType<typeof call>> | undefined;
    while (Date.now() < deadline && child!.exitCode === null) {
      ready = await call('GET', '/health/ready').catch(() => undefined);
      if (ready?.status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(ready?.status, 200, `not ready: ${JSON.stringify(ready?.body)}\n${output.slice(-3000)}`);
    assert.deepEqual(ready!.body, { ok: true, database: 'ok', redis: 'ok', artifacts: 'ok' });
    assert.equal((await call('GET', '/health')).status, 200);
    const version = await call('GET', '/v1/version');
    assert.equal(version.body.version, JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    const css = await call('GET', '/ui/assets/viewer.css');
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    assert.equal(css.body, readFileSync(path.join(ROOT, 'src/ui/assets/viewer.css'), 'utf8'));
    assert.equal((await call('GET', '/ui/assets/viewer.js')).status, 200);
  });

  it('runs an agent task to the end, then replays it as a code run', async () => {
    const task = { prompt: `Sign up for the newsletter ${MARKER}`, url: `${site.baseUrl}/signup` };
    const created = await call('POST', '/v1/run/tasks', task);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const run = await waitTerminal(created.body.run_id);
    assert.equal(run.status, 'completed', `${run.failure_reason}\n${output.slice(-3000)}`);
    assert.ok(agent.llm.calls.length > 0, 'the model was asked');

    const callsBefore = agent.llm.calls.length;
    const replay = await call('POST', '/v1/run/tasks', { ...task, run_with: 'code' });
    assert.equal(replay.status, 200, JSON.stringify(replay.body));
    const replayed = await waitTerminal(replay.body.run_id);
    assert.equal(replayed.status, 'completed', `${replayed.failure_reason}\n${output.slice(-3000)}`);
    assert.ok(replayed.script_run, 'the run replayed the script');
    assert.equal(agent.llm.calls.length, callsBefore, 'the code run did not ask the model');
  });
});
