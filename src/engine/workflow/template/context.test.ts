import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { blockReference, buildTemplateContext } from './context.ts';

describe('buildTemplateContext', () => {
  it('exposes outputs as <label>_output and <label> with an `output` alias', () => {
    const context = buildTemplateContext({
      blockOutputs: { ex: { extracted_information: { price: 1 }, status: 'completed' }, tp: { llm_response: 'x' }, loop: [[1]] },
      now: new Date('2025-01-02T03:04:05Z'),
    });
    assert.deepEqual(context.ex_output, { extracted_information: { price: 1 }, status: 'completed' });
    assert.deepEqual((context.ex as Record<string, unknown>).output, { price: 1 });
    assert.deepEqual((context.tp as Record<string, unknown>).output, { llm_response: 'x' });
    assert.deepEqual(context.loop, { output: [[1]] });
    assert.equal(context.current_date, '2025-01-02');
    assert.deepEqual(Object.keys(context.workflow_run_outputs as object), ['ex', 'tp', 'loop']);
  });

  it('parameters win over a same-named block reference; loop variables are set', () => {
    const context = buildTemplateContext({
      parameters: { ex: 'param value' },
      blockOutputs: { ex: { a: 1 } },
      loop: { label: 'each', current_value: 'v', current_index: 2 },
      workflow: { workflow_run_id: 'wr_9' },
    });
    assert.equal(context.ex, 'param value');
    assert.equal(context.current_value, 'v');
    assert.equal(context.current_item, 'v');
    assert.equal(context.current_index, 2);
    assert.deepEqual(context.each, { current_value: 'v', current_item: 'v', current_index: 2 });
    assert.equal(context.workflow_run_id, 'wr_9');
  });

  it('blockReference of a null extracted_information falls back to the whole output', () => {
    assert.deepEqual(blockReference({ extracted_information: null, s: 1 }).output, { extracted_information: null, s: 1 });
  });
});
