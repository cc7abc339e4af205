// Tests for src/config/llm.env.ts (kept here because src/config holds one file of ours).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLlmEnv } from '../config/llm.env.ts';
import { resolveModelName } from './model-keys.ts';

describe('parseLlmEnv', () => {
  test('an empty environment is unconfigured, not misconfigured: Skyvern defaults to OPENAI_GPT4O', () => {
    const settings = parseLlmEnv({});
    assert.equal(settings.llmKey, 'OPENAI_GPT4O');
    assert.equal(settings.primary, undefined);
    assert.equal(settings.unconfigured, true);
    assert.deepEqual(settings.problems, []);
    assert.equal(settings.timeoutMs, 60_000);
    assert.equal(settings.maxRetries, 3);
  });

  test('an unset LLM_KEY with another provider enabled names the default, not a key the user wrote', () => {
    const settings = parseLlmEnv({ ENABLE_ANTHROPIC: 'true', ANTHROPIC_API_KEY: 'k' });
    assert.equal(settings.unconfigured, false);
    assert.deepEqual(settings.problems, ["LLM_KEY is not set, so Skyvern's default OPENAI_GPT4O is used, but ENABLE_OPENAI is not true"]);
  });

  test('a missing api key is a problem', () => {
    const settings = parseLlmEnv({ ENABLE_ANTHROPIC: 'true', LLM_KEY: 'ANTHROPIC_CLAUDE3.5_SONNET' });
    assert.deepEqual(settings.problems, ['LLM_KEY=ANTHROPIC_CLAUDE3.5_SONNET needs ANTHROPIC_API_KEY, which is not set']);
  });

  test('an unknown key is a problem that points at the docs', () => {
    const settings = parseLlmEnv({ LLM_KEY: 'OPENAI_GPT9' });
    assert.equal(settings.problems.length, 1);
    assert.match(settings.problems[0]!, /^LLM_KEY=OPENAI_GPT9 is not a known model key.*docs\/llm-providers\.md/);
  });

  test('a typical Skyvern .env resolves', () => {
    const settings = parseLlmEnv({
      ENABLE_OPENAI: 'True',
      OPENAI_API_KEY: 'sk-1',
      ENABLE_GEMINI: '1',
      GEMINI_API_KEY: 'g-1',
      LLM_KEY: 'OPENAI_GPT4O',
      SECONDARY_LLM_KEY: 'GEMINI_2.5_FLASH',
      LLM_TIMEOUT_MS: '5000',
      LLM_MAX_RETRIES: '0',
    });
    assert.deepEqual(settings.problems, []);
    assert.deepEqual(settings.warnings, []);
    assert.deepEqual(settings.primary, { llmKey: 'OPENAI_GPT4O', provider: 'openai', modelId: 'gpt-4o', supportsVision: true });
    assert.deepEqual(settings.secondary, { llmKey: 'GEMINI_2.5_FLASH', provider: 'gemini', modelId: 'gemini-2.5-flash', supportsVision: true });
    assert.equal(settings.timeoutMs, 5000);
    assert.equal(settings.maxRetries, 0);
    assert.equal(settings.maxOutputTokens, undefined);
    assert.equal(parseLlmEnv({ LLM_CONFIG_MAX_TOKENS: '2048' }).maxOutputTokens, 2048);
  });

  test('azure needs all four of its variables', () => {
    const settings = parseLlmEnv({ ENABLE_AZURE: 'true', AZURE_DEPLOYMENT: 'dep', LLM_KEY: 'AZURE_OPENAI' });
    assert.deepEqual(settings.problems, ['LLM_KEY=AZURE_OPENAI needs AZURE_API_KEY, AZURE_API_BASE, AZURE_API_VERSION, which are not set']);
  });

  test('ollama takes its model and vision flag from the env', () => {
    const settings = parseLlmEnv({ ENABLE_OLLAMA: 'true', OLLAMA_SERVER_URL: 'http://localhost:11434', OLLAMA_MODEL: 'llava', OLLAMA_SUPPORTS_VISION: 'true', LLM_KEY: 'OLLAMA' });
    assert.deepEqual(settings.primary, { llmKey: 'OLLAMA', provider: 'ollama', modelId: 'llava', supportsVision: true });
  });

  test('openai-compatible: custom key name, default model name with a warning', () => {
    const settings = parseLlmEnv({
      ENABLE_OPENAI_COMPATIBLE: 'true',
      OPENAI_COMPATIBLE_API_BASE: 'http://localhost:8000/v1',
      OPENAI_COMPATIBLE_MODEL_KEY: 'MY_VLLM',
      LLM_KEY: 'MY_VLLM',
    });
    assert.deepEqual(settings.problems, []);
    assert.equal(settings.primary?.provider, 'openai_compatible');
    assert.equal(settings.primary?.modelId, 'default');
    assert.equal(settings.primary?.supportsVision, false);
    assert.match(settings.warnings[0]!, /OPENAI_COMPATIBLE_MODEL_NAME is not set/);
  });

  test('a broken SECONDARY_LLM_KEY is a problem of its own', () => {
    const settings = parseLlmEnv({ ENABLE_OPENAI: 'true', OPENAI_API_KEY: 'sk', SECONDARY_LLM_KEY: 'GEMINI_2.5_FLASH' });
    assert.deepEqual(settings.problems, ['SECONDARY_LLM_KEY=GEMINI_2.5_FLASH but ENABLE_GEMINI is not true']);
  });

  test('odd values become warnings and defaults', () => {
    const settings = parseLlmEnv({
      ENABLE_OPENAI: 'true',
      OPENAI_API_KEY: 'sk',
      ENABLE_GEMINI: 'maybe',
      ENABLE_ANTHROPIC: 'yes',
      LLM_TIMEOUT_MS: 'soon',
      LLM_MAX_RETRIES: '-1',
    });
    assert.deepEqual(settings.problems, []);
    assert.equal(settings.timeoutMs, 60_000);
    assert.equal(settings.maxRetries, 3);
    assert.deepEqual(settings.warnings, [
      'ENABLE_GEMINI=maybe is not a boolean; treating it as false',
      'anthropic is enabled but ANTHROPIC_API_KEY is not set',
      'LLM_TIMEOUT_MS=soon is not an integer >= 1; using 60000',
      'LLM_MAX_RETRIES=-1 is not an integer >= 0; using 3',
    ]);
  });

  test('base URLs are normalised the way people paste them', () => {
    const settings = parseLlmEnv({ ANTHROPIC_API_BASE: 'https://proxy.example/', GEMINI_API_BASE: 'https://g.example/v1beta' });
    assert.equal(settings.providers.anthropic.baseUrl, 'https://proxy.example/v1');
    assert.equal(settings.providers.gemini.baseUrl, 'https://g.example/v1beta');
  });
});

describe('resolveModelName (the API\'s per-run model field)', () => {
  const providers = parseLlmEnv({
    ENABLE_OPENAI: 'true',
    OPENAI_API_KEY: 'sk',
    ENABLE_AZURE: 'true',
    AZURE_DEPLOYMENT: 'gpt-4.1',
    AZURE_API_KEY: 'k',
    AZURE_API_BASE: 'https://r.openai.azure.com',
    AZURE_API_VERSION: '2024-08-01-preview',
  }).providers;

  test('accepts LLM keys, bare model ids and provider-prefixed ids among enabled providers', () => {
    assert.equal(resolveModelName('OPENAI_O3', providers)?.modelId, 'o3');
    assert.equal(resolveModelName('gpt-4o-mini', providers)?.llmKey, 'OPENAI_GPT4O_MINI');
    assert.equal(resolveModelName('azure/gpt-4.1', providers)?.provider, 'azure');
    assert.equal(resolveModelName('gpt-4.1', providers)?.provider, 'openai'); // no prefix: table order
    assert.equal(resolveModelName('gemini-2.5-flash', providers), undefined); // gemini not enabled
    assert.equal(resolveModelName('nonsense', providers), undefined);
  });
});
