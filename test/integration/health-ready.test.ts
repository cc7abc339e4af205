// GET /health is liveness (answers while the process serves, checks nothing); GET /health/ready is
// readiness: 200 when Postgres, Redis and the artifact store answer, else 503 naming what failed.
// Redis is reached through a TCP proxy of this test's own, cut and restored, so the shared server
// other test files use is never stopped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startStack, type TestStack } from '../support/stack.ts';

async function cuttableProxy(host: string, port: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let listenPort = 0;
  const restore = () => new Promise<void>((resolve, reject) => {
    const s = net.createServer((client) => {
      const upstream = net.connect(port, host);
      for (const sock of [client, upstream]) { sockets.add(sock); sock.on('close', () => sockets.delete(sock)); sock.on('error', () => { client.destroy(); upstream.destroy(); }); }
      client.pipe(upstream); upstream.pipe(client);
    });
    s.once('error', reject);
    s.listen(listenPort, '127.0.0.1', () => { server = s; listenPort = (s.address() as net.AddressInfo).port; resolve(); });
  });
  const cut = async () => {
    const s = server; server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await restore();
  return { port: listenPort, cut, restore };
}

describe('GET /health (liveness) and GET /health/ready (readiness)', () => {
  let stack: TestStack;
  let redisProxy: Awaited<ReturnType<typeof cuttableProxy>>;
  before(async () => {
    const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    redisProxy = await cuttableProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
    const viaProxy = new URL(redisUrl); viaProxy.port = String(redisProxy.port);
    stack = await startStack({ env: { REDIS_URL: viaProxy.href } });
  });
  after(async () => {
    await redisProxy.restore().catch(() => {});
    await stack.close();
    await redisProxy.cut();
  });

  it('is ready when Postgres, Redis and the artifact store answer; both endpoints are public', async () => {
    const ready = await stack.request('GET', '/health/ready', undefined, { 'x-api-key': '' });
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.deepEqual(ready.body, { ok: true, database: 'ok', redis: 'ok', artifacts: 'ok' });
    const live = await stack.request('GET', '/health', undefined, { 'x-api-key': '' });
    assert.equal(live.status, 200);
    // The shape /health always had: ok, one key per dependency, llm, port (strings).
    assert.deepEqual(Object.keys(live.body).sort(), ['artifacts', 'database', 'llm', 'ok', 'port', 'redis']);
    assert.equal(live.body.ok, true);
    assert.equal(live.body.port, String(stack.config.port));
  });

  it('answers 503 naming redis while Redis is unreachable, stays live, and is ready again after', async () => {
    await redisProxy.cut();
    try {
      const started = Date.now();
      const ready = await stack.request('GET', '/health/ready');
      assert.equal(ready.status, 503, JSON.stringify(ready.body));
      assert.deepEqual(ready.body.failed, ['redis']);
      assert.equal(ready.body.ok, false);
      assert.equal(ready.body.database, 'ok');
      assert.equal(ready.body.artifacts, 'ok');
      assert.notEqual(ready.body.redis, 'ok');
      assert.ok(Date.now() - started < 5_000, `answered in ${Date.now() - started} ms`);
      // Liveness checks no dependency: an outage must not get the process restarted.
      const live = await stack.request('GET', '/health');
      assert.equal(live.status, 200);
      assert.equal(live.body.ok, true);
    } finally {
      await redisProxy.restore();
    }
    const deadline = Date.now() + 15_000;
    let last: { status: number; body: any } = { status: 0, body: null };
    while (Date.now() < deadline) {
      last = await stack.request('GET', '/health/ready');
      if (last.status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(last.status, 200, JSON.stringify(last.body));
  });
});

describe('GET /health/ready with an artifact folder that cannot be written', () => {
  let stack: TestStack;
  before(async () => {
    // A regular file where the folder should be: the folder can never be created.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'skyport-ready-'));
    const blocker = path.join(dir, 'not-a-folder');
    writeFileSync(blocker, '');
    stack = await startStack({ env: { ARTIFACT_STORAGE_PATH: path.join(blocker, 'artifacts') } });
  });
  after(async () => { await stack.close(); });

  it('answers 503 naming artifacts', async () => {
    const ready = await stack.request('GET', '/health/ready');
    assert.equal(ready.status, 503, JSON.stringify(ready.body));
    assert.deepEqual(ready.body.failed, ['artifacts']);
    assert.match(ready.body.artifacts, /ENOTDIR|not a directory/i);
  });
});
