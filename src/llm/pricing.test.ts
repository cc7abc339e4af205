import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateCostUsd, findPrice } from './pricing.ts';

test('dated and prefixed model ids find their family; longest prefix wins', () => {
  assert.equal(findPrice('gpt-4o-2024-08-06'), findPrice('gpt-4o'));
  assert.equal(findPrice('gpt-4o-mini')?.input, 0.15);
  assert.equal(findPrice('gpt-5-mini-2025-08-07')?.input, 0.25);
  assert.equal(findPrice('claude-sonnet-4-5-20250929')?.output, 15);
  assert.equal(findPrice('openai/gpt-4.1-nano')?.input, 0.1);
  assert.equal(findPrice('llama-3.3-70b'), undefined);
});

test('cost: input, cached input and output priced separately; local and unknown are free', () => {
  // gpt-4o: 2.5 in, 1.25 cached, 10 out per 1M
  const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cachedTokens: 200_000 };
  assert.equal(estimateCostUsd('openai', 'gpt-4o', usage), 0.8 * 2.5 + 0.2 * 1.25 + 0.1 * 10);
  assert.equal(estimateCostUsd('ollama', 'gpt-4o', usage), 0);
  assert.equal(estimateCostUsd('openai_compatible', 'my-local-model', usage), 0);
});
