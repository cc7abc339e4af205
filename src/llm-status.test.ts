import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { NO_LLM_SETTINGS, llmStatusFromEnv, reportLlmSettings } from './llm-status.ts';

function capture(env: NodeJS.ProcessEnv): Array<{ level: number; msg: string; problem?: string }> {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
  reportLlmSettings(pino({ level: 'info' }, sink), env);
  return lines.map((line) => JSON.parse(line));
}

describe('LLM status at boot', () => {
  test('no LLM variable at all: one warning naming the variables to set, no invented key', () => {
    const logged = capture({});
    assert.equal(logged.length, 1);
    assert.equal(logged[0]!.msg, NO_LLM_SETTINGS);
    assert.match(logged[0]!.msg, /LLM_KEY.*OPENAI_API_KEY/);
    assert.doesNotMatch(JSON.stringify(logged), /is not true/);
    assert.deepEqual(llmStatusFromEnv({}), { configured: false, problems: [NO_LLM_SETTINGS] });
  });

  test('a half-done setup is reported as the problem it is', () => {
    const logged = capture({ ENABLE_OPENAI: 'true', LLM_KEY: 'OPENAI_GPT4O' });
    assert.deepEqual(logged.map((l) => l.problem), ['LLM_KEY=OPENAI_GPT4O needs OPENAI_API_KEY, which is not set']);
  });

  test('a complete setup logs nothing', () => {
    assert.deepEqual(capture({ ENABLE_OPENAI: 'true', OPENAI_API_KEY: 'sk-x', LLM_KEY: 'OPENAI_GPT4O' }), []);
  });
});
