// Rough list prices (USD per 1M tokens) so runs can report an estimated cost.
// They are estimates: providers change prices, and tiers/long-context surcharges
// are ignored. Unknown models and local servers (Ollama) cost 0.
import type { LlmProvider } from './model-keys.ts';
import type { LlmUsage } from './types.ts';

export interface ModelPrice {
  input: number;
  output: number;
  /** Price of cache-read input tokens; defaults to `input`. */
  cachedInput?: number;
}

/** Keys are model id prefixes; the longest matching prefix wins, so dated ids ("gpt-4o-2024-08-06") find their family. */
export const PRICES_PER_MILLION: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gpt-4.5-preview': { input: 75, output: 150 },
  'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005 },
  o3: { input: 2, output: 8, cachedInput: 0.5 },
  'o3-mini': { input: 1.1, output: 4.4, cachedInput: 0.55 },
  'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  'claude-3-opus': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-3-sonnet': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-3-haiku': { input: 0.25, output: 1.25, cachedInput: 0.03 },
  'claude-3-5-sonnet': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cachedInput: 0.08 },
  'claude-3-7-sonnet': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-sonnet-4': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-opus-4': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-opus-4-5': { input: 5, output: 25, cachedInput: 0.5 },
  'claude-opus-4-6': { input: 5, output: 25, cachedInput: 0.5 },
  'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1 },
  'gemini-1.5-flash': { input: 0.075, output: 0.3 },
  'gemini-1.5-pro': { input: 1.25, output: 5 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  'gemini-2.0-flash-lite': { input: 0.075, output: 0.3 },
  'gemini-2.5-pro': { input: 1.25, output: 10, cachedInput: 0.31 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5, cachedInput: 0.075 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4, cachedInput: 0.025 },
};

export function findPrice(modelId: string): ModelPrice | undefined {
  const id = modelId.toLowerCase().replace(/^[a-z_]+\//, ''); // tolerate litellm-style "openai/gpt-4o"
  let best: string | undefined;
  for (const prefix of Object.keys(PRICES_PER_MILLION)) {
    const matches = id === prefix || id.startsWith(`${prefix}-`) || id.startsWith(`${prefix}.`);
    if (matches && (!best || prefix.length > best.length)) best = prefix;
  }
  return best ? PRICES_PER_MILLION[best] : undefined;
}

export function estimateCostUsd(provider: LlmProvider, modelId: string, usage: LlmUsage): number {
  if (provider === 'ollama') return 0; // runs locally
  const price = findPrice(modelId);
  if (!price) return 0;
  const cached = Math.min(usage.cachedTokens ?? 0, usage.inputTokens);
  const dollars =
    (usage.inputTokens - cached) * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output;
  return dollars / 1_000_000;
}
