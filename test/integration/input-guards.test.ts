// Input a user can send never answers 5xx: NUL bytes and lone surrogates, integers wider than
// their columns, page sizes without a cap, strings too long for an index, nesting deep enough to
// overflow recursive code. Each answers a Skyvern-shaped 422 naming the field.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type TestStack } from '../support/stack.ts';

const nested = (depth: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};
/** JSON text of an object nested `depth` levels (JSON.stringify would overflow building it). */
const nestedText = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('input guards', () => {
  let stack: TestStack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack.close(); });

  const expect422 = async (method: string, url: string, body: unknown, loc: (string | number)[]) => {
    const res = await stack.request(method, url, body);
    assert.equal(res.status, 422, `${method} ${url} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    assert.ok(Array.isArray(res.body.detail), JSON.stringify(res.body));
    const locs = res.body.detail.map((d: any) => JSON.stringify(d.loc));
    assert.ok(locs.includes(JSON.stringify(loc)), `${method} ${url}: expected loc ${JSON.stringify(loc)}, got ${locs.join(' ')}`);
    for (const d of res.body.detail) { assert.equal(typeof d.msg, 'string'); assert.equal(typeof d.type, 'string'); }
  };

  it('refuses NUL bytes in path params, queries and bodies, naming the field', async () => {
    await expect422('GET', '/v1/runs/%00', undefined, ['path', 'run_id']);
    await expect422('GET', '/v1/runs?tags=%00', undefined, ['query', 'tags']);
    await expect422('GET', '/v1/credentials?search=%00', undefined, ['query', 'search']);
    await expect422('GET', '/v1/runs/wr_1%00/timeline', undefined, ['path', 'run_id']);
    await expect422('POST', '/v1/runs/wr_1%00/cancel', {}, ['path', 'run_id']);
    await expect422('POST', '/v1/runs/wr_1%00/retry_webhook', {}, ['path', 'run_id']);
    await expect422('POST', '/v1/agents/wpid_%00/browser_session/reset_profile', {}, ['path', 'workflow_permanent_id']);
    await expect422('POST', '/v1/run/tasks', { prompt: 'a\u0000b', url: 'https://example.com' }, ['body', 'prompt']);
    await expect422('POST', '/v1/agents', { json_definition: { title: 'x\u0000', workflow_definition: { parameters: [], blocks: [] } } }, ['body', 'json_definition', 'title']);
    await expect422('POST', '/v1/credentials', { name: 'n\u0000', credential_type: 'password', credential: { username: 'u', password: 'p' } }, ['body', 'name']);
    await expect422('POST', '/v1/browser_sessions', { a: '\u0000' }, ['body', 'a']);
    await expect422('POST', '/v1/runs/wr_1/tags', { tags: [{ key: 'k', value: 'v\u0000' }] }, ['body', 'tags', 0, 'value']);
    await expect422('POST', '/v1/agents/wpid_1/schedules', { cron_expression: '* * * * *', timezone: 'UTC', name: '\u0000' }, ['body', 'name']);
    await expect422('POST', '/v1/run/tasks', { prompt: 'x', extra_http_headers: { 'a\u0000': 'b' } }, ['body', 'extra_http_headers', 'a\u0000']);
  });

  it('refuses unpaired surrogates (jsonb cannot store them)', async () => {
    await expect422('POST', '/v1/run/tasks', '{"prompt":"x","data_extraction_schema":{"a":"\\ud800"}}', ['body', 'data_extraction_schema', 'a']);
    await expect422('GET', '/v1/credentials?search=%ED%A0%80', undefined, ['query', 'search']).catch(async () => {
      // An invalid UTF-8 sequence may decode to U+FFFD instead: then it is simply a string.
      const res = await stack.request('GET', '/v1/credentials?search=%ED%A0%80');
      assert.ok(res.status < 500, String(res.status));
    });
  });

  it('bounds integers to their int4 columns and caps page_size', async () => {
    await expect422('GET', '/v1/agents/wpid_1?version=3000000000', undefined, ['query', 'version']);
    await expect422('GET', '/v1/agents?page_size=99999999999999999999', undefined, ['query', 'page_size']);
    await expect422('GET', '/v1/agents?page=1e10', undefined, ['query', 'page']);
    await expect422('GET', '/v1/agents?page_size=2147483647', undefined, ['query', 'page_size']);
    await expect422('GET', '/v1/credentials?page_size=101', undefined, ['query', 'page_size']);
    await expect422('GET', '/v1/agents/runs?page_size=1000', undefined, ['query', 'page_size']);
    // Filters another route takes are ignored here, not passed on unvalidated.
    assert.equal((await stack.request('GET', '/v1/agents/runs?tags=a&created_at_start=zzz')).status, 200);
    await expect422('GET', '/v1/browser_profiles?page=3000000000', undefined, ['query', 'page']);
    await expect422('POST', '/v1/run/tasks', { prompt: 'x', max_steps: 3_000_000_000 }, ['body', 'max_steps']);
    const ok = await stack.request('GET', '/v1/agents?page=1000000000&page_size=100');
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal((await stack.request('GET', '/v1/credentials?page_size=100')).status, 200);
  });

  it('bounds strings that sit in an index', async () => {
    await expect422('POST', '/v1/browser_profiles', { name: 'n'.repeat(1_000_000) }, ['body', 'name']);
    await expect422('POST', '/v1/runs/wr_1/tags', { tags: [{ key: 'k', value: 'v'.repeat(5000) }] }, ['body', 'tags', 0, 'value']);
    await expect422('POST', '/v1/credentials/totp', { totp_identifier: 'i'.repeat(5000), content: '123456' }, ['body', 'totp_identifier']);
  });

  it('refuses JSON nested deeper than 100 levels before anything recursive sees it', async () => {
    const deep = nestedText(5000);
    await expect422('POST', '/v1/agents', `{"json_definition":${deep}}`, ['body']);
    await expect422('POST', '/v1/run/tasks', `{"prompt":"x","data_extraction_schema":${deep}}`, ['body']);
    await expect422('POST', '/v1/run/agents', `{"workflow_id":"wpid_1","parameters":${deep}}`, ['body']);
    await expect422('POST', '/v1/run/tasks', `{"prompt":"x","run_metadata":${deep}}`, ['body']);
    const arrays = '['.repeat(100_000) + ']'.repeat(100_000);
    await expect422('POST', '/v1/run/tasks', `{"prompt":"x","data_extraction_schema":${arrays}}`, ['body']);
    const yaml = `title: t\nworkflow_definition:\n  parameters: []\n  blocks: ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
    const res = await stack.request('POST', '/v1/agents', { yaml_definition: yaml });
    assert.equal(res.status, 422, JSON.stringify(res.body).slice(0, 300));
    // 100 levels is still fine.
    const fine = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: 'https://example.com', data_extraction_schema: nested(90) });
    assert.equal(fine.status, 200, JSON.stringify(fine.body).slice(0, 300));
  });
});
