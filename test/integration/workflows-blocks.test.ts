// Control flow and templating through the API and a real worker: conditional branches (by
// expression and by a prompt answered by the scripted LLM), loops, label references, escapes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startScriptedLlm, type ScriptedLlm } from '../fixtures/llm/scripted-openai-server.ts';
import { assertMatchesReference } from '../support/reference-schemas.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { createWorkflow, lastUserText } from '../support/workflows.ts';


describe('workflow control flow and templating (API + worker)', () => {
  let stack: TestStack;
  let llm: ScriptedLlm;
  const create = (definition: Record<string, unknown>) => createWorkflow(stack, 'blocks test', definition);
  const run = async (wpid: string, body: Record<string, unknown> = {}) => {
    const res = await stack.request('POST', '/v1/run/agents', { agent_id: wpid, ...body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  before(async () => {
    process.env.SKYPORT_RUNS_TEST_CANARY = 'runs-canary-secret';
    llm = await startScriptedLlm((req) => {
      const text = lastUserText(req.messages);
      // Prompt conditionals: a condition holds when it says "TRUE".
      if (JSON.stringify(req.messages[0]).includes('You check conditions')) {
        const conditions = [...text.matchAll(/^(\d+)\. (.*)$/gm)];
        return { evaluations: conditions.map((m) => ({ index: Number(m[1]), result: m[2].includes('TRUE'), reasoning: 'scripted' })) };
      }
      return { llm_response: `echo: ${text}` };
    });
    stack = await startStack({
      worker: true,
      env: { ENABLE_OPENAI_COMPATIBLE: 'true', OPENAI_COMPATIBLE_API_BASE: `${llm.baseUrl}/v1`, OPENAI_COMPATIBLE_MODEL_NAME: 'scripted', LLM_KEY: 'OPENAI_COMPATIBLE' },
    });
  });
  after(async () => { await stack.close(); await llm.close(); });

  it('conditional branches by expression and by prompt pick the next block', async () => {
    const wpid = await create({
      workflow_definition: {
        parameters: [{ key: 'score', parameter_type: 'workflow', workflow_parameter_type: 'integer' }],
        blocks: [
          { block_type: 'conditional', label: 'by_score', next_block_label: 'ask', branch_conditions: [
            { criteria: { criteria_type: 'jinja2_template', expression: '{{ score >= 50 }}' }, next_block_label: 'high' },
            { is_default: true, next_block_label: 'low' },
          ] },
          { block_type: 'wait', label: 'high', wait_sec: 0 },
          { block_type: 'wait', label: 'low', wait_sec: 0 },
          { block_type: 'conditional', label: 'ask', branch_conditions: [
            { criteria: { criteria_type: 'prompt', expression: 'The score {{ score }} is FALSE-ish' }, next_block_label: 'never' },
            { criteria: { criteria_type: 'prompt', expression: 'This one is TRUE' }, next_block_label: 'chosen' },
          ] },
          { block_type: 'wait', label: 'never', wait_sec: 0 },
          { block_type: 'wait', label: 'chosen', wait_sec: 0 },
        ],
      },
    });
    for (const [score, branch] of [[80, 'high'], [10, 'low']] as const) {
      const created = await run(wpid, { parameters: { score } });
      const done = await stack.waitForTerminal(created.run_id, 30_000);
      assert.equal(done.status, 'completed', done.failure_reason);
      const ran = Object.keys(done.output).filter((k) => k !== 'extracted_information');
      assert.deepEqual(ran.sort(), ['ask_output', 'by_score_output', `${branch}_output`, 'chosen_output'].sort());
      assert.equal(done.output.by_score_output.next_block_label, branch);
      assert.equal(done.output.ask_output.evaluations.length, 2);
      assert.match(done.output.ask_output.llm_prompt, /The score \d+ is FALSE-ish/);
      const timeline = (await stack.request('GET', `/v1/runs/${created.run_id}/timeline`)).body;
      const check = timeline.find((i: any) => i.block.label === 'by_score').block;
      assert.equal(check.executed_branch_next_block, branch);
      assert.equal(check.executed_branch_result, branch === 'high' ? true : null);
    }
  });

  it('templating in a real run: loop variables, label references, and escapes that leak nothing', async () => {
    const wpid = await create({
      workflow_definition: {
        parameters: [{ key: 'names', parameter_type: 'workflow', workflow_parameter_type: 'json' }],
        blocks: [
          { block_type: 'for_loop', label: 'each', loop_over_parameter_key: 'names', loop_blocks: [
            { block_type: 'text_prompt', label: 'greet', prompt: '#{{ current_index }} {{ current_value | upper }}' },
          ] },
          { block_type: 'text_prompt', label: 'summary', prompt: "last={{ greet.output.llm_response }} count={{ each_output | length }} x={{ ''.constructor.constructor('return process.env.SKYPORT_RUNS_TEST_CANARY')() }}" },
        ],
      },
    });
    const created = await run(wpid, { parameters: { names: ['ann', 'bo'] } });
    const done = await stack.waitForTerminal(created.run_id, 30_000);
    assert.deepEqual(done.output.each_output.map((it: any[]) => it[0].output_value.llm_response), ['echo: #0 ANN', 'echo: #1 BO']);
    // The escape attempt makes the block fail to render; whatever happens, the secret never shows up.
    assert.doesNotMatch(JSON.stringify(done), /runs-canary-secret/);
    assert.ok(!llm.calls.some((c) => JSON.stringify(c.messages).includes('runs-canary-secret')));
    const timeline = (await stack.request('GET', `/v1/runs/${created.run_id}/timeline`)).body;
    const loop = timeline.find((i: any) => i.block.label === 'each');
    assert.deepEqual(loop.children.map((c: any) => [c.block.label, c.block.current_index, c.block.current_value]), [['greet', 1, 'bo'], ['greet', 0, 'ann']]);
    for (const item of timeline) assertMatchesReference('WorkflowRunTimeline', item);
  });

});
