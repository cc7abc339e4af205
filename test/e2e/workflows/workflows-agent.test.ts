// Workflows end to end through the API: real worker, real Chromium on the fixture sites, task-like
// blocks through the real agent with a scripted model. A docs-style three-block YAML workflow,
// a for_loop with a nested extraction, and x-max-steps-override on a task block.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serveFixtures, type FixtureServer } from '../../fixtures/sites/server.ts';
import { assertMatchesReference } from '../../support/reference-schemas.ts';
import { startStack, type TestStack } from '../../support/stack.ts';
import { act, click, simpleBrain, type, verdict, type AgentCall } from '../agent/support/scripted-agent.ts';
import { startWorkflowLlm, type WorkflowLlm } from './support/scripted-workflow-llm.ts';

const PRODUCTS_SCHEMA = {
  type: 'object',
  properties: { products: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, name: { type: 'string' }, price: { type: 'number' } } } } },
};

/** Reads the product table off the page the agent was shown. */
const extractProducts = (call: AgentCall) => ({
  products: [...call.page.text.matchAll(/^(SKU-\d+) \| (.+?) \| \$([\d.]+)$/gm)].map((m) => ({ sku: m[1], name: m[2], price: Number(m[3]) })),
});

const CATALOG_YAML = `
title: Catalog report
workflow_definition:
  parameters:
    - key: portal_url
      parameter_type: workflow
      workflow_parameter_type: string
    - key: username
      parameter_type: workflow
      workflow_parameter_type: string
    - key: password
      parameter_type: workflow
      workflow_parameter_type: string
  blocks:
    - block_type: navigation
      label: login_block
      url: "{{ portal_url }}/login.html"
      parameter_keys: [username, password]
      navigation_goal: |
        Sign in with the username and password given. [wf-login]
        COMPLETE when the welcome page greets the user.
    - block_type: extraction
      label: extract_products
      url: "{{ portal_url }}/products.html?page=1"
      data_extraction_goal: "Extract every product on this page: SKU, name and price. [wf-extract]"
      data_schema: ${JSON.stringify(PRODUCTS_SCHEMA)}
    - block_type: text_prompt
      label: summarize
      prompt: "Summarize {{ extract_products.output.products | length }} products; the first is {{ extract_products_output.extracted_information.products[0].name }}."
`;

describe('workflows through the agent (Chromium + scripted model)', () => {
  let stack: TestStack;
  let model: WorkflowLlm;
  let site: FixtureServer;
  before(async () => {
    [model, site] = await Promise.all([startWorkflowLlm((prompt) => ({ llm_response: `summary of: ${prompt}` })), serveFixtures()]);
    model.on('[wf-login]', simpleBrain(/Welcome, alice!/, (call) => {
      const payload = JSON.parse(/Information to use \(JSON\): (.*)/.exec(call.goal)![1]);
      return act('Sign in', type(call.page.find('Username'), payload.username), type(call.page.find('Password'), payload.password), click(call.page.find('Sign in', 'button')));
    }));
    model.on('[wf-extract]', (call) => {
      if (call.kind === 'extract') return extractProducts(call);
      throw new Error(`unexpected ${call.kind} call for an extraction block`);
    });
    model.on('[wf-never]', (call) => (call.kind === 'check' ? verdict(false) : act('Look around', { action_type: 'scroll', direction: 'down' })));
    stack = await startStack({ worker: true, env: model.env });
  });
  after(async () => { await stack?.close(); await model?.close(); await site?.close(); });

  const create = async (body: Record<string, unknown>) => {
    const res = await stack.request('POST', '/v1/agents', body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.workflow_permanent_id as string;
  };

  it('runs a docs-style three-block YAML workflow: login → extraction → text_prompt', async () => {
    const wpid = await create({ yaml_definition: CATALOG_YAML });
    const created = await stack.request('POST', '/v1/run/agents', { agent_id: wpid, parameters: { portal_url: site.baseUrl, username: 'alice', password: 'wonderland' } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const run = await stack.waitForTerminal(created.body.run_id, 120_000);
    assertMatchesReference('WorkflowRunResponse', run);
    assert.equal(run.status, 'completed', run.failure_reason);
    const { login_block_output: login, extract_products_output: extracted, summarize_output: summary } = run.output;
    assert.equal(login.status, 'completed');
    assert.match(login.task_id, /^tsk_/);
    assert.equal(extracted.extracted_information.products.length, 5);
    assert.deepEqual(extracted.extracted_information.products[0], { sku: 'SKU-001', name: 'Anchor', price: 3.5 });
    assert.equal(summary.llm_response, 'summary of: Summarize 5 products; the first is Anchor.');
    assert.deepEqual(run.output.extracted_information.at(-1).products.length, 5);
    assert.ok(run.step_count >= 2, `steps: ${run.step_count}`);
    assert.ok(run.screenshot_urls?.length > 0, 'the shared browser left screenshots');

    const timeline = (await stack.request('GET', `/v1/runs/${run.run_id}/timeline`)).body;
    for (const item of timeline) assertMatchesReference('WorkflowRunTimeline', item);
    assert.deepEqual(timeline.map((i: any) => i.block.label), ['summarize', 'extract_products', 'login_block']);
    const loginBlock = timeline[2].block;
    assert.equal(loginBlock.url, `${site.baseUrl}/login.html`);
    assert.deepEqual(loginBlock.actions.map((a: any) => a.action_type), ['input_text', 'input_text', 'click', 'complete']);
    assert.ok(loginBlock.actions.every((a: any) => a.status === 'completed' && a.task_id === login.task_id));
  });

  it('for_loop with a nested extraction: one browser, one extraction per page', async () => {
    const wpid = await create({
      json_definition: {
        title: 'Paged catalog',
        workflow_definition: {
          parameters: [{ key: 'site', parameter_type: 'workflow', workflow_parameter_type: 'string' }, { key: 'pages', parameter_type: 'workflow', workflow_parameter_type: 'json', default_value: [1, 2, 3] }],
          blocks: [{
            block_type: 'for_loop', label: 'each_page', loop_over_parameter_key: 'pages',
            loop_blocks: [{
              block_type: 'extraction', label: 'page_products', url: '{{ site }}/products.html?page={{ current_value }}',
              data_extraction_goal: 'Extract every product on page {{ current_value }}. [wf-extract]', data_schema: PRODUCTS_SCHEMA,
            }],
          }],
        },
      },
    });
    const created = await stack.request('POST', '/v1/run/agents', { agent_id: wpid, parameters: { site: site.baseUrl } });
    const run = await stack.waitForTerminal(created.body.run_id, 120_000);
    assert.equal(run.status, 'completed', run.failure_reason);
    const skus = run.output.each_page_output.map((iteration: any[]) => iteration[0].output_value.extracted_information.products.map((p: any) => p.sku).join(','));
    assert.deepEqual(skus, ['SKU-001,SKU-002,SKU-003,SKU-004,SKU-005', 'SKU-006,SKU-007,SKU-008,SKU-009,SKU-010', 'SKU-011,SKU-012,SKU-013,SKU-014,SKU-015']);
    assert.deepEqual(run.output.each_page_output.map((it: any[]) => it[0].loop_value), [1, 2, 3]);
    assert.equal(run.output.page_products_output.extracted_information.products[0].sku, 'SKU-011', 'the body block output is the last iteration');
    const timeline = (await stack.request('GET', `/v1/runs/${run.run_id}/timeline`)).body;
    const loop = timeline[0];
    assert.equal(loop.block.block_type, 'for_loop');
    assert.deepEqual(loop.block.loop_values, [1, 2, 3]);
    assert.deepEqual(loop.children.map((c: any) => [c.block.current_index, c.block.url]), [2, 1, 0].map((i) => [i, `${site.baseUrl}/products.html?page=${i + 1}`]));
    for (const item of timeline) assertMatchesReference('WorkflowRunTimeline', item);
  });

  it('x-max-steps-override caps every task-like block of the run', async () => {
    const wpid = await create({
      json_definition: {
        title: 'Endless', workflow_definition: { parameters: [], blocks: [
          { block_type: 'navigation', label: 'wander', url: `${site.baseUrl}/index.html`, navigation_goal: 'Wander forever [wf-never]', max_steps_per_run: 10 },
        ] },
      },
    });
    const created = await stack.request('POST', '/v1/run/agents', { agent_id: wpid }, { 'x-max-steps-override': '1' });
    const run = await stack.waitForTerminal(created.body.run_id, 120_000);
    assert.equal(run.status, 'failed');
    assert.match(run.failure_reason, /^navigation block failed\. failure reason: Reached the maximum steps \(1\)/);
    assert.equal(run.step_count, 1);
  });
});
