import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractJsonText, JsonSchemaChecker, parseModelJson } from './json-output.ts';

describe('parseModelJson', () => {
  const cases: Array<[string, string, unknown]> = [
    ['plain', '{"a": 1}', { a: 1 }],
    ['json fence', '```json\n{"a": 1}\n```', { a: 1 }],
    ['bare fence', '```\n[1, 2]\n```', [1, 2]],
    ['unterminated fence', '```json\n{"a": 1}', { a: 1 }],
    ['trailing commas', '{"a": [1, 2,], "b": 3,}', { a: [1, 2], b: 3 }],
    ['single quotes', "{'a': 'it is'}", { a: 'it is' }],
    ['python literals', '{"ok": True, "v": None}', { ok: true, v: null }],
    ['prose before and after', 'Here you go:\n{"a": {"b": 2}}\nLet me know!', { a: { b: 2 } }],
    ['truncated', '{"a": [1, 2', { a: [1, 2] }],
  ];
  for (const [name, reply, expected] of cases) {
    test(name, () => assert.deepEqual(parseModelJson(reply), { ok: true, value: expected }));
  }

  test('no JSON at all', () => {
    assert.deepEqual(parseModelJson('I am not able to help'), { ok: false, error: 'the reply contains no JSON object or array' });
  });

  test('broken beyond repair', () => {
    const outcome = parseModelJson('{ this is : not [ json');
    assert.equal(outcome.ok, false);
  });

  test('extractJsonText keeps arrays whole', () => {
    assert.equal(extractJsonText('result: [{"a": 1}, {"b": 2}] done'), '[{"a": 1}, {"b": 2}]');
  });
});

describe('JsonSchemaChecker', () => {
  const checker = new JsonSchemaChecker();
  const schema = { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } }, description: 'kept' };

  test('accepts valid values and explains invalid ones', () => {
    assert.deepEqual(checker.check(schema, { email: 'a@b.co' }), { ok: true });
    const bad = checker.check(schema, { email: 'nope' });
    assert.equal(bad.ok, false);
    assert.match((bad as { error: string }).error, /reply\/email must match format "email"/);
  });

  test('invalid schemas throw', () => {
    assert.throws(() => checker.compile({ type: 'wat' }));
  });
});
