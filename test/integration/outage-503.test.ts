// Postgres or Redis unreachable → 503 with Retry-After and a `detail`, never 500. The outage is a
// TCP proxy of the test's own in front of the shared servers, cut and restored, so nothing the
// other test files use is stopped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createTestDatabase, startStack, type TestStack } from '../support/stack.ts';

interface Proxy { port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void>; stall(): void; unstall(): void }

async function tcpProxy(targetHost: string, targetPort: number): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  // Stalled: a server that accepts connections and never answers (a frozen or black-holed host).
  let stalled = false;
  const restore = () => new Promise<void>((resolve, reject) => {
    if (server) return resolve(); // already listening
    const s = net.createServer((client) => {
      if (stalled) { sockets.add(client); client.on('close', () => sockets.delete(client)); client.on('error', () => {}); client.pause(); return; }
      const upstream = net.connect(targetPort, targetHost);
      for (const sock of [client, upstream]) { sockets.add(sock); sock.on('close', () => sockets.delete(sock)); sock.on('error', () => { client.destroy(); upstream.destroy(); }); }
      client.pipe(upstream); upstream.pipe(client);
    });
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => { server = s; port = (s.address() as net.AddressInfo).port; resolve(); });
  });
  const cut = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  const stall = () => { stalled = true; for (const sock of sockets) sock.pause(); };
  const unstall = () => { stalled = false; for (const sock of sockets) sock.destroy(); };
  await restore();
  return { get port() { return port; }, cut, restore, close: cut, stall, unstall };
}

const unavailable = (res: { status: number; body: any; headers: Record<string, unknown> }, what: string) => {
  assert.equal(res.status, 503, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
  assert.ok(Number(res.headers['retry-after']) > 0, `${what}: Retry-After ${String(res.headers['retry-after'])}`);
  assert.equal(typeof res.body.detail, 'string');
  assert.match(res.body.detail, /unavailable/i);
};

describe('Postgres or Redis unreachable → 503 with Retry-After', () => {
  let stack: TestStack;
  let pgProxy: Proxy;
  let redisProxy: Proxy;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  before(async () => {
    database = await createTestDatabase();
    const dbUrl = new URL(database.url);
    pgProxy = await tcpProxy(dbUrl.hostname, Number(dbUrl.port || 5432));
    const viaProxy = new URL(dbUrl); viaProxy.port = String(pgProxy.port);
    const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    redisProxy = await tcpProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
    const redisViaProxy = new URL(redisUrl); redisViaProxy.port = String(redisProxy.port);
    stack = await startStack({ env: { DATABASE_URL: viaProxy.href, REDIS_URL: redisViaProxy.href, PG_CONNECT_TIMEOUT_MS: '1000', PG_QUERY_TIMEOUT_MS: '1500' } });
  });
  after(async () => {
    await pgProxy.restore().catch(() => {}); await redisProxy.restore().catch(() => {});
    await stack.close();
    await pgProxy.close(); await redisProxy.close();
    await database.drop();
  });

  /** Back to 200 within 10 s of the database answering again. */
  const recovered = async () => {
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await stack.request('GET', '/v1/agents')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 200);
  };

  it('answers DB-backed routes with 503 while Postgres is unreachable, and recovers', async () => {
    assert.equal((await stack.request('GET', '/v1/agents')).status, 200);
    await pgProxy.cut();
    unavailable(await stack.request('GET', '/v1/agents'), 'GET /v1/agents');
    unavailable(await stack.request('GET', '/v1/runs/wr_1'), 'GET /v1/runs/wr_1');
    unavailable(await stack.request('GET', '/v1/credentials'), 'GET /v1/credentials');
    unavailable(await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: 'https://example.com' }), 'POST /v1/run/tasks');
    await pgProxy.restore();
    await recovered();
  });

  it('answers 503 (not a request that never returns) while Postgres accepts connections and never answers, and recovers', async () => {
    assert.equal((await stack.request('GET', '/v1/agents')).status, 200);
    pgProxy.stall(); // pooled connections freeze mid-session; new ones are accepted and ignored
    try {
      unavailable(await stack.request('GET', '/v1/agents'), 'GET /v1/agents (pooled connection frozen)');
      unavailable(await stack.request('GET', '/v1/credentials'), 'GET /v1/credentials');
      unavailable(await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: 'https://example.com' }), 'POST /v1/run/tasks');
    } finally {
      pgProxy.unstall();
    }
    await recovered();
  });

  it('never answers 500 while Redis is unreachable', async () => {
    await redisProxy.cut();
    try {
      const probes: [string, string, unknown?][] = [
        ['GET', '/v1/agents'],
        ['POST', '/v1/run/tasks', { prompt: 'x', url: 'https://example.com' }],
        ['POST', '/v1/browser_sessions', {}],
        ['GET', '/v1/runs/wr_1'],
      ];
      for (const [method, url, body] of probes) {
        const res = await stack.request(method, url, body);
        assert.ok(res.status < 500 || res.status === 503, `${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
        if (res.status === 503) unavailable(res, `${method} ${url}`);
      }
    } finally {
      await redisProxy.restore();
    }
  });
});

describe('isBackendUnavailable', () => {
  it('recognises pg and ioredis connection failures, and nothing else', async () => {
    const { isBackendUnavailable } = await import('../../src/http/plugins/errors.ts');
    const coded = (message: string, code: string) => Object.assign(new Error(message), { code });
    assert.ok(isBackendUnavailable(coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')));
    assert.ok(isBackendUnavailable(new Error('Connection terminated unexpectedly')));
    assert.ok(isBackendUnavailable(new Error('timeout exceeded when trying to connect')));
    assert.ok(isBackendUnavailable(new Error('Query read timeout')));
    assert.ok(isBackendUnavailable(coded('terminating connection due to administrator command', '57P01')));
    assert.ok(isBackendUnavailable(coded('sorry, too many clients already', '53300')));
    assert.ok(isBackendUnavailable(new Error('Failed query: select 1', { cause: coded('x', 'ECONNRESET') })));
    assert.ok(isBackendUnavailable(Object.assign(new AggregateError([coded('a', 'ECONNREFUSED')]), { code: 'ECONNREFUSED' })));
    assert.ok(isBackendUnavailable(new Error('Connection is closed.')));
    assert.ok(isBackendUnavailable(new Error("Stream isn't writeable and enableOfflineQueue options is false")));
    assert.ok(isBackendUnavailable(Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' })));
    assert.ok(!isBackendUnavailable(new TypeError("Cannot read properties of undefined (reading 'x')")));
    assert.ok(!isBackendUnavailable(coded('duplicate key value violates unique constraint', '23505')));
    assert.ok(!isBackendUnavailable(coded('invalid byte sequence for encoding "UTF8": 0x00', '22021')));
  });
});
