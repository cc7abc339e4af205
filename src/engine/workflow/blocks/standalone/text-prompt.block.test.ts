import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startScriptedLlm, type ScriptedHandler, type ScriptedLlm } from '../../../../../test/fixtures/llm/scripted-openai-server.ts';
import { blockContext, scriptedLlmClient } from '../../../../../test/support/block-context.ts';
import { textPromptBlock } from './text-prompt.block.ts';

const SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, population: { type: 'integer' } },
  required: ['city', 'population'],
};

describe('text_prompt block (scripted OpenAI-compatible server)', () => {
  let llm: ScriptedLlm;
  let answer: ScriptedHandler = () => 'unset';
  before(async () => { llm = await startScriptedLlm((req) => answer(req)); });
  after(async () => { await llm.close(); });
  beforeEach(() => { llm.calls.length = 0; });

  const run = (block: Record<string, unknown>) => {
    const ctx = blockContext({ block_type: 'text_prompt', label: 'ask', prompt: 'Which city?', ...block } as never, { llm: scriptedLlmClient(llm.baseUrl) });
    return { ctx, result: textPromptBlock(ctx) };
  };

  it('without json_schema wraps a prose reply as {"llm_response": text}', async () => {
    answer = () => 'Paris, most likely.';
    const { ctx, result } = run({});
    assert.deepEqual(await result, { status: 'completed', output: { llm_response: 'Paris, most likely.' }, failureReason: null });
    assert.equal(llm.calls.length, 1);
    assert.match(JSON.stringify(llm.calls[0]!.messages), /Which city\?/);
    assert.match(JSON.stringify(llm.calls[0]!.messages), /llm_response/);
    assert.equal(ctx.recorder.usage.length, 1);
    assert.ok(ctx.recorder.usage[0]!.inputTokens > 0);
    assert.deepEqual(ctx.recorder.artifacts.map((a) => a.type), ['llm_prompt', 'llm_response']);
  });

  it('without json_schema keeps a JSON object reply as it is', async () => {
    answer = () => '```json\n{"llm_response": "Paris"}\n```';
    const { result } = run({});
    assert.deepEqual((await result).output, { llm_response: 'Paris' });
  });

  it('with json_schema returns the parsed JSON that satisfies it', async () => {
    answer = () => ({ city: 'Lyon', population: 522000 });
    const { result } = run({ json_schema: SCHEMA });
    const done = await result;
    assert.equal(done.status, 'completed');
    assert.deepEqual(done.output, { city: 'Lyon', population: 522000 });
    assert.match(JSON.stringify(llm.calls[0]!.messages), /population/, 'the schema is sent to the model');
  });

  it('re-asks once when the reply does not match the schema, then succeeds', async () => {
    let n = 0;
    answer = () => (++n === 1 ? { city: 'Lyon', population: 'many' } : { city: 'Lyon', population: 522000 });
    const { ctx, result } = run({ json_schema: SCHEMA });
    const done = await result;
    assert.equal(done.status, 'completed');
    assert.equal(llm.calls.length, 2);
    assert.match(JSON.stringify(llm.calls[1]!.messages), /population/);
    assert.equal(ctx.recorder.usage.length, 1, 'usage of both calls recorded once');
  });

  it('fails when the reply still does not match after the re-ask', async () => {
    answer = () => ({ city: 42 });
    const { ctx, result } = run({ json_schema: SCHEMA });
    const done = await result;
    assert.equal(done.status, 'failed');
    assert.match(done.failureReason ?? '', /schema/);
    assert.equal(llm.calls.length, 2);
    assert.ok(ctx.recorder.usage[0]!.inputTokens > 0, 'tokens spent on failed replies still count');
  });

  it('fails without calling the model when json_schema itself is invalid', async () => {
    answer = () => ({});
    const { result } = run({ json_schema: { type: 'no-such-type' } });
    const done = await result;
    assert.equal(done.status, 'failed');
    assert.match(done.failureReason ?? '', /JSON schema is invalid/);
    assert.equal(llm.calls.length, 0);
  });

  it('passes llm_key through as the model choice', async () => {
    answer = () => 'ok';
    const { result } = run({ llm_key: 'OPENAI_COMPATIBLE' });
    assert.equal((await result).status, 'completed');
    assert.equal(llm.calls[0]!.model, 'scripted');
  });
});
