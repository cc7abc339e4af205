import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { sendJson, startFixtureServer, type FixtureServer } from '../../../../../test/fixtures/llm/http-fixture.ts';
import { httpRequestBlock } from './http-request.block.ts';
import { REDACTED_BODY } from './http-masking.ts';
import { blockContext, filesOnlyBrowser } from '../../../../../test/support/block-context.ts';

describe('http_request block (local echo server)', () => {
  let server: FixtureServer;
  before(async () => {
    server = await startFixtureServer(async (req, res) => {
      if (req.path === '/echo') return sendJson(res, 200, { method: req.method, headers: req.headers, body: req.body, query: Object.fromEntries(req.query) });
      if (req.path.startsWith('/status/')) return sendJson(res, Number(req.path.split('/')[2]), { error: 'nope' });
      if (req.path === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain', 'x-request-id': 'r-1' });
        res.end('plain words');
        return;
      }
      if (req.path === '/slow') {
        await new Promise((r) => setTimeout(r, 3000));
        return sendJson(res, 200, { late: true });
      }
      if (req.path === '/redirect') {
        res.writeHead(302, { location: '/echo' });
        res.end();
        return;
      }
      if (req.path === '/secret') return sendJson(res, 200, { data: { token: 'tok-abcdef-123', user: 'ada' } });
      if (req.path === '/report') {
        res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="report.csv"' });
        res.end('a,b\n1,2\n');
        return;
      }
      sendJson(res, 404, { error: 'no route' });
    });
  });
  after(async () => { await server.close(); });

  const run = (block: Record<string, unknown>, options = {}) =>
    httpRequestBlock(blockContext({ block_type: 'http_request', label: 'call', ...block } as never, options));

  it('GET: records status, parsed JSON body and both sides of the exchange', async () => {
    const result = await run({ url: `${server.baseUrl}/echo?q=1`, headers: { 'X-Trace': 't-1' } });
    assert.equal(result.status, 'completed');
    const out = result.output as Record<string, any>;
    assert.equal(out.status_code, 200);
    assert.equal(out.response_body.method, 'GET');
    assert.equal(out.response_body.headers['x-trace'], 't-1');
    assert.deepEqual(out.response_body.query, { q: '1' });
    assert.match(out.response_headers['content-type'], /application\/json/);
    assert.equal(out.request_method, 'GET');
    assert.equal(out.request_url, `${server.baseUrl}/echo?q=1`);
    assert.deepEqual(out.request_headers, { 'X-Trace': 't-1' });
    assert.equal(out.request_body, null);
    assert.deepEqual(out.body, out.response_body);
    assert.equal(out.url, out.request_url);
  });

  for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
    it(`${method}: sends an object body as JSON`, async () => {
      const result = await run({ method: method.toLowerCase(), url: `${server.baseUrl}/echo`, body: { name: 'Ada', tags: ['x'] } });
      const out = result.output as Record<string, any>;
      assert.equal(result.status, 'completed');
      assert.equal(out.request_method, method);
      assert.equal(out.response_body.method, method);
      assert.deepEqual(out.response_body.body, { name: 'Ada', tags: ['x'] });
      assert.equal(out.response_body.headers['content-type'], 'application/json');
    });
  }

  it('sends a form when the headers ask for one', async () => {
    const result = await run({
      method: 'POST', url: `${server.baseUrl}/echo`, body: { a: '1', b: 'two words' },
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal((result.output as any).response_body.body, 'a=1&b=two+words');
  });

  it('keeps a non-JSON response as text', async () => {
    const result = await run({ url: `${server.baseUrl}/text` });
    assert.equal((result.output as any).response_body, 'plain words');
    assert.equal((result.output as any).response_headers['x-request-id'], 'r-1');
  });

  it('fails on a non-2xx status but keeps the response as output', async () => {
    const result = await run({ url: `${server.baseUrl}/status/503` });
    assert.equal(result.status, 'failed');
    assert.match(result.failureReason ?? '', /^HTTP 503: \{"error":"nope"\}/);
    assert.equal((result.output as any).status_code, 503);
    assert.deepEqual((result.output as any).response_body, { error: 'nope' });
  });

  it('fails with a timeout when the server is slower than `timeout`', async () => {
    const started = Date.now();
    const result = await run({ url: `${server.baseUrl}/slow`, timeout: 1 });
    assert.equal(result.status, 'failed');
    assert.equal(result.failureReason, 'Request timed out after 1 seconds');
    assert.deepEqual(result.output, { error: 'Request timed out', error_type: 'timeout' });
    assert.ok(Date.now() - started < 2500);
  });

  it('returns canceled when the run is aborted mid-request', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('stop')), 100);
    const result = await run({ url: `${server.baseUrl}/slow` }, { signal: abort.signal });
    assert.equal(result.status, 'canceled');
  });

  it('follows redirects unless follow_redirects is false', async () => {
    const followed = await run({ url: `${server.baseUrl}/redirect` });
    assert.equal((followed.output as any).status_code, 200);
    const kept = await run({ url: `${server.baseUrl}/redirect`, follow_redirects: false });
    assert.equal((kept.output as any).status_code, 302);
    assert.equal(kept.status, 'failed');
  });

  it('masks credential headers and their values wherever they are echoed', async () => {
    const result = await run({
      method: 'POST', url: `${server.baseUrl}/echo`,
      headers: { Authorization: 'Bearer sk-live-123456', 'X-Api-Key': 'key-987654', Accept: 'application/json' },
      body: { echo: 'sk-live-123456' },
    });
    const text = JSON.stringify(result.output);
    assert.doesNotMatch(text, /sk-live-123456|key-987654/);
    const out = result.output as any;
    assert.equal(out.request_headers.Authorization, '*****');
    assert.equal(out.request_headers.Accept, 'application/json');
    assert.match(out.response_body.headers.authorization, /^(Bearer )?\*{5}$/);
  });

  it('masks secret_response_paths, and redacts the body when a path does not resolve', async () => {
    const ok = await run({ url: `${server.baseUrl}/secret`, secret_response_paths: ['data.token'] });
    assert.equal(ok.status, 'completed');
    assert.deepEqual((ok.output as any).response_body, { data: { token: '*****', user: 'ada' } });
    const bad = await run({ url: `${server.baseUrl}/secret`, secret_response_paths: ['data.missing'] });
    assert.equal(bad.status, 'failed');
    assert.equal((bad.output as any).response_body, REDACTED_BODY);
    assert.match(bad.failureReason ?? '', /data\.missing/);
  });

  it('saves the response to the downloads folder with save_response_as_file', async () => {
    const files = await filesOnlyBrowser();
    try {
      const result = await run({ url: `${server.baseUrl}/report`, save_response_as_file: true }, { browser: files });
      assert.equal(result.status, 'completed');
      const out = result.output as any;
      assert.equal(out.file_name, 'report.csv');
      assert.equal(await readFile(out.file_path, 'utf8'), 'a,b\n1,2\n');
    } finally {
      await files.cleanup();
    }
  });

  it('fails clearly without a usable URL or with an unreachable host', async () => {
    assert.equal((await run({ url: null })).failureReason, 'URL is required for HTTP request');
    assert.match((await run({ url: 'ftp://x' })).failureReason ?? '', /Invalid URL format/);
    const closed = await startFixtureServer(async () => {});
    await closed.close(); // its port is now free: nothing listens there
    const refused = await run({ url: closed.baseUrl });
    assert.equal(refused.status, 'failed');
    assert.match(refused.failureReason ?? '', /HTTP request failed: .*ECONNREFUSED/);
  });
});
