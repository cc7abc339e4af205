// Public surface of the LLM module.
export { createLlmClient } from './client.ts';
export { LlmError, type LlmErrorKind } from './errors.ts';
export { STATIC_MODEL_KEYS, resolveLlmKey, resolveModelName, type LlmModelChoice, type LlmProvider } from './model-keys.ts';
export { estimateCostUsd, findPrice, PRICES_PER_MILLION, type ModelPrice } from './pricing.ts';
export type { LlmCallEvent, LlmCallObserver, LlmClient, LlmLogger, LlmRequest, LlmResult, LlmUsage } from './types.ts';
export { parseLlmEnv, type LlmSettings, type LlmProviderSettings } from '../config/llm.env.ts';
