import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { startStack, type TestStack } from '../support/stack.ts';

describe('auth and organization isolation', () => {
  let stack: TestStack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack.close(); });

  it('refuses a request without a key with a detail message', async () => {
    const res = await stack.api.app.inject({ method: 'GET', url: '/v1/runs' });
    assert.equal(res.statusCode, 403);
    assert.deepEqual(res.json(), { detail: 'Invalid credentials' });
  });

  it('refuses an unknown key', async () => {
    const res = await stack.request('GET', '/v1/runs', undefined, { 'x-api-key': 'sk_not_a_key' });
    assert.equal(res.status, 403);
    assert.equal(res.body.detail, 'Invalid credentials');
  });

  it('refuses a bearer token the way Skyvern OSS does', async () => {
    const res = await stack.api.app.inject({ method: 'GET', url: '/v1/runs', headers: { authorization: 'Bearer abc' } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().detail, 'Invalid authentication method');
  });

  it('serves /v1/version without a key, every value a string', async () => {
    const res = await stack.api.app.inject({ method: 'GET', url: '/v1/version' });
    assert.equal(res.statusCode, 200);
    for (const v of Object.values(res.json())) assert.equal(typeof v, 'string');
  });

  it("answers another organization's run with 404 on read, cancel and artifacts", async () => {
    const created = await stack.request('POST', '/v1/run/tasks', { prompt: 'look', url: 'http://127.0.0.1:9/' });
    assert.equal(created.status, 200);
    const other = await stack.api.services.organizations.createOrganization('intruder');
    const headers = { 'x-api-key': other.apiKey };
    const read = await stack.request('GET', `/v1/runs/${created.body.run_id}`, undefined, headers);
    assert.equal(read.status, 404);
    assert.equal(read.body.detail, `Task run not found ${created.body.run_id}`);
    assert.equal((await stack.request('POST', `/v1/runs/${created.body.run_id}/cancel`, undefined, headers)).status, 404);
    const list = await stack.request('GET', '/v1/runs', undefined, headers);
    assert.equal(list.status, 200);
    assert.ok(!list.body.some((r: any) => r.run_id === created.body.run_id));
    const mine = await stack.request('GET', `/v1/runs/${created.body.run_id}`);
    assert.equal(mine.status, 200);
  });

  it('stores API keys hashed, never in plain text', async () => {
    const client = new pg.Client({ connectionString: stack.config.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query('select key_hash, key_encrypted from api_keys where organization_id = $1', [stack.organizationId]);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].key_hash, createHash('sha256').update(stack.apiKey).digest('hex'));
      assert.ok(!rows[0].key_encrypted.includes(stack.apiKey));
    } finally { await client.end(); }
  });
});
