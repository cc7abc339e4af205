// Behaviour of createLlmClient against the scripted OpenAI-compatible server:
// JSON repair, the single re-ask, retries, time limits, model selection, errors.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { pino } from 'pino';
import { parseLlmEnv } from '../config/llm.env.ts';
import {
  ScriptedHttpError,
  ScriptedReply,
  startScriptedLlm,
  type ScriptedHandler,
  type ScriptedLlm,
} from '../../test/fixtures/llm/scripted-openai-server.ts';
import { createLlmClient } from './client.ts';
import { LlmError } from './errors.ts';
import type { LlmLogger } from './types.ts';

let server: ScriptedLlm;
let script: ScriptedHandler = () => 'unset';
before(async () => {
  server = await startScriptedLlm((req) => script(req));
});
after(() => server.close());
beforeEach(() => server.calls.splice(0));

const env = (extra: Record<string, string> = {}) =>
  parseLlmEnv({
    ENABLE_OPENAI_COMPATIBLE: 'true',
    OPENAI_COMPATIBLE_API_BASE: `${server.baseUrl}/v1`,
    OPENAI_COMPATIBLE_MODEL_NAME: 'gpt-4o-mini',
    LLM_KEY: 'OPENAI_COMPATIBLE',
    ...extra,
  });

const schema = {
  type: 'object',
  required: ['action'],
  properties: { action: { type: 'string', enum: ['click', 'type'] } },
};

async function rejectsWith(promise: Promise<unknown>, kind: LlmError['kind']): Promise<LlmError> {
  const error = await promise.then(
    () => assert.fail('expected an LlmError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof LlmError, `expected LlmError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  return error;
}

describe('tolerant JSON', () => {
  for (const [name, reply] of [
    ['fenced', '```json\n{"action": "click"}\n```'],
    ['trailing comma', '{"action": "click",}'],
    ['single quotes', "{'action': 'click'}"],
    ['prose around it', 'Sure, here it is: {"action": "click"} Hope this helps.'],
  ] as const) {
    test(`${name} reply is repaired without a re-ask`, async () => {
      script = () => reply;
      const result = await createLlmClient(env()).complete({ prompt: 'p', purpose: 'action', jsonSchema: schema });
      assert.deepEqual(result.json, { action: 'click' });
      assert.equal(server.calls.length, 1);
    });
  }

  test('garbage first, valid second: one re-ask telling the model what was wrong', async () => {
    const replies = ['I cannot do JSON today', new ScriptedReply({ action: 'type' }, { usage: { prompt_tokens: 10, completion_tokens: 5 } })];
    script = () => replies.shift()!;
    const result = await createLlmClient(env()).complete({ prompt: 'p', purpose: 'action', jsonSchema: schema });
    assert.deepEqual(result.json, { action: 'type' });
    assert.equal(server.calls.length, 2);
    const reask = server.calls[1]!.messages;
    assert.equal(reask.at(-2).role, 'assistant');
    assert.equal(reask.at(-2).content, 'I cannot do JSON today');
    assert.match(reask.at(-1).content, /no JSON object/);
    assert.ok(result.usage.inputTokens > 10, 'usage of both calls is summed');
  });

  test('schema violation triggers the re-ask with the validation error', async () => {
    const replies: object[] = [{ action: 'dance' }, { action: 'click' }];
    script = () => replies.shift()!;
    const result = await createLlmClient(env()).complete({ prompt: 'p', purpose: 'action', jsonSchema: schema });
    assert.deepEqual(result.json, { action: 'click' });
    assert.match(server.calls[1]!.messages.at(-1).content, /must be equal to one of the allowed values/);
  });

  test('still bad after the re-ask: bad_output, retryable, with the tokens spent', async () => {
    script = () => 'nope';
    const error = await rejectsWith(createLlmClient(env()).complete({ prompt: 'p', purpose: 'action', expectJson: true }), 'bad_output');
    assert.equal(error.retryable, true);
    assert.ok(error.usage && error.usage.inputTokens > 0);
    assert.equal(server.calls.length, 2);
  });

  test('an invalid jsonSchema is a config error before any call', async () => {
    await rejectsWith(createLlmClient(env()).complete({ prompt: 'p', purpose: 'x', jsonSchema: { type: 'no-such-type' } }), 'config');
    assert.equal(server.calls.length, 0);
  });
});

describe('retries, time limits and errors', () => {
  test('429 then success is retried by the SDK', async () => {
    let n = 0;
    script = () => {
      n += 1;
      if (n === 1) throw new ScriptedHttpError(429, { error: { message: 'slow down' } }, { 'retry-after-ms': '5' });
      return 'done';
    };
    const result = await createLlmClient(env()).complete({ prompt: 'p', purpose: 'check' });
    assert.equal(result.text, 'done');
    assert.equal(server.calls.length, 2);
  });

  test('persistent 429: rate_limit after LLM_MAX_RETRIES retries', async () => {
    script = () => {
      throw new ScriptedHttpError(429, { error: { message: 'slow down' } }, { 'retry-after-ms': '1' });
    };
    const error = await rejectsWith(createLlmClient(env({ LLM_MAX_RETRIES: '2' })).complete({ prompt: 'p', purpose: 'check' }), 'rate_limit');
    assert.equal(error.retryable, true);
    assert.equal(error.status, 429);
    assert.equal(server.calls.length, 3);
  });

  test('500 is retried too; 401 is not and reads as a config problem', async () => {
    const statuses = [500, 401];
    script = () => {
      throw new ScriptedHttpError(statuses.shift() ?? 401, { error: { message: 'x' } }, { 'retry-after-ms': '1' });
    };
    const error = await rejectsWith(createLlmClient(env()).complete({ prompt: 'p', purpose: 'check' }), 'config');
    assert.equal(error.status, 401);
    assert.equal(error.retryable, false);
    assert.equal(server.calls.length, 2);
  });

  test('a slow model hits the time limit: LlmError timeout', async () => {
    script = () => new ScriptedReply('late', { delayMs: 2_000 });
    const started = Date.now();
    const error = await rejectsWith(createLlmClient(env()).complete({ prompt: 'p', purpose: 'check', timeoutMs: 150 }), 'timeout');
    assert.equal(error.retryable, true);
    assert.ok(Date.now() - started < 1_500);
  });

  test("the caller's signal aborts the call", async () => {
    script = () => new ScriptedReply('late', { delayMs: 2_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await rejectsWith(createLlmClient(env()).complete({ prompt: 'p', purpose: 'check', signal: controller.signal }), 'aborted');
  });

  test('nothing listening: provider error', async () => {
    const settings = parseLlmEnv({ ENABLE_OPENAI_COMPATIBLE: 'true', OPENAI_COMPATIBLE_API_BASE: 'http://127.0.0.1:1/v1', LLM_KEY: 'OPENAI_COMPATIBLE', LLM_MAX_RETRIES: '0' });
    const error = await rejectsWith(createLlmClient(settings).complete({ prompt: 'p', purpose: 'check' }), 'provider');
    assert.equal(error.retryable, true);
  });
});

describe('configuration and model selection', () => {
  test('bad config is reported as problems, not thrown; complete() then fails with config', async () => {
    const settings = parseLlmEnv({ LLM_KEY: 'OPENAI_GPT4O' });
    const client = createLlmClient(settings);
    assert.equal(client.configured, false);
    assert.deepEqual(client.problems, ['LLM_KEY=OPENAI_GPT4O but ENABLE_OPENAI is not true']);
    const error = await rejectsWith(client.complete({ prompt: 'p', purpose: 'check' }), 'config');
    assert.equal(error.retryable, false);
  });

  test('secondary uses SECONDARY_LLM_KEY; a per-run model_name overrides both', async () => {
    script = () => 'ok';
    const settings = env({
      ENABLE_OPENAI: 'true',
      OPENAI_API_KEY: 'sk',
      OPENAI_API_BASE: `${server.baseUrl}/v1`,
      SECONDARY_LLM_KEY: 'OPENAI_GPT4O_MINI',
    });
    const client = createLlmClient(settings);
    const primary = await client.complete({ prompt: 'p', purpose: 'action' });
    const secondary = await client.complete({ prompt: 'p', purpose: 'check', secondary: true });
    const overridden = await client.complete({ prompt: 'p', purpose: 'action', model: { model_name: 'OPENAI_GPT4_1' } });
    const byModelId = await client.complete({ prompt: 'p', purpose: 'action', model: { model_name: 'openai/gpt-4.1-nano' } });
    const unknown = await client.complete({ prompt: 'p', purpose: 'action', model: { model_name: 'no-such-model' } });
    assert.deepEqual(
      [primary, secondary, overridden, byModelId, unknown].map((r) => r.llmKey),
      ['OPENAI_COMPATIBLE', 'OPENAI_GPT4O_MINI', 'OPENAI_GPT4_1', 'OPENAI_GPT4_1_NANO', 'OPENAI_COMPATIBLE'],
    );
    assert.deepEqual(
      server.calls.map((c) => c.path),
      ['/v1/chat/completions', '/v1/responses', '/v1/responses', '/v1/responses', '/v1/chat/completions'],
    );
  });

  test('screenshots go out as image parts only when the model has vision', async () => {
    script = () => 'seen';
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    await createLlmClient(env()).complete({ prompt: 'p', purpose: 'action', images: [png] });
    await createLlmClient(env({ OPENAI_COMPATIBLE_SUPPORTS_VISION: 'true' })).complete({ prompt: 'p', purpose: 'action', images: [png] });
    assert.equal(JSON.stringify(server.calls[0]!.messages).includes('image_url'), false);
    const parts = server.calls[1]!.messages.at(-1).content;
    assert.equal(parts[1].image_url.url, `data:image/png;base64,${png.toString('base64')}`);
  });

  test('streaming clients get SSE with usage', async () => {
    script = () => 'streamed reply that is longer than one chunk';
    const response = await fetch(`${server.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [], stream: true, stream_options: { include_usage: true } }),
    });
    const events = (await response.text()).split('\n\n').filter(Boolean);
    assert.equal(events.at(-1), 'data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)));
    assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), 'streamed reply that is longer than one chunk');
    assert.ok(chunks.at(-1).usage.completion_tokens > 0);
  });

  test('GET /v1/models answers like OpenAI', async () => {
    const body = (await (await fetch(`${server.baseUrl}/v1/models`)).json()) as { object: string; data: unknown[] };
    assert.equal(body.object, 'list');
    assert.equal(body.data.length, 1);
  });

  test('a pino-style logger hears about re-asks', async () => {
    const lines: string[] = [];
    const logger: LlmLogger = { debug: () => {}, info: () => {}, warn: (_o, msg) => lines.push(msg ?? ''), error: () => {} };
    const replies = ['x', '{"action": "click"}'];
    script = () => replies.shift()!;
    await createLlmClient(env(), logger).complete({ prompt: 'p', purpose: 'action', jsonSchema: schema });
    assert.deepEqual(lines, ['llm reply unusable; asking once more']);
  });

  test('a real pino logger fits the LlmLogger type', async () => {
    script = () => 'ok';
    const logger: LlmLogger = pino({ level: 'silent' });
    assert.equal((await createLlmClient(env(), logger).complete({ prompt: 'p', purpose: 'check' })).text, 'ok');
  });
});
