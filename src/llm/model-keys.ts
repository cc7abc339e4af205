// Skyvern selects its model with LLM_KEY values such as OPENAI_GPT4O or
// ANTHROPIC_CLAUDE3.5_SONNET. This table maps those names (the ones an existing
// Skyvern .env is likely to use) to the provider and the provider's model id, so a
// Skyvern .env works here unchanged. Three keys are "dynamic": their model comes
// from other variables (AZURE_DEPLOYMENT, OLLAMA_MODEL, OPENAI_COMPATIBLE_MODEL_NAME).

export type LlmProvider = 'openai' | 'anthropic' | 'gemini' | 'azure' | 'ollama' | 'openai_compatible';

/** A resolved model: which provider to call, with which model id. */
export interface LlmModelChoice {
  llmKey: string;
  provider: LlmProvider;
  modelId: string;
  supportsVision: boolean;
}

interface StaticModelKey {
  provider: 'openai' | 'anthropic' | 'gemini';
  modelId: string;
  supportsVision: boolean;
}

const openai = (modelId: string, supportsVision = true): StaticModelKey => ({ provider: 'openai', modelId, supportsVision });
const anthropic = (modelId: string): StaticModelKey => ({ provider: 'anthropic', modelId, supportsVision: true });
const gemini = (modelId: string): StaticModelKey => ({ provider: 'gemini', modelId, supportsVision: true });

export const STATIC_MODEL_KEYS: Readonly<Record<string, StaticModelKey>> = {
  OPENAI_GPT4O: openai('gpt-4o'),
  OPENAI_GPT4O_MINI: openai('gpt-4o-mini'),
  'OPENAI_GPT-4O-2024-08-06': openai('gpt-4o-2024-08-06'),
  OPENAI_GPT4_TURBO: openai('gpt-4-turbo', false),
  OPENAI_GPT4V: openai('gpt-4-turbo'),
  OPENAI_GPT4_1: openai('gpt-4.1'),
  OPENAI_GPT4_1_MINI: openai('gpt-4.1-mini'),
  OPENAI_GPT4_1_NANO: openai('gpt-4.1-nano'),
  OPENAI_GPT4_5: openai('gpt-4.5-preview'),
  OPENAI_O3_MINI: openai('o3-mini', false),
  OPENAI_O3: openai('o3'),
  OPENAI_O4_MINI: openai('o4-mini'),
  OPENAI_GPT5: openai('gpt-5-2025-08-07'),
  OPENAI_GPT5_MINI: openai('gpt-5-mini-2025-08-07'),
  OPENAI_GPT5_NANO: openai('gpt-5-nano-2025-08-07'),
  OPENAI_GPT5_1: openai('gpt-5.1'),
  OPENAI_GPT5_2: openai('gpt-5.2'),

  ANTHROPIC_CLAUDE3_OPUS: anthropic('claude-3-opus-20240229'),
  ANTHROPIC_CLAUDE3_SONNET: anthropic('claude-3-sonnet-20240229'),
  ANTHROPIC_CLAUDE3_HAIKU: anthropic('claude-3-haiku-20240307'),
  'ANTHROPIC_CLAUDE3.5_SONNET': anthropic('claude-3-5-sonnet-20241022'),
  'ANTHROPIC_CLAUDE3.5_HAIKU': anthropic('claude-3-5-haiku-20241022'),
  'ANTHROPIC_CLAUDE3.7_SONNET': anthropic('claude-3-7-sonnet-20250219'),
  ANTHROPIC_CLAUDE4_OPUS: anthropic('claude-opus-4-20250514'),
  ANTHROPIC_CLAUDE4_SONNET: anthropic('claude-sonnet-4-20250514'),
  'ANTHROPIC_CLAUDE4.5_SONNET': anthropic('claude-sonnet-4-5-20250929'),
  'ANTHROPIC_CLAUDE4.5_HAIKU': anthropic('claude-haiku-4-5-20251001'),
  'ANTHROPIC_CLAUDE4.5_OPUS': anthropic('claude-opus-4-5-20251101'),
  'ANTHROPIC_CLAUDE4.6_OPUS': anthropic('claude-opus-4-6'),
  'ANTHROPIC_CLAUDE4.6_SONNET': anthropic('claude-sonnet-4-6'),

  GEMINI_FLASH: gemini('gemini-1.5-flash'),
  GEMINI_PRO: gemini('gemini-1.5-pro'),
  GEMINI_FLASH_2_0: gemini('gemini-2.0-flash-001'),
  GEMINI_FLASH_2_0_LITE: gemini('gemini-2.0-flash-lite-preview-02-05'),
  'GEMINI_2.5_PRO': gemini('gemini-2.5-pro'),
  'GEMINI_2.5_PRO_PREVIEW': gemini('gemini-2.5-pro-preview-05-06'),
  'GEMINI_2.5_FLASH': gemini('gemini-2.5-flash'),
  'GEMINI_2.5_FLASH_PREVIEW': gemini('gemini-2.5-flash-preview-05-20'),
  'GEMINI_2.5_FLASH_LITE': gemini('gemini-2.5-flash-lite'),
  'GEMINI_3.0_FLASH': gemini('gemini-3-flash-preview'),
  GEMINI_3_PRO: gemini('gemini-3.1-pro-preview'),
  'GEMINI_3.1_PRO': gemini('gemini-3.1-pro-preview'),
};

/** What the key resolver needs to know about each provider (a subset of LlmSettings). */
export interface ProviderAvailability {
  openai: { enabled: boolean; apiKey?: string };
  anthropic: { enabled: boolean; apiKey?: string };
  gemini: { enabled: boolean; apiKey?: string };
  azure: { enabled: boolean; deployment?: string; apiKey?: string; baseUrl?: string; apiVersion?: string };
  ollama: { enabled: boolean; serverUrl?: string; model?: string; supportsVision: boolean };
  openaiCompatible: { enabled: boolean; modelKey: string; modelName: string; baseUrl?: string; supportsVision: boolean };
}

export type KeyResolution = { ok: true; choice: LlmModelChoice } | { ok: false; problem: string; provider?: LlmProvider };

const ENABLE_FLAG: Record<LlmProvider, string> = {
  openai: 'ENABLE_OPENAI',
  anthropic: 'ENABLE_ANTHROPIC',
  gemini: 'ENABLE_GEMINI',
  azure: 'ENABLE_AZURE',
  ollama: 'ENABLE_OLLAMA',
  openai_compatible: 'ENABLE_OPENAI_COMPATIBLE',
};

/**
 * Turn an LLM key into a model choice, or say in one sentence why it can't be used.
 * `variable` names the setting the key came from, so messages read
 * "LLM_KEY=OPENAI_GPT4O but ENABLE_OPENAI is not true".
 */
export function resolveLlmKey(key: string, providers: ProviderAvailability, variable = 'LLM_KEY', label = `${variable}=${key}`): KeyResolution {
  const dynamic = dynamicProvider(key, providers);
  const provider = dynamic ?? STATIC_MODEL_KEYS[key]?.provider;
  const fail = (why: string): KeyResolution => ({ ok: false, problem: `${label} ${why}`, provider });
  if (!provider) {
    return fail(
      `is not a known model key. Use one of ${Object.keys(STATIC_MODEL_KEYS).slice(0, 4).join(', ')}, ` +
        `AZURE_OPENAI, OLLAMA, ${providers.openaiCompatible.modelKey} … (full list in docs/llm-providers.md)`,
    );
  }
  if (!isEnabled(provider, providers)) return fail(`but ${ENABLE_FLAG[provider]} is not true`);
  const missing = missingVariables(provider, providers);
  if (missing.length > 0) return fail(`needs ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not set`);
  return { ok: true, choice: choiceFor(key, provider, providers) };
}

function dynamicProvider(key: string, p: ProviderAvailability): LlmProvider | undefined {
  if (key === 'AZURE_OPENAI') return 'azure';
  if (key === 'OLLAMA') return 'ollama';
  if (key === p.openaiCompatible.modelKey) return 'openai_compatible';
  return undefined;
}

function isEnabled(provider: LlmProvider, p: ProviderAvailability): boolean {
  return provider === 'openai_compatible' ? p.openaiCompatible.enabled : p[provider].enabled;
}

/** The variables each provider cannot work without (the same ones Skyvern requires, less the compatible API key: local servers need none). */
export function missingVariables(provider: LlmProvider, p: ProviderAvailability): string[] {
  const need: Array<[string, unknown]> = {
    openai: [['OPENAI_API_KEY', p.openai.apiKey]],
    anthropic: [['ANTHROPIC_API_KEY', p.anthropic.apiKey]],
    gemini: [['GEMINI_API_KEY', p.gemini.apiKey]],
    azure: [
      ['AZURE_DEPLOYMENT', p.azure.deployment],
      ['AZURE_API_KEY', p.azure.apiKey],
      ['AZURE_API_BASE', p.azure.baseUrl],
      ['AZURE_API_VERSION', p.azure.apiVersion],
    ],
    ollama: [
      ['OLLAMA_SERVER_URL', p.ollama.serverUrl],
      ['OLLAMA_MODEL', p.ollama.model],
    ],
    openai_compatible: [['OPENAI_COMPATIBLE_API_BASE', p.openaiCompatible.baseUrl]],
  }[provider] as Array<[string, unknown]>;
  return need.filter(([, value]) => !value).map(([name]) => name);
}

function choiceFor(key: string, provider: LlmProvider, p: ProviderAvailability): LlmModelChoice {
  switch (provider) {
    case 'azure':
      return { llmKey: key, provider, modelId: p.azure.deployment ?? '', supportsVision: true };
    case 'ollama':
      return { llmKey: key, provider, modelId: p.ollama.model ?? '', supportsVision: p.ollama.supportsVision };
    case 'openai_compatible':
      return { llmKey: key, provider, modelId: p.openaiCompatible.modelName, supportsVision: p.openaiCompatible.supportsVision };
    default: {
      const entry = STATIC_MODEL_KEYS[key]!;
      return { llmKey: key, provider, modelId: entry.modelId, supportsVision: entry.supportsVision };
    }
  }
}

/**
 * The API's per-run `model: { model_name }` may hold an LLM key ("OPENAI_GPT4_1"), a
 * bare model id ("gpt-4.1"), or a litellm-style id ("gemini/gemini-2.5-flash",
 * "azure/my-deployment"). Returns a usable choice among the enabled providers, or
 * undefined when none matches (the caller then keeps its default model).
 */
export function resolveModelName(modelName: string, providers: ProviderAvailability): LlmModelChoice | undefined {
  const asKey = resolveLlmKey(modelName, providers);
  if (asKey.ok) return asKey.choice;
  const slash = modelName.indexOf('/');
  const prefix = slash > 0 ? modelName.slice(0, slash) : undefined;
  const bare = slash > 0 ? modelName.slice(slash + 1) : modelName;
  const matches = [
    ...Object.keys(STATIC_MODEL_KEYS).filter((key) => STATIC_MODEL_KEYS[key]!.modelId === bare),
    ...(providers.azure.deployment === bare ? ['AZURE_OPENAI'] : []),
    ...(providers.ollama.model === bare ? ['OLLAMA'] : []),
    ...(providers.openaiCompatible.modelName === bare ? [providers.openaiCompatible.modelKey] : []),
  ]
    .map((key) => resolveLlmKey(key, providers))
    .flatMap((resolution) => (resolution.ok ? [resolution.choice] : []));
  // "azure/gpt-4.1" should pick Azure even when OpenAI also has gpt-4.1 enabled.
  const preferred = prefix ? PREFIX_PROVIDER[prefix] : undefined;
  return matches.find((choice) => choice.provider === preferred) ?? matches[0];
}

/** litellm-style prefixes seen in Skyvern model names. */
const PREFIX_PROVIDER: Record<string, LlmProvider> = {
  openai: 'openai',
  azure: 'azure',
  anthropic: 'anthropic',
  gemini: 'gemini',
  ollama: 'ollama',
};
