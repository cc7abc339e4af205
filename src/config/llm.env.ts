// LLM settings read from the environment. The variable names are Skyvern's, so an
// existing Skyvern .env works unchanged; the few we add are marked "ours".
// Nothing here throws: whatever is wrong goes into `problems` (the LLM can't be used)
// or `warnings` (we worked around it), so the server can log them at start and show
// them in its health output.
import {
  missingVariables,
  resolveLlmKey,
  type LlmModelChoice,
  type LlmProvider,
  type ProviderAvailability,
} from '../llm/model-keys.ts';

export type { LlmModelChoice, LlmProvider };

export interface LlmProviderSettings extends ProviderAvailability {
  openai: { enabled: boolean; apiKey?: string; baseUrl?: string; apiMode: 'responses' | 'chat' };
  anthropic: { enabled: boolean; apiKey?: string; baseUrl?: string };
  gemini: { enabled: boolean; apiKey?: string; baseUrl?: string };
  azure: { enabled: boolean; deployment?: string; apiKey?: string; baseUrl?: string; apiVersion?: string };
  ollama: { enabled: boolean; serverUrl?: string; model?: string; supportsVision: boolean };
  openaiCompatible: {
    enabled: boolean;
    modelKey: string;
    modelName: string;
    apiKey?: string;
    baseUrl?: string;
    apiVersion?: string;
    supportsVision: boolean;
  };
}

export interface LlmSettings {
  /** The LLM_KEY in force (Skyvern's default OPENAI_GPT4O when unset). */
  llmKey: string;
  secondaryLlmKey?: string;
  /** Resolved model for LLM_KEY; absent when it can't be used (see problems). */
  primary?: LlmModelChoice;
  /** Resolved model for SECONDARY_LLM_KEY; absent when unset or unusable. */
  secondary?: LlmModelChoice;
  providers: LlmProviderSettings;
  timeoutMs: number;
  maxRetries: number;
  /** Cap on reply tokens; undefined leaves each provider's default (see client.ts for Anthropic). */
  maxOutputTokens?: number;
  /** Reasons the LLM cannot be used as configured. Empty means ready, or nothing was set (see `unconfigured`). */
  problems: string[];
  /** No LLM variable was set at all: not a mistake to explain, only settings to add. */
  unconfigured: boolean;
  /** Things that are odd but were worked around (defaults used, unused provider half set up). */
  warnings: string[];
}

/** Skyvern's default when LLM_KEY is unset. */
const DEFAULT_LLM_KEY = 'OPENAI_GPT4O';
/** Used when ENABLE_OPENAI_COMPATIBLE is on but OPENAI_COMPATIBLE_MODEL_NAME is unset; many local servers ignore the name. */
const DEFAULT_COMPATIBLE_MODEL_NAME = 'default';

export function parseLlmEnv(env: NodeJS.ProcessEnv): LlmSettings {
  const problems: string[] = [];
  const warnings: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  // Skyvern's settings are pydantic booleans; accept the same spellings.
  const flag = (name: string, fallback = false): boolean => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (/^(1|true|t|yes|y|on)$/i.test(raw)) return true;
    if (/^(0|false|f|no|n|off)$/i.test(raw)) return false;
    warnings.push(`${name}=${raw} is not a boolean; treating it as ${fallback}`);
    return fallback;
  };
  const positiveInt = (name: string, fallback: number, min: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min) return value;
    warnings.push(`${name}=${raw} is not an integer >= ${min}; using ${fallback}`);
    return fallback;
  };

  const providers: LlmProviderSettings = {
    openai: {
      enabled: flag('ENABLE_OPENAI'), // turn on OpenAI (OPENAI_* keys)
      apiKey: read('OPENAI_API_KEY'), // sent as "Authorization: Bearer"
      baseUrl: read('OPENAI_API_BASE'), // optional proxy/base URL including /v1; default https://api.openai.com/v1
      apiMode: openAiApiMode(read('OPENAI_API_MODE'), warnings), // ours: 'responses' (default) or 'chat' for proxies that only speak /chat/completions
    },
    anthropic: {
      enabled: flag('ENABLE_ANTHROPIC'), // turn on Anthropic (ANTHROPIC_* keys)
      apiKey: read('ANTHROPIC_API_KEY'), // sent as "x-api-key"
      baseUrl: withSuffix(read('ANTHROPIC_API_BASE'), /\/v1$/, '/v1'), // ours: optional base URL; default https://api.anthropic.com/v1
    },
    gemini: {
      enabled: flag('ENABLE_GEMINI'), // turn on Google Gemini (GEMINI_* keys, AI Studio API)
      apiKey: read('GEMINI_API_KEY'), // sent as "x-goog-api-key"
      baseUrl: withSuffix(read('GEMINI_API_BASE'), /\/v1(beta)?$/, '/v1beta'), // ours: default https://generativelanguage.googleapis.com/v1beta
    },
    azure: {
      enabled: flag('ENABLE_AZURE'), // turn on Azure OpenAI; selected with LLM_KEY=AZURE_OPENAI
      deployment: read('AZURE_DEPLOYMENT'), // the deployment name; it is the model id in requests
      apiKey: read('AZURE_API_KEY'), // sent as "api-key"
      baseUrl: read('AZURE_API_BASE'), // resource endpoint, e.g. https://myres.openai.azure.com/
      apiVersion: read('AZURE_API_VERSION'), // e.g. 2024-08-01-preview (the api-version query parameter)
    },
    ollama: {
      enabled: flag('ENABLE_OLLAMA'), // turn on Ollama; selected with LLM_KEY=OLLAMA
      serverUrl: read('OLLAMA_SERVER_URL'), // e.g. http://localhost:11434 (no /api)
      model: read('OLLAMA_MODEL'), // e.g. qwen2.5vl:7b
      supportsVision: flag('OLLAMA_SUPPORTS_VISION'), // send screenshots only when true
    },
    openaiCompatible: {
      enabled: flag('ENABLE_OPENAI_COMPATIBLE'), // any server speaking OpenAI chat completions (vLLM, LM Studio, LiteLLM, OpenRouter…)
      modelKey: read('OPENAI_COMPATIBLE_MODEL_KEY') ?? 'OPENAI_COMPATIBLE', // the LLM_KEY that selects it
      modelName: read('OPENAI_COMPATIBLE_MODEL_NAME') ?? DEFAULT_COMPATIBLE_MODEL_NAME, // model sent in requests
      apiKey: read('OPENAI_COMPATIBLE_API_KEY'), // optional "Authorization: Bearer"; local servers need none
      baseUrl: read('OPENAI_COMPATIBLE_API_BASE'), // including /v1, e.g. http://localhost:8000/v1
      apiVersion: read('OPENAI_COMPATIBLE_API_VERSION'), // optional api-version query parameter
      supportsVision: flag('OPENAI_COMPATIBLE_SUPPORTS_VISION'), // send screenshots only when true
    },
  };
  if (providers.openaiCompatible.enabled && !read('OPENAI_COMPATIBLE_MODEL_NAME')) {
    warnings.push(`OPENAI_COMPATIBLE_MODEL_NAME is not set; sending model "${DEFAULT_COMPATIBLE_MODEL_NAME}"`);
  }

  const llmKey = read('LLM_KEY') ?? DEFAULT_LLM_KEY; // which model runs the agent
  const secondaryLlmKey = read('SECONDARY_LLM_KEY'); // cheaper model for secondary calls; defaults to LLM_KEY
  const anyProviderEnabled = Object.values(providers).some((p) => p.enabled);
  const unconfigured = !read('LLM_KEY') && !secondaryLlmKey && !anyProviderEnabled;
  // An unset LLM_KEY falls back to Skyvern's default; say so, rather than blame a key the user never wrote.
  const primaryLabel = read('LLM_KEY') ? undefined : `LLM_KEY is not set, so Skyvern's default ${DEFAULT_LLM_KEY} is used,`;
  const primaryResolution = resolveLlmKey(llmKey, providers, 'LLM_KEY', primaryLabel);
  if (!primaryResolution.ok && !unconfigured) problems.push(primaryResolution.problem);
  const secondaryResolution = secondaryLlmKey ? resolveLlmKey(secondaryLlmKey, providers, 'SECONDARY_LLM_KEY') : undefined;
  const secondary = secondaryResolution?.ok ? secondaryResolution.choice : undefined;
  if (secondaryResolution && !secondaryResolution.ok) problems.push(secondaryResolution.problem);
  // A provider named by a key is reported through that key's problem, not again as "unused".
  const named = [primaryResolution, secondaryResolution].map((r) => (r ? (r.ok ? r.choice.provider : r.provider) : undefined));
  warnings.push(...unusedProviderWarnings(providers, named));

  return {
    llmKey,
    secondaryLlmKey,
    primary: primaryResolution.ok ? primaryResolution.choice : undefined,
    secondary,
    providers,
    timeoutMs: positiveInt('LLM_TIMEOUT_MS', 60_000, 1), // ours: per-call time limit, retries included
    maxRetries: positiveInt('LLM_MAX_RETRIES', 3, 0), // ours: retries on 429/5xx/network errors
    maxOutputTokens: read('LLM_CONFIG_MAX_TOKENS') ? positiveInt('LLM_CONFIG_MAX_TOKENS', 4096, 1) : undefined, // Skyvern's reply-length cap
    problems,
    unconfigured,
    warnings,
  };
}

function openAiApiMode(raw: string | undefined, warnings: string[]): 'responses' | 'chat' {
  if (raw === undefined || raw === 'responses') return 'responses';
  if (raw === 'chat') return 'chat';
  warnings.push(`OPENAI_API_MODE=${raw} is not "responses" or "chat"; using "responses"`);
  return 'responses';
}

/** Accept base URLs with or without the API version path, the way people paste them. */
function withSuffix(url: string | undefined, suffix: RegExp, add: string): string | undefined {
  if (!url) return undefined;
  const trimmed = url.replace(/\/+$/, '');
  return suffix.test(trimmed) ? trimmed : trimmed + add;
}

/** An enabled provider that is missing its keys doesn't block anything unless it's selected, but is worth a line in the log. */
function unusedProviderWarnings(providers: LlmProviderSettings, named: Array<LlmProvider | undefined>): string[] {
  const all: LlmProvider[] = ['openai', 'anthropic', 'gemini', 'azure', 'ollama', 'openai_compatible'];
  return all
    .filter((p) => (p === 'openai_compatible' ? providers.openaiCompatible.enabled : providers[p].enabled))
    .filter((p) => !named.includes(p))
    .flatMap((p) => {
      const missing = missingVariables(p, providers);
      return missing.length ? [`${p} is enabled but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set`] : [];
    });
}
