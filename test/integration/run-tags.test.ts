// Run tags: run_metadata becomes tags at submission, the tag routes set/remove/list them with
// history, and run lists filter by them (label, key:*, key:value; AND across keys, OR within one).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type TestStack } from '../support/stack.ts';
import { assertMatchesReference } from '../support/reference-schemas.ts';
import { createWorkflow } from '../support/workflows.ts';

describe('run tags', () => {
  let stack: TestStack;
  let wpid: string;
  before(async () => {
    stack = await startStack();
    wpid = await createWorkflow(stack, 'Tagged', { workflow_definition: { parameters: [], blocks: [{ block_type: 'wait', label: 'pause', wait_sec: 1 }] } });
  });
  after(async () => { await stack?.close(); });

  async function startRun(runMetadata?: Record<string, string>): Promise<string> {
    const res = await stack.request('POST', '/v1/run/agents', { agent_id: wpid, ...(runMetadata ? { run_metadata: runMetadata } : {}) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.run_id;
  }
  const tagsOf = async (runId: string) => {
    const res = await stack.request('GET', `/v1/runs/${runId}/tags`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertMatchesReference('RunTagsResponse', res.body);
    return (res.body.tags as Array<{ key: string | null; value: string; source: string }>).map((t) => `${t.key ?? ''}=${t.value}@${t.source}`).sort();
  };

  it('turns run_metadata into tags, and the tag routes change them with history', async () => {
    const runId = await startRun({ env: 'prod', customer: 'acme' });
    assert.deepEqual(await tagsOf(runId), ['customer=acme@run_metadata', 'env=prod@run_metadata']);

    const applied = await stack.request('POST', `/v1/runs/${runId}/tags`, { tags: [{ key: 'env', value: 'staging' }, { value: 'urgent' }], tags_to_delete: [{ key: 'customer' }] });
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.equal(applied.body.workflow_run_id, runId);
    assert.deepEqual(await tagsOf(runId), ['=urgent@api', 'env=staging@api']);

    const deleted = await stack.request('DELETE', `/v1/runs/${runId}/tags/env`);
    assert.equal(deleted.status, 200);
    assert.deepEqual(deleted.body.tags.map((t: any) => t.value), ['urgent']);
    // Deleting again is a no-op, not an error.
    assert.equal((await stack.request('DELETE', `/v1/runs/${runId}/tags/env`)).status, 200);

    const history = await stack.request('GET', `/v1/runs/${runId}/tags/history?key=env`);
    assert.equal(history.status, 200);
    assertMatchesReference('RunTagHistoryResponse', history.body);
    const envEvents = history.body.events.map((e: any) => `${e.event_type}:${e.value}:${e.superseded_at ? 'old' : 'live'}`);
    assert.deepEqual(envEvents.sort(), ['delete:staging:live', 'set:prod:old', 'set:staging:old'].sort());
  });

  it('keeps one current value per key when writers race', async () => {
    const runId = await startRun();
    const writes = ['a', 'b', 'c', 'd', 'e', 'f'].map((v) => stack.request('POST', `/v1/runs/${runId}/tags`, { tags: [{ key: 'env', value: v }] }));
    for (const res of await Promise.all(writes)) assert.equal(res.status, 200);
    const current = (await tagsOf(runId)).filter((t) => t.startsWith('env='));
    assert.equal(current.length, 1, current.join(', '));
  });

  it('filters run lists by tags', async () => {
    const a = await startRun({ team: 'red', region: 'eu' });
    const b = await startRun({ team: 'blue', region: 'eu' });
    const c = await startRun({ team: 'red', region: 'us' });
    await stack.request('POST', `/v1/runs/${c}/tags`, { tags: [{ value: 'flaky' }] });
    const ids = async (url: string) => {
      const res = await stack.request('GET', url);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body as Array<Record<string, string>>).map((r) => r.workflow_run_id ?? r.run_id).filter((id) => [a, b, c].includes(id)).sort();
    };
    assert.deepEqual(await ids(`/v1/agents/${wpid}/runs?tags=team:red`), [a, c].sort());
    assert.deepEqual(await ids(`/v1/agents/${wpid}/runs?tags=team:red,team:blue&tags=region:eu`), [a, b].sort());
    assert.deepEqual(await ids(`/v1/agents/${wpid}/runs?tags=region:*&tags=flaky`), [c]);
    assert.deepEqual(await ids(`/v1/runs?tags=red&page_size=100`), [a, c].sort(), 'a label term matches the value under any key');
    assert.deepEqual(await ids(`/v1/runs?tags=team:green&page_size=100`), []);
  });

  it('reads tags of many runs at once and rejects bad tags and unknown runs', async () => {
    const runId = await startRun({ env: 'dev' });
    const batch = await stack.request('GET', `/v1/run-tags?workflow_run_ids=${runId},wr_404`);
    assert.equal(batch.status, 200);
    assertMatchesReference('RunTagsBatchResponse', batch.body);
    assert.deepEqual(batch.body.run_tags, { [runId]: [{ key: 'env', value: 'dev' }], wr_404: [] });
    const posted = await stack.request('POST', '/v1/run-tags', { workflow_run_ids: [runId] });
    assert.deepEqual(posted.body.run_tags[runId], [{ key: 'env', value: 'dev' }]);

    const bad = await stack.request('POST', `/v1/runs/${runId}/tags`, { tags: [{ key: 'a:b', value: 'x' }, { value: '' }] });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.detail.map((d: any) => d.loc), [['body', 'tags', 0, 'key'], ['body', 'tags', 1, 'value']]);
    const badMetadata = await stack.request('POST', '/v1/run/agents', { agent_id: wpid, run_metadata: { 'x:y': 'z' } });
    assert.equal(badMetadata.status, 422);
    assert.deepEqual(badMetadata.body.detail[0].loc, ['body', 'run_metadata', 'x:y']);

    assert.equal((await stack.request('GET', '/v1/runs/wr_12345/tags')).status, 404);
    assert.equal((await stack.request('POST', '/v1/runs/wr_12345/tags', { tags: [{ value: 'x' }] })).status, 404);
  });
});
