// Workflow runs through the API with blocks that need no browser: run responses, outputs,
// parameters, webhooks, run lists, timeline, time limit, cancel, retry, x-max-steps-override.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startScriptedLlm, type ScriptedLlm } from '../fixtures/llm/scripted-openai-server.ts';
import { assertMatchesReference } from '../support/reference-schemas.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { startReceiver } from '../support/webhook-receiver.ts';
import { createWorkflow, lastUserText } from '../support/workflows.ts';


describe('workflow runs (API + worker, no browser)', () => {
  let stack: TestStack;
  let llm: ScriptedLlm;
  const create = (definition: Record<string, unknown>) => createWorkflow(stack, 'run test', definition);
  const run = async (wpid: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const res = await stack.request('POST', '/v1/run/agents', { agent_id: wpid, ...body }, headers);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  before(async () => {
    llm = await startScriptedLlm((req) => ({ llm_response: `echo: ${lastUserText(req.messages)}` }));
    stack = await startStack({
      worker: true,
      env: {
        ENABLE_OPENAI_COMPATIBLE: 'true', OPENAI_COMPATIBLE_API_BASE: `${llm.baseUrl}/v1`, OPENAI_COMPATIBLE_MODEL_NAME: 'scripted', LLM_KEY: 'OPENAI_COMPATIBLE',
        SKYPORT_MINUTE_MS: '500',
      },
    });
  });
  after(async () => { await stack.close(); await llm.close(); });

  it('runs a definition end to end: WorkflowRunResponse, output per label, lists, timeline', async () => {
    const wpid = await create({
      workflow_definition: {
        parameters: [{ key: 'topic', parameter_type: 'workflow', workflow_parameter_type: 'string' }],
        blocks: [
          { block_type: 'wait', label: 'pause', wait_sec: 0 },
          { block_type: 'text_prompt', label: 'ask', prompt: 'Tell me about {{ topic }} after {{ pause_output | tojson }}' },
        ],
      },
    });
    const created = await run(wpid, { parameters: { topic: 'otters' }, title: 'my run' });
    assertMatchesReference('WorkflowRunResponse', created);
    assert.match(created.run_id, /^wr_\d+$/);
    assert.equal(created.run_type, 'workflow_run');
    assert.equal(created.run_request.workflow_id, wpid);
    assert.equal(created.run_request.title, 'my run');
    assert.equal(created.output, null);
    const done = await stack.waitForTerminal(created.run_id, 30_000);
    assertMatchesReference('WorkflowRunResponse', done);
    assert.equal(done.status, 'completed', done.failure_reason);
    assert.deepEqual(done.output.pause_output, { success: true });
    assert.equal(done.output.ask_output.llm_response, 'echo: Tell me about otters after {"success": true}');
    assert.deepEqual(done.output.extracted_information, []);
    assert.match(lastUserText(llm.calls.at(-1)!.messages), /Tell me about otters/);

    const all = await stack.request('GET', '/v1/agents/runs');
    assert.equal(all.status, 200);
    for (const r of all.body) assertMatchesReference('WorkflowRun', r);
    const mine = await stack.request('GET', `/v1/agents/${wpid}/runs`);
    assert.deepEqual(mine.body.map((r: any) => r.workflow_run_id), [created.run_id]);
    assert.equal(mine.body[0].workflow_title, 'run test');
    assert.equal(mine.body[0].status, 'completed');
    assert.equal((await stack.request('GET', `/v1/workflows/${wpid}/runs?status=failed`)).body.length, 0);

    const timeline = await stack.request('GET', `/v1/runs/${created.run_id}/timeline`);
    assert.equal(timeline.status, 200);
    for (const item of timeline.body) assertMatchesReference('WorkflowRunTimeline', item);
    assert.deepEqual(timeline.body.map((i: any) => i.block.label), ['ask', 'pause'], 'newest first');
    assert.equal(timeline.body[0].block.prompt, 'Tell me about otters after {"success": true}');
    assert.equal(timeline.body[0].block.status, 'completed');
  });

  it('sends the workflow webhook (request webhook_url, else the workflow\'s webhook_callback_url)', async () => {
    const rx = await startReceiver();
    try {
      const wpid = await create({ webhook_callback_url: rx.url('/from-workflow'), workflow_definition: { parameters: [], blocks: [{ block_type: 'wait', label: 'w', wait_sec: 0 }] } });
      const inherited = await run(wpid);
      assert.equal(inherited.run_request.webhook_url, rx.url('/from-workflow'));
      const [hook] = await rx.waitFor('/from-workflow');
      assert.equal(hook.body.run_id, inherited.run_id);
      assert.equal(hook.body.status, 'completed');
      assert.equal(hook.body.workflow_run_id, inherited.run_id);
      assert.deepEqual(hook.body.output.w_output, { success: true });
      const own = await run(wpid, { webhook_url: rx.url('/from-request') });
      const [second] = await rx.waitFor('/from-request');
      assert.equal(second.body.run_id, own.run_id);
    } finally {
      await rx.close();
    }
  });

  it('accepts workflow_id on the hidden /v1/run/workflows alias', async () => {
    const wpid = await create({ workflow_definition: { parameters: [], blocks: [{ block_type: 'wait', label: 'w', wait_sec: 0 }] } });
    const res = await stack.request('POST', '/v1/run/workflows', { workflow_id: wpid });
    assert.equal(res.status, 200);
    assert.equal((await stack.waitForTerminal(res.body.run_id, 30_000)).status, 'completed');
    const none = await stack.request('POST', '/v1/run/agents', { parameters: {} });
    assert.equal(none.status, 422);
    assert.deepEqual(none.body.detail[0].loc, ['body', 'agent_id']);
    assert.equal((await stack.request('POST', '/v1/run/agents', { agent_id: 'wpid_nope' })).status, 404);
  });

  it('parameters: defaults, coercion, missing → 400 naming it (failed run kept), wrong type → 400', async () => {
    const wpid = await create({
      workflow_definition: {
        parameters: [
          { key: 'count', parameter_type: 'workflow', workflow_parameter_type: 'integer' },
          { key: 'flag', parameter_type: 'workflow', workflow_parameter_type: 'boolean', default_value: 'true' },
          { key: 'data', parameter_type: 'workflow', workflow_parameter_type: 'json', default_value: '{"k": [1, 2]}' },
        ],
        blocks: [{ block_type: 'text_prompt', label: 'p', prompt: '{{ count + 1 }} {{ flag }} {{ data.k[1] }}' }],
      },
    });
    const ok = await run(wpid, { parameters: { count: '41' } });
    const done = await stack.waitForTerminal(ok.run_id, 30_000);
    assert.equal(done.output.p_output.llm_response, 'echo: 42 true 2');

    const missing = await stack.request('POST', '/v1/run/agents', { agent_id: wpid, parameters: {} });
    assert.equal(missing.status, 400);
    assert.match(missing.body.detail, /^Missing value for parameter count in workflow run wr_\d+ of workflow wpid_/);
    const failedId = /workflow run (wr_\d+)/.exec(missing.body.detail)![1];
    const failedRun = await stack.request('GET', `/v1/runs/${failedId}`);
    assert.equal(failedRun.body.status, 'failed');
    assert.match(failedRun.body.failure_reason, /^Setup workflow failed\. failure reason: Missing value for parameter count/);
    const wrong = await stack.request('POST', '/v1/run/agents', { agent_id: wpid, parameters: { count: 'many' } });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.detail, /Invalid value for parameter count \(integer\)/);
  });

  it('max_elapsed_time_minutes ends the run timed_out (a "minute" is 500 ms here)', async () => {
    const wpid = await create({
      max_elapsed_time_minutes: 3,
      workflow_definition: { parameters: [], blocks: [
        { block_type: 'wait', label: 'quick', wait_sec: 0 }, { block_type: 'wait', label: 'long', wait_sec: 30 }, { block_type: 'wait', label: 'never', wait_sec: 0 },
      ] },
    });
    const created = await run(wpid, { max_elapsed_time_minutes: 1 });
    const done = await stack.waitForTerminal(created.run_id, 20_000);
    assert.equal(done.status, 'timed_out');
    assert.equal(done.failure_reason, 'Workflow run exceeded max elapsed runtime limit of 1 minute.');
    assert.deepEqual(done.output.quick_output, { success: true }, 'finished blocks keep their output');
    const timeline = (await stack.request('GET', `/v1/runs/${created.run_id}/timeline`)).body;
    assert.deepEqual(timeline.map((i: any) => [i.block.label, i.block.status]), [['long', 'timed_out'], ['quick', 'completed']]);
    const listed = (await stack.request('GET', `/v1/agents/${wpid}/runs`)).body[0];
    assert.equal(listed.max_elapsed_time_minutes, 1);
  });

  it('cancel stops a run inside a block and between blocks', async () => {
    const wpid = await create({ workflow_definition: { parameters: [], blocks: [{ block_type: 'wait', label: 'long', wait_sec: 60 }, { block_type: 'wait', label: 'after', wait_sec: 0 }] } });
    const created = await run(wpid);
    await stack.waitForRun(created.run_id, (r) => r.status === 'running', 20_000);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    assert.equal((await stack.request('POST', `/v1/runs/${created.run_id}/cancel`)).status, 200);
    const done = await stack.waitForTerminal(created.run_id, 10_000);
    assert.equal(done.status, 'canceled');
    assert.ok(Date.now() - t0 < 3000);
    await new Promise((r) => setTimeout(r, 500));
    const timeline = (await stack.request('GET', `/v1/runs/${created.run_id}/timeline`)).body;
    assert.deepEqual(timeline.map((i: any) => [i.block.label, i.block.status]), [['long', 'canceled']]);
  });

  it('retry re-runs a finished run with the same parameters; running runs answer 400', async () => {
    const wpid = await create({
      workflow_definition: {
        parameters: [{ key: 'n', parameter_type: 'workflow', workflow_parameter_type: 'integer' }],
        blocks: [{ block_type: 'text_prompt', label: 'p', prompt: 'n={{ n }}' }, { block_type: 'wait', label: 'slow', wait_sec: 2 }],
      },
    });
    const first = await run(wpid, { parameters: { n: 7 } });
    const busy = await stack.request('POST', `/v1/agents/runs/${first.run_id}/retry`);
    assert.equal(busy.status, 400);
    await stack.waitForTerminal(first.run_id, 30_000);
    const retried = await stack.request('POST', `/v1/agents/runs/${first.run_id}/retry`);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assertMatchesReference('WorkflowRunResponse', retried.body);
    assert.notEqual(retried.body.run_id, first.run_id);
    assert.deepEqual(retried.body.run_request.parameters, { n: 7 });
    const done = await stack.waitForTerminal(retried.body.run_id, 30_000);
    assert.equal(done.output.p_output.llm_response, 'echo: n=7');
    const listed = (await stack.request('GET', `/v1/agents/${wpid}/runs`)).body;
    assert.equal(listed.find((r: any) => r.workflow_run_id === retried.body.run_id).retried_from_workflow_run_id, first.run_id);
    assert.equal((await stack.request('POST', '/v1/workflows/runs/wr_404/retry')).status, 404);
  });

  it('x-max-steps-override must be a positive integer; the timeline refuses task runs', async () => {
    const wpid = await create({ workflow_definition: { parameters: [], blocks: [{ block_type: 'wait', label: 'w' }] } });
    const bad = await stack.request('POST', '/v1/run/agents', { agent_id: wpid }, { 'x-max-steps-override': 'lots' });
    assert.equal(bad.status, 422);
    const good = await run(wpid, {}, { 'x-max-steps-override': '3' });
    await stack.waitForTerminal(good.run_id, 30_000);
    const task = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: 'https://example.com' });
    const refused = await stack.request('GET', `/v1/runs/${task.body.run_id}/timeline`);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.detail, 'Timeline not available for run type task_v1');
    assert.equal((await stack.request('GET', '/v1/runs/wr_404/timeline')).status, 404);
    await stack.request('POST', `/v1/runs/${task.body.run_id}/cancel`);
  });
});
