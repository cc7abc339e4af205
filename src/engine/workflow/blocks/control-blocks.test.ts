// for_loop, while_loop and conditional without a database: iteration values, loop variables,
// per-iteration failure handling, the iteration cap, nested loops, and both kinds of branch.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runWorkflow } from '../runner.ts';
import { echoHandler, failHandler, fakeEnv, fakeLlm, runInput } from '../../../../test/support/workflow-env.ts';
import type { BlockHandler } from './block-handler.ts';

const wf = (blocks: unknown[], parameters: unknown[] = []) => ({ title: 'T', workflow_definition: { parameters, blocks } });
const listParam = (key: string) => ({ key, parameter_type: 'workflow', workflow_parameter_type: 'json' });

describe('for_loop', () => {
  it('loops over a parameter; body sees current_value / current_item / current_index and the loop label', async () => {
    const { env, rows } = fakeEnv({ handlers: { text_prompt: echoHandler } });
    const outcome = await runWorkflow(runInput(wf([{
      block_type: 'for_loop', label: 'each', loop_over_parameter_key: 'items',
      loop_blocks: [{ block_type: 'text_prompt', label: 'say', prompt: '{{ current_index }}:{{ current_value.name }}:{{ current_item.name }}:{{ each.current_index }}' }],
    }], [listParam('items')]), { items: [{ name: 'a' }, { name: 'b' }] }), env);
    assert.equal(outcome.status, 'completed');
    const out = outcome.output as any;
    assert.deepEqual(out.each_output.map((it: any[]) => it[0].output_value.prompt), ['0:a:a:0', '1:b:b:1']);
    assert.deepEqual(out.each_output[1][0].loop_value, { name: 'b' });
    assert.equal(out.each_output[0][0].output_parameter.key, 'say_output');
    assert.equal(out.say_output.prompt, '1:b:b:1', 'the body block output is the last iteration\'s');
    const loopRow = rows.find((r) => r.label === 'each')!;
    assert.deepEqual(loopRow.loopValues, [{ name: 'a' }, { name: 'b' }]);
    const bodyRows = rows.filter((r) => r.label === 'say');
    assert.deepEqual(bodyRows.map((r) => [r.parentBlockRunId, r.currentIndex, r.currentValue]), [[loopRow.id, 0, '{"name":"a"}'], [loopRow.id, 1, '{"name":"b"}']]);
  });

  it('loop_variable_reference over an earlier block output, with and without braces, and extracted_information fallbacks', async () => {
    const source: BlockHandler = async () => ({ status: 'completed', output: { extracted_information: { results: ['x', 'y', 'z'] } } });
    for (const reference of ['{{ src.output.results }}', 'src_output.extracted_information.results', '{{src_output.extracted_information.results}}', '{{ src_output.results }}']) {
      const { env } = fakeEnv({ handlers: { wait: source, text_prompt: echoHandler } });
      const outcome = await runWorkflow(runInput(wf([
        { block_type: 'wait', label: 'src' },
        { block_type: 'for_loop', label: 'loop', loop_variable_reference: reference, loop_blocks: [{ block_type: 'text_prompt', label: 'p', prompt: '{{ current_value }}' }] },
      ])), env);
      assert.equal(outcome.status, 'completed', reference);
      assert.deepEqual((outcome.output as any).loop_output.map((i: any[]) => i[0].output_value.prompt), ['x', 'y', 'z'], reference);
    }
  });

  it('empty lists: failure unless complete_if_empty; the cap refuses oversized lists', async () => {
    const body = [{ block_type: 'text_prompt', label: 'p', prompt: 'x' }];
    const empty = await runWorkflow(runInput(wf([{ block_type: 'for_loop', label: 'l', loop_over_parameter_key: 'items', loop_blocks: body }], [listParam('items')]), { items: [] }), fakeEnv({ handlers: { text_prompt: echoHandler } }).env);
    assert.equal(empty.status, 'failed');
    assert.match(empty.failureReason!, /No iterable value found/);
    const ok = await runWorkflow(runInput(wf([{ block_type: 'for_loop', label: 'l', loop_over_parameter_key: 'items', complete_if_empty: true, loop_blocks: body }], [listParam('items')]), { items: [] }), fakeEnv().env);
    assert.equal(ok.status, 'completed');
    assert.deepEqual((ok.output as any).l_output, []);
    const capped = await runWorkflow(runInput(wf([{ block_type: 'for_loop', label: 'l', loop_over_parameter_key: 'items', loop_blocks: body }], [listParam('items')]), { items: [1, 2, 3] }), fakeEnv({ maxLoopIterations: 2, handlers: { text_prompt: echoHandler } }).env);
    assert.equal(capped.status, 'failed');
    assert.match(capped.failureReason!, /limit is 2 iterations/);
  });

  it('per-iteration failure handling: stop, continue_on_failure in the body, next_loop_on_failure, loop continue_on_failure', async () => {
    const flaky: BlockHandler = async (ctx) => (ctx.block as any).prompt === 'bad'
      ? { status: 'failed', output: null, failureReason: 'bad item' } : { status: 'completed', output: { ok: (ctx.block as any).prompt } };
    const run = async (loop: Record<string, unknown>, body: Record<string, unknown> = {}) => {
      const { env, rows } = fakeEnv({ handlers: { text_prompt: flaky, wait: echoHandler } });
      const outcome = await runWorkflow(runInput(wf([{
        block_type: 'for_loop', label: 'l', loop_over_parameter_key: 'items', ...loop,
        loop_blocks: [{ block_type: 'text_prompt', label: 'p', prompt: '{{ current_value }}', ...body }, { block_type: 'wait', label: 'after' }],
      }], [listParam('items')]), { items: ['good', 'bad', 'fine'] }), env);
      return { outcome, ran: rows.filter((r) => r.label !== 'l').map((r) => `${r.label}${r.currentIndex}`) };
    };
    const stop = await run({});
    assert.equal(stop.outcome.status, 'failed');
    assert.deepEqual(stop.ran, ['p0', 'after0', 'p1']);
    assert.match(stop.outcome.failureReason!, /for_loop block failed.*iteration 1.*bad item/);
    const keepGoing = await run({}, { continue_on_failure: true });
    assert.equal(keepGoing.outcome.status, 'completed');
    assert.deepEqual(keepGoing.ran, ['p0', 'after0', 'p1', 'after1', 'p2', 'after2']);
    const skip = await run({ next_loop_on_failure: true });
    assert.equal(skip.outcome.status, 'completed');
    assert.deepEqual(skip.ran, ['p0', 'after0', 'p1', 'p2', 'after2']);
    const loopLevel = await run({ continue_on_failure: true });
    assert.equal(loopLevel.outcome.status, 'completed');
    assert.deepEqual(loopLevel.ran, ['p0', 'after0', 'p1', 'p2', 'after2']);
  });

  it('nested loops see the inner current_value and the outer loop through its label', async () => {
    const { env } = fakeEnv({ handlers: { text_prompt: echoHandler } });
    const outcome = await runWorkflow(runInput(wf([{
      block_type: 'for_loop', label: 'outer', loop_over_parameter_key: 'rows',
      loop_blocks: [{
        block_type: 'for_loop', label: 'inner', loop_variable_reference: '{{ current_value.cells }}',
        loop_blocks: [{ block_type: 'text_prompt', label: 'cell', prompt: '{{ outer.current_index }}.{{ current_index }}={{ current_value }}' }],
      }],
    }], [listParam('rows')]), { rows: [{ cells: ['a', 'b'] }, { cells: ['c'] }] }), env);
    assert.equal(outcome.status, 'completed');
    const prompts = (outcome.output as any).outer_output.flatMap((it: any[]) => it[0].output_value.flatMap((inner: any[]) => inner.map((c: any) => c.output_value.prompt)));
    assert.deepEqual(prompts, ['0.0=a', '0.1=b', '1.0=c']);
  });

  it('context parameters: sourced from a block output, and the current item of a loop over them', async () => {
    const source: BlockHandler = async () => ({ status: 'completed', output: { task_id: 'tsk_1', status: 'completed', errors: [], extracted_information: { order_ids: ['o1', 'o2'] } } });
    const { env } = fakeEnv({ handlers: { wait: source, text_prompt: echoHandler } });
    const outcome = await runWorkflow(runInput(wf([
      { block_type: 'wait', label: 'get_ids' },
      { block_type: 'for_loop', label: 'each', loop_over_parameter_key: 'order_ids', loop_blocks: [{ block_type: 'text_prompt', label: 'p', prompt: 'order {{ order_id }}', parameter_keys: ['order_id'] }] },
    ], [
      { parameter_type: 'context', key: 'order_ids', source_parameter_key: 'get_ids_output' },
      { parameter_type: 'context', key: 'order_id', source_parameter_key: 'order_ids' },
    ])), env);
    assert.equal(outcome.status, 'completed', outcome.failureReason ?? '');
    assert.deepEqual((outcome.output as any).each_output.map((i: any[]) => i[0].output_value.prompt), ['order o1', 'order o2']);
  });
});

describe('while_loop', () => {
  it('runs while the condition holds and fails at the cap', async () => {
    const { env } = fakeEnv({ handlers: { text_prompt: echoHandler } });
    const ok = await runWorkflow(runInput(wf([{
      block_type: 'while_loop', label: 'w', condition: { criteria_type: 'jinja2_template', expression: '{{ current_index < 3 }}' },
      loop_blocks: [{ block_type: 'text_prompt', label: 'p', prompt: 'i{{ current_index }}' }],
    }])), env);
    assert.equal(ok.status, 'completed');
    assert.deepEqual((ok.output as any).w_output.map((i: any[]) => i[0].output_value.prompt), ['i0', 'i1', 'i2']);
    const forever = await runWorkflow(runInput(wf([{
      block_type: 'while_loop', label: 'w', condition: { criteria_type: 'jinja2_template', expression: 'yes' },
      loop_blocks: [{ block_type: 'text_prompt', label: 'p', prompt: 'x' }],
    }])), fakeEnv({ maxLoopIterations: 5, handlers: { text_prompt: echoHandler } }).env);
    assert.equal(forever.status, 'failed');
    assert.match(forever.failureReason!, /after 5 iterations/);
  });
});

describe('conditional', () => {
  const graph = (branches: unknown[], params: unknown[] = []) => wf([
    { block_type: 'text_prompt', label: 'start', prompt: 'start', next_block_label: 'check' },
    { block_type: 'conditional', label: 'check', branch_conditions: branches },
    { block_type: 'text_prompt', label: 'yes', prompt: 'yes' },
    { block_type: 'text_prompt', label: 'no', prompt: 'no' },
  ], params);

  it('takes the first branch whose Jinja expression is truthy, else the default', async () => {
    const branches = [
      { criteria: { criteria_type: 'jinja2_template', expression: '{{ n > 5 }}' }, next_block_label: 'yes' },
      { is_default: true, next_block_label: 'no' },
    ];
    const param = [{ key: 'n', parameter_type: 'workflow', workflow_parameter_type: 'integer' }];
    for (const [n, taken] of [[9, 'yes'], [1, 'no']] as const) {
      const { env, rows } = fakeEnv({ handlers: { text_prompt: echoHandler } });
      const outcome = await runWorkflow(runInput(graph(branches, param), { n }), env);
      assert.equal(outcome.status, 'completed');
      assert.deepEqual(rows.map((r) => r.label), ['start', 'check', taken]);
      const check = (outcome.output as any).check_output;
      assert.equal(check.next_block_label, taken);
      assert.equal(check.branch_index, taken === 'yes' ? 0 : 1);
      assert.ok(check.branch_id);
      const row = rows.find((r) => r.label === 'check')! as any;
      assert.equal(row.details.executed_branch_next_block, taken);
    }
  });

  it('fails when nothing matches and there is no default', async () => {
    const { env } = fakeEnv({ handlers: { text_prompt: echoHandler } });
    const outcome = await runWorkflow(runInput(graph([
      { criteria: { expression: '{{ false }}' }, next_block_label: 'yes' },
      { criteria: { expression: 'off' }, next_block_label: 'no' },
    ])), env);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.failureReason!, /no default branch/);
  });

  it('batches natural-language branches into one LLM call and follows its verdict', async () => {
    const llm = fakeLlm(() => ({ evaluations: [{ index: 0, result: false, reasoning: 'not ready' }, { index: 1, result: true, reasoning: 'failed shown' }] }));
    const { env, rows } = fakeEnv({ llm, handlers: { text_prompt: echoHandler } });
    const outcome = await runWorkflow(runInput(graph([
      { criteria: { criteria_type: 'prompt', expression: 'The report is ready' }, next_block_label: 'yes' },
      { criteria: { criteria_type: 'prompt', expression: 'The report failed for {{ start_output.prompt }}' }, next_block_label: 'no' },
      { is_default: true, next_block_label: null },
    ])), env);
    assert.equal(outcome.status, 'completed');
    assert.equal(llm.calls.length, 1);
    assert.match(llm.calls[0].prompt, /0\. The report is ready\n1\. The report failed for start/);
    assert.deepEqual(rows.map((r) => r.label), ['start', 'check', 'no']);
    const check = (outcome.output as any).check_output;
    assert.equal(check.criteria_type, 'prompt');
    assert.equal(check.evaluations.length, 2);
    assert.ok(check.llm_prompt);
  });
});

describe('task-like blocks', () => {
  it('fail with a clear reason when no agent is wired; x-max-steps-override wins over the block cap', async () => {
    const missing = await runWorkflow(runInput(wf([{ block_type: 'navigation', label: 'n', navigation_goal: 'go' }])), fakeEnv().env);
    assert.equal(missing.status, 'failed');
    assert.match(missing.failureReason!, /browser agent is not available/);
    const seen: any[] = [];
    const { env } = fakeEnv({ taskBlocks: async (req) => { seen.push(req); return { status: 'completed', extractedInformation: { price: 3 }, failureReason: null, errors: [] }; } });
    (env as any).browser = async () => ({});
    const input = runInput(wf([
      { block_type: 'extraction', label: 'ex', data_extraction_goal: 'price of {{ item }}', max_steps_per_run: 7, data_schema: { type: 'object' } },
      { block_type: 'task', label: 't', navigation_goal: 'pay {{ ex.output.price }}', url: 'site', parameter_keys: ['item'] },
    ], [{ key: 'item', parameter_type: 'workflow', workflow_parameter_type: 'string' }, { key: 'site', parameter_type: 'workflow', workflow_parameter_type: 'string' }]),
    { item: 'tea', site: 'https://shop.example' }, { maxStepsOverride: 2 });
    const outcome = await runWorkflow(input, env);
    assert.equal(outcome.status, 'completed');
    assert.equal(seen[0].dataExtractionGoal, 'price of tea');
    assert.equal(seen[0].maxSteps, 2);
    assert.equal(seen[1].navigationGoal, 'pay 3');
    assert.equal(seen[1].url, 'https://shop.example', 'a url naming a parameter means its value');
    assert.deepEqual(seen[1].navigationPayload, { item: 'tea' });
    const out = outcome.output as any;
    assert.match(out.ex_output.task_id, /^tsk_/);
    assert.deepEqual(out.extracted_information, [{ price: 3 }, { price: 3 }]);
  });
});
