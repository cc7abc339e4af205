// The runner without Postgres, Redis or a browser: block order, templating between blocks,
// failure handling, finally blocks, outputs and block rows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runWorkflow } from './runner.ts';
import { echoHandler, failHandler, fakeEnv, runInput } from '../../../test/support/workflow-env.ts';

const wf = (blocks: unknown[], parameters: unknown[] = [], extra: Record<string, unknown> = {}) => ({
  title: 'T', workflow_definition: { parameters, blocks, ...extra },
});

describe('runWorkflow', () => {
  it('runs blocks in order, renders templates with params and earlier outputs, assembles the output', async () => {
    const { env, rows, runOutputs } = fakeEnv({ handlers: { text_prompt: echoHandler } });
    const input = runInput(wf([
      { block_type: 'text_prompt', label: 'first', prompt: 'Hello {{ name }} on {{ current_date }} in {{ workflow_run_id }}' },
      { block_type: 'text_prompt', label: 'second', prompt: '{{ first_output.prompt }} / {{ first.output.prompt }} / {{ first_output | tojson }}' },
    ], [{ key: 'name', parameter_type: 'workflow', workflow_parameter_type: 'string' }]), { name: 'Ada' });
    const outcome = await runWorkflow(input, env);
    assert.equal(outcome.status, 'completed');
    const out = outcome.output as any;
    assert.equal(out.first_output.prompt, 'Hello Ada on 2026-01-31 in wr_1');
    const [viaOutput, viaReference, asJson] = out.second_output.prompt.split(' / ');
    assert.equal(viaOutput, 'Hello Ada on 2026-01-31 in wr_1');
    assert.equal(viaReference, 'Hello Ada on 2026-01-31 in wr_1');
    assert.equal(JSON.parse(asJson).prompt, 'Hello Ada on 2026-01-31 in wr_1');
    assert.deepEqual(out.extracted_information, []);
    assert.deepEqual(rows.map((r) => [r.label, r.status, r.parentBlockRunId]), [['first', 'completed', null], ['second', 'completed', null]]);
    assert.equal(runOutputs.length, 2, 'the run output is saved after each top-level block');
  });

  it('a failed block fails the run with Skyvern\'s reason; continue_on_failure carries on', async () => {
    const { env } = fakeEnv({ handlers: { wait: failHandler('no time'), text_prompt: echoHandler } });
    const failing = await runWorkflow(runInput(wf([{ block_type: 'wait', label: 'w' }, { block_type: 'text_prompt', label: 'p', prompt: 'x' }])), env);
    assert.equal(failing.status, 'failed');
    assert.equal(failing.failureReason, 'wait block failed. failure reason: no time');
    assert.equal((failing.output as any)?.p_output, undefined);
    const tolerant = await runWorkflow(runInput(wf([{ block_type: 'wait', label: 'w', continue_on_failure: true }, { block_type: 'text_prompt', label: 'p', prompt: 'x' }])), env);
    assert.equal(tolerant.status, 'completed');
    assert.equal((tolerant.output as any).p_output.prompt, 'x');
  });

  it('terminated and canceled blocks map to the run; a block type without handler fails clearly', async () => {
    const { env } = fakeEnv({ handlers: { wait: async () => ({ status: 'terminated', output: null, failureReason: 'nope' }) } });
    assert.equal((await runWorkflow(runInput(wf([{ block_type: 'wait', label: 'w' }])), env)).status, 'terminated');
    const { env: bare } = fakeEnv();
    const missing = await runWorkflow(runInput(wf([{ block_type: 'google_sheets_read', label: 'g', spreadsheet_url: 'x' }])), bare);
    assert.equal(missing.status, 'failed');
    assert.match(missing.failureReason!, /google_sheets_read cannot run on this server/);
  });

  it('next_block_label jumps; the finally block runs after a failure and keeps the failure', async () => {
    const { env, rows } = fakeEnv({ handlers: { text_prompt: echoHandler, wait: failHandler() } });
    const input = runInput(wf([
      { block_type: 'text_prompt', label: 'a', prompt: 'a', next_block_label: 'c' },
      { block_type: 'text_prompt', label: 'b', prompt: 'b', next_block_label: 'd' },
      { block_type: 'wait', label: 'c', next_block_label: 'b' },
      { block_type: 'text_prompt', label: 'd', prompt: 'd' },
      { block_type: 'text_prompt', label: 'cleanup', prompt: 'finally' },
    ], [], { finally_block_label: 'cleanup' }));
    const outcome = await runWorkflow(input, env);
    assert.deepEqual(rows.map((r) => r.label), ['a', 'c', 'cleanup']);
    assert.equal(outcome.status, 'failed');
    assert.equal((outcome.output as any).cleanup_output.prompt, 'finally');
  });

  it('strict templating fails the block naming the variable; lax renders it empty', async () => {
    const blocks = [{ block_type: 'text_prompt', label: 'p', prompt: 'x{{ workflow_run_outputs.nothing }}y' }];
    const lax = await runWorkflow(runInput(wf(blocks)), fakeEnv({ handlers: { text_prompt: echoHandler } }).env);
    assert.equal((lax.output as any).p_output.prompt, 'xy');
  });

  it('template escapes render to nothing harmful inside a real run', async () => {
    process.env.SKYPORT_WORKFLOW_CANARY = 'canary-secret-value';
    const { env } = fakeEnv({ handlers: { text_prompt: echoHandler } });
    const attempts = [
      "{{ ''.constructor.constructor('return process.env')() }}",
      '{{ name.constructor.constructor("return process")().env.SKYPORT_WORKFLOW_CANARY }}',
      '{{ name.__proto__ }}{{ self.__init__.__globals__ }}{{ cycler.__init__.__globals__.os.environ }}',
    ];
    for (const prompt of attempts) {
      const outcome = await runWorkflow(runInput(wf([{ block_type: 'text_prompt', label: 'p', prompt }], [{ key: 'name', parameter_type: 'workflow', workflow_parameter_type: 'string' }]), { name: 'n' }), env);
      const text = JSON.stringify(outcome);
      // A failed render is fine (the block fails); what must never appear is the host's data.
      assert.doesNotMatch(text, /canary-secret-value|native code|\[object|PATH=|NODE_/, text);
    }
  });
});
