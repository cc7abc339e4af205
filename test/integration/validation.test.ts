import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type TestStack } from '../support/stack.ts';

function assertSkyvernValidationShape(body: any) {
  assert.ok(Array.isArray(body.detail), `detail should be a list: ${JSON.stringify(body)}`);
  for (const item of body.detail) {
    assert.ok(Array.isArray(item.loc));
    assert.equal(typeof item.msg, 'string');
    assert.equal(typeof item.type, 'string');
  }
}

describe('request validation', () => {
  let stack: TestStack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack.close(); });

  it('names a missing required field', async () => {
    const res = await stack.request('POST', '/v1/run/tasks', { url: 'https://example.com' });
    assert.equal(res.status, 422);
    assertSkyvernValidationShape(res.body);
    assert.deepEqual(res.body.detail[0].loc, ['body', 'prompt']);
    assert.equal(res.body.detail[0].type, 'missing');
  });

  it('rejects wrong types field by field', async () => {
    const res = await stack.request('POST', '/v1/run/tasks', { prompt: 123, max_steps: 'many', extra_http_headers: { a: 1 } });
    assert.equal(res.status, 422);
    assertSkyvernValidationShape(res.body);
    const locs = res.body.detail.map((d: any) => d.loc.join('.'));
    assert.ok(locs.includes('body.prompt'), locs.join(','));
    assert.ok(locs.includes('body.max_steps'), locs.join(','));
    assert.ok(locs.some((l: string) => l.startsWith('body.extra_http_headers')), locs.join(','));
  });

  it('rejects an unknown engine with the allowed values', async () => {
    const res = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', engine: 'skyvern-9' });
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.detail[0].loc, ['body', 'engine']);
    assert.match(res.body.detail[0].msg, /skyvern-1\.0/);
  });

  it('answers a known engine this server cannot run with a clear 400', async () => {
    const res = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', engine: 'openai-cua' });
    assert.equal(res.status, 400);
    assert.match(res.body.detail, /openai-cua/);
  });

  it('rejects a malformed url and a bad browser_address', async () => {
    const res = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: 'http://exa mple.com/a b', browser_address: 'ftp://x' });
    assert.equal(res.status, 422);
    const locs = res.body.detail.map((d: any) => d.loc.join('.'));
    assert.deepEqual(locs.sort(), ['body.browser_address', 'body.url']);
  });

  it('adds https:// to a bare host the way Skyvern does', async () => {
    const res = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: 'example.com/path' });
    assert.equal(res.status, 200);
    assert.equal(res.body.run_request.url, 'https://example.com/path');
  });

  it('rejects start_fresh_browser combined with a session', async () => {
    const res = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', start_fresh_browser: true, browser_session_id: 'pbs_1' });
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.detail[0].loc, ['body', 'start_fresh_browser']);
  });

  it('answers a browser session or profile this server does not hold with 404', async () => {
    const session = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', browser_session_id: 'pbs_123' });
    assert.equal(session.status, 404);
    assert.match(session.body.detail, /Browser session not found/);
    const profile = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', browser_profile_id: 'bp_9' });
    assert.equal(profile.status, 404);
    assert.match(profile.body.detail, /Browser profile not found/);
  });

  it('answers malformed JSON with a 422 json_invalid', async () => {
    const res = await stack.request('POST', '/v1/run/tasks', '{"prompt": ');
    assert.equal(res.status, 422);
    assert.equal(res.body.detail[0].type, 'json_invalid');
  });

  it('answers a wrong content type with 415', async () => {
    const res = await stack.request('POST', '/v1/run/tasks', 'prompt=x', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(res.status, 415);
    assert.equal(typeof res.body.detail, 'string');
  });

  it('answers an oversize body with 413', async () => {
    const res = await stack.request('POST', '/v1/run/tasks', { prompt: 'x'.repeat(11 * 1024 * 1024) });
    assert.equal(res.status, 413);
    assert.equal(typeof res.body.detail, 'string');
  });

  it('treats an empty JSON body as {} (what the SDK sends on some calls)', async () => {
    const created = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: 'http://127.0.0.1:9/' });
    const res = await stack.request('POST', `/v1/runs/${created.body.run_id}/cancel`, '', { 'content-type': 'application/json' });
    assert.equal(res.status, 200);
    assert.equal(res.body, null);
  });

  it('accepts trailing slashes and answers unknown IDs with 404 JSON', async () => {
    const res = await stack.request('GET', '/v1/runs/tsk_123/');
    assert.equal(res.status, 404);
    assert.equal(res.body.detail, 'Task run not found tsk_123');
    const list = await stack.request('GET', '/v1/runs/');
    assert.equal(list.status, 200);
  });

  it('validates list query parameters', async () => {
    const res = await stack.request('GET', '/v1/runs?page=0&status=bogus');
    assert.equal(res.status, 422);
    const locs = res.body.detail.map((d: any) => d.loc[0]);
    assert.ok(locs.every((l: string) => l === 'query'));
  });
});
