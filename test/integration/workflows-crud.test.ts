// Workflow definitions through the API: create (JSON and YAML), versions, list, delete, the
// hidden `/v1/workflows` twins, and save-time validation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BULK_INVOICE_YAML, CONDITIONAL_YAML, INVOICE_DEMO_YAML } from '../fixtures/workflows/examples.ts';
import { assertMatchesReference } from '../support/reference-schemas.ts';
import { startStack, type TestStack } from '../support/stack.ts';

const simple = (title: string, extra: Record<string, unknown> = {}) => ({
  json_definition: {
    title,
    workflow_definition: {
      parameters: [{ key: 'seconds', parameter_type: 'workflow', workflow_parameter_type: 'integer', default_value: 0 }],
      blocks: [{ block_type: 'wait', label: 'pause', wait_sec: 0 }],
    },
    ...extra,
  },
});

describe('workflow definitions (CRUD + versions)', () => {
  let stack: TestStack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack.close(); });

  it('creates from JSON: Workflow shape, ids, output parameters, version 1', async () => {
    const res = await stack.request('POST', '/v1/agents', simple('JSON agent', { description: 'd' }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertMatchesReference('Workflow', res.body);
    assert.match(res.body.workflow_permanent_id, /^wpid_\d+$/);
    assert.match(res.body.workflow_id, /^w_\d+$/);
    assert.equal(res.body.agent_id, res.body.workflow_permanent_id);
    assert.equal(res.body.version, 1);
    assert.equal(res.body.organization_id, stack.organizationId);
    assert.equal(res.body.description, 'd');
    const [block] = res.body.workflow_definition.blocks;
    assert.equal(block.output_parameter.key, 'pause_output');
    assert.equal(block.output_parameter.workflow_id, res.body.workflow_id);
    // Stored once: a read returns the very same ids.
    const read = await stack.request('GET', `/v1/agents/${res.body.workflow_permanent_id}`);
    assert.deepEqual(read.body.workflow_definition, res.body.workflow_definition);
  });

  it('creates the docs examples from YAML (loops, context parameters, conditionals)', async () => {
    for (const yaml of [BULK_INVOICE_YAML, INVOICE_DEMO_YAML, CONDITIONAL_YAML]) {
      const res = await stack.request('POST', '/v1/agents', { yaml_definition: yaml });
      assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
      assertMatchesReference('Workflow', res.body);
    }
  });

  it('update makes version 2 under the same wpid with a new w_; ?version and /versions read them', async () => {
    const v1 = (await stack.request('POST', '/v1/agents', simple('versioned', { max_elapsed_time_minutes: 7 }))).body;
    const v2 = await stack.request('POST', `/v1/agents/${v1.workflow_permanent_id}`, simple('versioned v2'));
    assert.equal(v2.status, 200);
    assertMatchesReference('Workflow', v2.body);
    assert.equal(v2.body.workflow_permanent_id, v1.workflow_permanent_id);
    assert.notEqual(v2.body.workflow_id, v1.workflow_id);
    assert.equal(v2.body.version, 2);
    assert.equal(v2.body.title, 'versioned v2');
    assert.equal(v2.body.max_elapsed_time_minutes, 7, 'inherited when the update leaves it out');
    const latest = await stack.request('GET', `/v1/agents/${v1.workflow_permanent_id}`);
    assert.equal(latest.body.version, 2);
    const first = await stack.request('GET', `/v1/agents/${v1.workflow_permanent_id}?version=1`);
    assert.equal(first.body.workflow_id, v1.workflow_id);
    const versions = await stack.request('GET', `/v1/agents/${v1.workflow_permanent_id}/versions`);
    assert.deepEqual(versions.body.map((w: any) => w.version), [1, 2]);
    for (const w of versions.body) assertMatchesReference('Workflow', w);
  });

  it('lists the latest version per workflow, paged, with search and title filters', async () => {
    const a = (await stack.request('POST', '/v1/agents', simple('Needle alpha'))).body;
    await stack.request('POST', `/v1/agents/${a.workflow_permanent_id}`, simple('Needle alpha v2'));
    await stack.request('POST', '/v1/agents', simple('Needle beta'));
    const found = await stack.request('GET', '/v1/agents?search_key=needle&page_size=10');
    assert.equal(found.status, 200);
    for (const w of found.body) assertMatchesReference('Workflow', w);
    assert.deepEqual(found.body.map((w: any) => w.title).sort(), ['Needle alpha v2', 'Needle beta']);
    const byTitle = await stack.request('GET', '/v1/agents?title=beta');
    assert.deepEqual(byTitle.body.map((w: any) => w.title), ['Needle beta']);
    const paged = await stack.request('GET', '/v1/agents?search_key=needle&page=2&page_size=1');
    assert.equal(paged.body.length, 1);
    const twin = await stack.request('GET', '/v1/workflows?search_key=needle');
    assert.equal(twin.body.length, 2);
  });

  it('delete soft-deletes every version; reads then 404 naming the wpid', async () => {
    const w = (await stack.request('POST', '/v1/agents', simple('doomed'))).body;
    await stack.request('POST', `/v1/agents/${w.workflow_permanent_id}`, simple('doomed v2'));
    const del = await stack.request('POST', `/v1/agents/${w.workflow_permanent_id}/delete`);
    assert.equal(del.status, 200);
    assert.equal(del.body, null);
    for (const url of [`/v1/agents/${w.workflow_permanent_id}`, `/v1/agents/${w.workflow_permanent_id}?version=1`, `/v1/agents/${w.workflow_permanent_id}/versions`]) {
      const res = await stack.request('GET', url);
      assert.equal(res.status, 404, url);
      assert.match(res.body.detail, new RegExp(w.workflow_permanent_id));
    }
    const list = await stack.request('GET', '/v1/agents?search_key=doomed');
    assert.deepEqual(list.body, []);
    assert.equal((await stack.request('POST', `/v1/agents/${w.workflow_permanent_id}/delete`)).status, 404);
  });

  it('answers on the hidden /v1/workflows twins and the legacy raw-YAML routes', async () => {
    const created = await stack.request('POST', '/v1/workflows', simple('twin'));
    assert.equal(created.status, 200);
    const wpid = created.body.workflow_permanent_id;
    assert.equal((await stack.request('GET', `/v1/workflows/${wpid}`)).body.title, 'twin');
    assert.equal((await stack.request('POST', `/v1/workflows/${wpid}`, simple('twin 2'))).body.version, 2);
    assert.equal((await stack.request('GET', `/v1/workflows/${wpid}/versions`)).body.length, 2);
    const yaml = 'title: raw yaml\nworkflow_definition:\n  parameters: []\n  blocks:\n    - block_type: wait\n      label: w\n      wait_sec: 1\n';
    const legacy = await stack.request('POST', '/api/v1/workflows', yaml, { 'content-type': 'application/x-yaml' });
    assert.equal(legacy.status, 200, JSON.stringify(legacy.body));
    assert.equal(legacy.body.title, 'raw yaml');
    assert.equal((await stack.request('POST', `/v1/workflows/${wpid}/delete`)).status, 200);
  });

  it('Idempotency-Key: the same key returns the same agent', async () => {
    const headers = { 'idempotency-key': `key-${Date.now()}` };
    const a = await stack.request('POST', '/v1/agents', simple('idem'), headers);
    const b = await stack.request('POST', '/v1/agents', simple('idem again'), headers);
    assert.equal(a.status, 200);
    assert.equal(b.body.workflow_id, a.body.workflow_id);
    assert.match(a.body.workflow_permanent_id, /^wpid_[0-9a-f]{64}$/);
  });

  it('rejects broken definitions at save time with 422 naming the problem', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['unknown block type', { block_type: 'teleport', label: 'x' }, /Unknown block_type 'teleport'/],
      ['duplicate labels', [{ block_type: 'wait', label: 'same' }, { block_type: 'wait', label: 'same' }], /[Dd]uplicate.*same/],
      ['undefined parameter', { block_type: 'text_prompt', label: 'p', prompt: 'hi', parameter_keys: ['nope'] }, /nope/],
      ['undefined label', { block_type: 'wait', label: 'w', next_block_label: 'ghost' }, /ghost/],
      ['undefined template variable', { block_type: 'text_prompt', label: 'p', prompt: 'Hi {{ missing_thing }}' }, /missing_thing/],
    ];
    for (const [name, blocks, pattern] of cases) {
      const res = await stack.request('POST', '/v1/agents', { json_definition: { title: name, workflow_definition: { parameters: [], blocks: Array.isArray(blocks) ? blocks : [blocks] } } });
      assert.equal(res.status, 422, name);
      const text = JSON.stringify(res.body.detail);
      assert.match(text, pattern, `${name}: ${text}`);
      assert.equal(res.body.detail[0].loc[0], 'body', name);
      assert.equal(res.body.detail[0].loc[1], 'json_definition', name);
    }
    const neither = await stack.request('POST', '/v1/agents', {});
    assert.equal(neither.status, 422);
    assert.match(JSON.stringify(neither.body), /either yaml or json/);
    const badYaml = await stack.request('POST', '/v1/agents', { yaml_definition: 'title: [unclosed' });
    assert.equal(badYaml.status, 422);
  });

  it('404 for unknown agents on read, update and versions', async () => {
    assert.equal((await stack.request('GET', '/v1/agents/wpid_404')).status, 404);
    assert.equal((await stack.request('POST', '/v1/agents/wpid_404', simple('x'))).status, 404);
    const res = await stack.request('GET', '/v1/agents/wpid_404/versions');
    assert.equal(res.status, 404);
    assert.equal(res.body.detail, 'Workflow not found. workflow_permanent_id=wpid_404');
  });
});
