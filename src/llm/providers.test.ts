// One test per provider adapter: env-style settings point at a local fake that
// speaks the provider's wire format; the reply, usage and auth header must come through.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { parseLlmEnv } from '../config/llm.env.ts';
import { startFakeAnthropic, startFakeGemini, startFakeOllama } from '../../test/fixtures/llm/fake-providers.ts';
import type { FixtureServer } from '../../test/fixtures/llm/http-fixture.ts';
import { ScriptedReply, startScriptedLlm, type ScriptedLlm } from '../../test/fixtures/llm/scripted-openai-server.ts';
import { createLlmClient } from './client.ts';

const servers: Array<FixtureServer | ScriptedLlm> = [];
after(() => Promise.all(servers.map((s) => s.close())));

async function track<T extends FixtureServer | ScriptedLlm>(server: Promise<T>): Promise<T> {
  const started = await server;
  servers.push(started);
  return started;
}

const answer = { action: 'click', element_id: 'A1' };
const usage = { prompt_tokens: 120, completion_tokens: 30, cached_tokens: 20 };

describe('provider adapters', () => {
  test('openai (Responses API, the SDK default) reaches /v1/responses with a bearer key', async () => {
    const server = await track(startScriptedLlm(() => new ScriptedReply(answer, { usage })));
    const settings = parseLlmEnv({ ENABLE_OPENAI: 'true', OPENAI_API_KEY: 'sk-test', OPENAI_API_BASE: `${server.baseUrl}/v1`, LLM_KEY: 'OPENAI_GPT4O' });
    const result = await createLlmClient(settings).complete({ prompt: 'next action?', purpose: 'action', expectJson: true });
    assert.deepEqual(result.json, answer);
    assert.deepEqual(result.usage, { inputTokens: 120, outputTokens: 30, cachedTokens: 20 });
    assert.equal(result.model, 'gpt-4o');
    assert.ok(result.costUsd > 0);
    assert.equal(server.calls[0]!.path, '/v1/responses');
    assert.equal(server.calls[0]!.headers.authorization, 'Bearer sk-test');
    assert.equal(server.calls[0]!.body.model, 'gpt-4o');
  });

  test('openai with OPENAI_API_MODE=chat uses /v1/chat/completions', async () => {
    const server = await track(startScriptedLlm(() => new ScriptedReply('plain text', { usage })));
    const settings = parseLlmEnv({
      ENABLE_OPENAI: 'true',
      OPENAI_API_KEY: 'sk-chat',
      OPENAI_API_BASE: `${server.baseUrl}/v1`,
      OPENAI_API_MODE: 'chat',
      LLM_KEY: 'OPENAI_GPT4_1_MINI',
    });
    const result = await createLlmClient(settings).complete({ prompt: 'hi', purpose: 'check' });
    assert.equal(result.text, 'plain text');
    assert.deepEqual(result.usage, { inputTokens: 120, outputTokens: 30, cachedTokens: 20 });
    assert.equal(server.calls[0]!.path, '/v1/chat/completions');
    assert.equal(server.calls[0]!.headers.authorization, 'Bearer sk-chat');
    assert.equal(server.calls[0]!.body.model, 'gpt-4.1-mini');
  });

  test('anthropic reaches /v1/messages with x-api-key', async () => {
    const server = await track(startFakeAnthropic({ reply: () => '```json\n{"action": "click", "element_id": "A1"}\n```', usage: { input: 50, output: 12 } }));
    const settings = parseLlmEnv({
      ENABLE_ANTHROPIC: 'true',
      ANTHROPIC_API_KEY: 'ak-test',
      ANTHROPIC_API_BASE: server.baseUrl,
      LLM_KEY: 'ANTHROPIC_CLAUDE3.5_SONNET',
    });
    const result = await createLlmClient(settings).complete({ system: 'be brief', prompt: 'next?', purpose: 'action', expectJson: true });
    assert.deepEqual(result.json, answer);
    assert.equal(result.usage.inputTokens, 50);
    assert.equal(result.usage.outputTokens, 12);
    assert.equal(server.calls[0]!.headers['x-api-key'], 'ak-test');
    assert.equal(server.calls[0]!.body.model, 'claude-3-5-sonnet-20241022');
    assert.match(JSON.stringify(server.calls[0]!.body.system), /be brief/);
    assert.equal(server.calls[0]!.body.max_tokens, 16_384);
  });

  test('gemini reaches models/{model}:generateContent with x-goog-api-key', async () => {
    const server = await track(startFakeGemini({ reply: () => JSON.stringify(answer), usage: { input: 40, output: 8 } }));
    const settings = parseLlmEnv({ ENABLE_GEMINI: 'true', GEMINI_API_KEY: 'gk-test', GEMINI_API_BASE: server.baseUrl, LLM_KEY: 'GEMINI_2.5_FLASH' });
    const result = await createLlmClient(settings).complete({ prompt: 'next?', purpose: 'action', expectJson: true });
    assert.deepEqual(result.json, answer);
    assert.equal(result.usage.inputTokens, 40);
    assert.equal(result.usage.outputTokens, 8);
    assert.equal(server.calls[0]!.path, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(server.calls[0]!.headers['x-goog-api-key'], 'gk-test');
  });

  test('azure reaches /openai/deployments/{deployment}/chat/completions with api-key and api-version', async () => {
    const server = await track(startScriptedLlm(() => new ScriptedReply(answer, { usage })));
    const settings = parseLlmEnv({
      ENABLE_AZURE: 'true',
      AZURE_DEPLOYMENT: 'my-gpt4o',
      AZURE_API_KEY: 'az-test',
      AZURE_API_BASE: `${server.baseUrl}/`,
      AZURE_API_VERSION: '2024-08-01-preview',
      LLM_KEY: 'AZURE_OPENAI',
    });
    const result = await createLlmClient(settings).complete({ prompt: 'next?', purpose: 'action', expectJson: true });
    assert.deepEqual(result.json, answer);
    assert.equal(result.usage.inputTokens, 120);
    const call = server.calls[0]!;
    assert.equal(call.path, '/openai/deployments/my-gpt4o/chat/completions');
    assert.equal(call.headers['api-key'], 'az-test');
  });

  test('ollama reaches /api/chat and images are sent only when OLLAMA_SUPPORTS_VISION', async () => {
    const server = await track(startFakeOllama({ reply: () => 'ok from ollama', usage: { input: 33, output: 4 } }));
    const base = { ENABLE_OLLAMA: 'true', OLLAMA_SERVER_URL: server.baseUrl, OLLAMA_MODEL: 'qwen2.5vl:7b', LLM_KEY: 'OLLAMA' };
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const blind = await createLlmClient(parseLlmEnv(base)).complete({ prompt: 'look', images: [png], purpose: 'check' });
    assert.equal(blind.text, 'ok from ollama');
    assert.deepEqual(blind.usage, { inputTokens: 33, outputTokens: 4 });
    assert.equal(blind.costUsd, 0);
    assert.equal(server.calls[0]!.body.model, 'qwen2.5vl:7b');
    assert.equal(JSON.stringify(server.calls[0]!.body).includes('images'), false);

    const seeing = createLlmClient(parseLlmEnv({ ...base, OLLAMA_SUPPORTS_VISION: 'true' }));
    assert.equal(seeing.supportsVision, true);
    await seeing.complete({ prompt: 'look', images: [png], purpose: 'check' });
    assert.deepEqual(server.calls[1]!.body.messages.at(-1).images, [png.toString('base64')]);
  });

  test('openai-compatible: the end-to-end env path with only base URL and LLM_KEY', async () => {
    const server = await track(startScriptedLlm(({ messages }) => ({ echoed: messages.length })));
    const settings = parseLlmEnv({ ENABLE_OPENAI_COMPATIBLE: 'true', OPENAI_COMPATIBLE_API_BASE: `${server.baseUrl}/v1`, LLM_KEY: 'OPENAI_COMPATIBLE' });
    assert.deepEqual(settings.problems, []);
    const client = createLlmClient(settings);
    assert.equal(client.configured, true);
    const result = await client.complete({ system: 'sys', prompt: 'go', purpose: 'plan', expectJson: true });
    assert.deepEqual(result.json, { echoed: 2 });
    assert.ok(result.usage.inputTokens > 0 && result.usage.outputTokens > 0);
    assert.equal(server.calls[0]!.path, '/v1/chat/completions');
    assert.equal(server.calls[0]!.headers.authorization, undefined);
  });

  test('openai-compatible with a key sends it as bearer', async () => {
    const server = await track(startScriptedLlm(() => 'fine'));
    const settings = parseLlmEnv({
      ENABLE_OPENAI_COMPATIBLE: 'true',
      OPENAI_COMPATIBLE_API_BASE: `${server.baseUrl}/v1`,
      OPENAI_COMPATIBLE_API_KEY: 'oc-key',
      OPENAI_COMPATIBLE_MODEL_NAME: 'llama-3.3-70b',
      LLM_KEY: 'OPENAI_COMPATIBLE',
    });
    await createLlmClient(settings).complete({ prompt: 'hi', purpose: 'check' });
    assert.equal(server.calls[0]!.headers.authorization, 'Bearer oc-key');
    assert.equal(server.calls[0]!.model, 'llama-3.3-70b');
  });
});
