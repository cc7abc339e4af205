import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { html, serve } from '../support/fixture-server.ts';
import { assertMatchesReference } from '../support/reference-schemas.ts';
import { startStack, type TestStack } from '../support/stack.ts';

const NAIVE_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;

describe('task run lifecycle (real Postgres, Redis, Chromium)', () => {
  let stack: TestStack;
  let site: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    site = await serve({
      'GET /page': html('<h1>Hello from the fixture</h1><a href="/next">next</a>', 'Lifecycle'),
      'GET /hang': () => { /* never answers: the run stays on its first navigation */ },
    });
    stack = await startStack({ worker: true, env: { LLM_KEY: '' } });
  });
  after(async () => { await stack.close(); await site.close(); });

  it('goes created → queued → running → failed (no LLM) with steps, artifacts on disk and served', async () => {
    const created = await stack.request('POST', '/v1/run/tasks', { prompt: 'read the heading', url: `${site.baseUrl}/page`, title: 'lifecycle' });
    assert.equal(created.status, 200);
    const id = created.body.run_id;
    assert.match(id, /^tsk_\d+$/);
    assert.equal(created.body.run_type, 'task_v1');
    assert.equal(created.body.run_request.prompt, 'read the heading');
    assert.ok(['created', 'queued', 'running'].includes(created.body.status));

    assertMatchesReference('TaskRunResponse', created.body);
    const run = await stack.waitForTerminal(id, 30_000);
    assertMatchesReference('TaskRunResponse', run);
    assert.equal(run.status, 'failed');
    assert.match(run.failure_reason, /LLM_KEY/);
    for (const f of ['created_at', 'modified_at', 'queued_at', 'started_at', 'finished_at']) assert.match(run[f], NAIVE_UTC, f);
    assert.ok(run.queued_at <= run.started_at && run.started_at <= run.finished_at);
    assert.equal(run.step_count, 1);
    assert.ok(site.requests.some((r) => r.url === '/page'), 'the browser really opened the page');

    const artifacts = await stack.request('GET', `/v1/runs/${id}/artifacts`);
    for (const a of artifacts.body) assertMatchesReference('Artifact', a);
    const types = artifacts.body.map((a: any) => a.artifact_type).sort();
    assert.deepEqual(types, ['recording', 'screenshot_action', 'screenshot_final']);
    for (const a of artifacts.body) {
      assert.ok(existsSync(fileURLToPath(a.uri)) && statSync(fileURLToPath(a.uri)).size > 0, `${a.artifact_type} on disk`);
      assert.equal(a.organization_id, stack.organizationId);
    }
    assert.equal(run.screenshot_urls.length, 2);
    const shot = await stack.api.app.inject({ method: 'GET', url: new URL(run.screenshot_urls[0]).pathname + new URL(run.screenshot_urls[0]).search });
    assert.equal(shot.statusCode, 200);
    assert.equal(shot.headers['content-type'], 'image/png');
    assert.equal(shot.rawPayload.subarray(1, 4).toString(), 'PNG');
    const video = await stack.api.app.inject({ method: 'GET', url: new URL(run.recording_url).pathname, headers: { 'x-api-key': stack.apiKey, range: 'bytes=0-3' } });
    assert.equal(video.statusCode, 206);
    assert.equal(video.rawPayload.toString('hex'), '1a45dfa3', 'a WebM (EBML) file');
  });

  it('refuses artifact content without a key or with a tampered signature', async () => {
    const created = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: `${site.baseUrl}/page` });
    const run = await stack.waitForTerminal(created.body.run_id, 30_000);
    const url = new URL(run.screenshot_urls[0]);
    assert.equal((await stack.api.app.inject({ method: 'GET', url: url.pathname })).statusCode, 403);
    url.searchParams.set('sig', 'A'.repeat(43));
    assert.equal((await stack.api.app.inject({ method: 'GET', url: url.pathname + url.search })).statusCode, 403);
  });

  it('cancels a running run within 2 s and frees its worker slot', async () => {
    const created = await stack.request('POST', '/v1/run/tasks', { prompt: 'wait', url: `${site.baseUrl}/hang` });
    const id = created.body.run_id;
    await stack.waitForRun(id, (r) => r.status === 'running', 20_000);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const res = await stack.request('POST', `/v1/runs/${id}/cancel`);
    assert.equal(res.status, 200);
    const run = await stack.waitForTerminal(id, 5_000);
    assert.equal(run.status, 'canceled');
    assert.ok(Date.now() - t0 < 2_000);
    // The worker really stopped: its job leaves the queue (bounded generously: a loaded machine is slow, a stuck worker never lets go).
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await stack.api.core.runQueue.state(id))) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await stack.api.core.runQueue.state(id), undefined);
    // The first terminal write wins: a second cancel changes nothing.
    await stack.request('POST', `/v1/runs/${id}/cancel`);
    assert.equal((await stack.request('GET', `/v1/runs/${id}`)).body.finished_at, run.finished_at);
  });

  it('bulk-cancels, reporting unknown IDs as failed', async () => {
    const a = (await stack.request('POST', '/v1/run/tasks', { prompt: 'wait', url: `${site.baseUrl}/hang` })).body.run_id;
    const res = await stack.request('POST', '/v1/runs/cancel', { run_ids: [a, a, 'tsk_404'] });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { cancelled: [a], failed: ['tsk_404'] });
    assertMatchesReference('BulkCancelRunsResponse', res.body);
    assert.equal((await stack.waitForTerminal(a, 5_000)).status, 'canceled');
  });

  it('lists runs newest first with paging and status filter', async () => {
    const res = await stack.request('GET', '/v1/runs?page_size=2');
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 2);
    for (const item of res.body) assertMatchesReference('TaskRunListItem', item);
    for (const item of res.body) {
      for (const f of ['task_run_id', 'run_id', 'task_run_type', 'status', 'created_at']) assert.ok(item[f] !== undefined, f);
    }
    assert.ok(res.body[0].created_at >= res.body[1].created_at);
    const canceled = await stack.request('GET', '/v1/runs?status=canceled&page_size=100');
    assert.ok(canceled.body.length >= 2);
    assert.ok(canceled.body.every((r: any) => r.status === 'canceled'));
    const page2 = await stack.request('GET', '/v1/runs?page_size=2&page=2');
    assert.notEqual(page2.body[0]?.run_id, res.body[0].run_id);
  });
});
