// A template is user input: it must not reach the JavaScript runtime (process, env, require,
// Function), pollute prototypes, or hang / exhaust the worker.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplate } from './render.ts';
import { TemplateError, TemplateLimitError } from './runtime.ts';
import { toTemplateData } from './values.ts';

const SECRET = 'sk-live-should-never-leak';
process.env.SKYPORT_TEMPLATE_SAFETY_CANARY = SECRET;

/** Renders; a failure is as good as an empty result, as long as nothing leaks. */
function attempt(template: string, context: Record<string, unknown> = {}): string {
  try {
    return renderTemplate(template, context);
  } catch (error) {
    assert.ok(error instanceof TemplateError, `unexpected error type: ${String(error)}`);
    return '';
  }
}

function assertInert(output: string): void {
  assert.ok(!output.includes(SECRET), 'leaked process.env');
  assert.doesNotMatch(output, /function|native code|\[object|process|require|globalThis/i, output);
}

describe('template sandbox: no access to the host runtime', () => {
  const context = { x: { a: 1 }, s: 'text', l: [1, 2], n: 5 };
  const escapes = [
    "{{ ''.constructor.constructor('return process')() }}",
    "{{ ''.constructor.constructor('return process.env')().SKYPORT_TEMPLATE_SAFETY_CANARY }}",
    '{{ x.constructor }}',
    '{{ x.__proto__ }}',
    '{{ x["__proto__"] }}',
    '{{ x.constructor.prototype }}',
    '{{ s.constructor("return this")() }}',
    '{{ [].map.constructor }}',
    '{{ l.map.constructor("return process")() }}',
    '{{ n.toString.constructor("return 1")() }}',
    '{{ cycler.__init__.__globals__.os.environ }}',
    '{{ self.__init__.__globals__ }}',
    '{{ lipsum.__globals__["os"].popen("id").read() }}',
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    '{{ config }}{{ request }}{{ process }}{{ globalThis }}{{ require }}{{ module }}{{ this }}',
    '{{ range.constructor("return process")() }}',
    '{{ namespace.constructor("return process")() }}',
    '{{ (x | items | first).constructor }}',
    '{{ x | attr("constructor") }}',
  ];
  for (const template of escapes) {
    it(template, () => assertInert(attempt(template, context)));
  }

  it('functions in the context are dropped, not callable', () => {
    let called = false;
    const context = { f: () => { called = true; return SECRET; }, obj: { method() { called = true; return SECRET; } } };
    assertInert(attempt('{{ f() }}{{ obj.method() }}{{ f }}{{ obj.method }}', context));
    assert.equal(called, false);
  });

  it('getters on context objects are never invoked', () => {
    let invoked = false;
    const tricky = Object.defineProperty({ plain: 1 }, 'secret', { enumerable: true, get() { invoked = true; return SECRET; } });
    assertInert(attempt('{{ o.secret }}{{ o | tojson }}', { o: tricky }));
    assert.equal(invoked, false);
    assert.equal(renderTemplate('{{ o.plain }}', { o: tricky }), '1');
  });
});

describe('template sandbox: no prototype pollution', () => {
  const templates = [
    '{% set __proto__ = {"polluted": 1} %}{{ __proto__ }}',
    '{% set ns = namespace() %}{% set ns.__proto__ = {"polluted": 1} %}{{ ns.__proto__.polluted }}',
    '{% set x = {"__proto__": {"polluted": 1}} %}{{ x | tojson }}{{ x.__proto__.polluted }}',
    '{{ {"__proto__": {"polluted": 1}} | default(1) | tojson }}',
    '{% set constructor = 1 %}{% set prototype = 2 %}{{ constructor }}',
  ];
  for (const template of templates) {
    it(template, () => {
      attempt(template);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal((Object.prototype as unknown as Record<string, unknown>).polluted, undefined);
    });
  }

  it('a "__proto__" key in context data stays plain data', () => {
    const data = toTemplateData(JSON.parse('{"__proto__": {"polluted": 1}, "a": 2}')) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(renderTemplate('{{ d.a }}', { d: data }), '2');
  });
});

describe('template sandbox: bounded work', () => {
  const slow = (template: string, context: Record<string, unknown> = {}, expected: typeof TemplateError = TemplateLimitError) => () => {
    const started = Date.now();
    assert.throws(() => renderTemplate(template, context), expected);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  };
  it('range(10**9) errors at once', slow('{{ range(10**9) | length }}'));
  it('nested loops hit the step budget', slow('{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}'));
  it('string doubling hits the size cap', slow('{% set s = "ab" %}{% for i in range(64) %}{% set s = s ~ s %}{% endfor %}{{ s }}'));
  it('list doubling hits the size cap', slow('{% set l = [1] %}{% for i in range(64) %}{% set l = l + l %}{% endfor %}{{ l | length }}'));
  // The library does not let a macro see itself, so recursion fails at the first call.
  it('recursive macros stop', slow('{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}', {}, TemplateError));
  it('loops over huge context lists stop', slow('{% for a in big %}{% for b in big %}{% endfor %}{% endfor %}', { big: Array.from({ length: 50_000 }, (_, i) => i) }));

  it('cyclic context data is cut, not followed forever', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    assert.equal(renderTemplate('{{ a.name }}{{ a.self }}', { a }), 'a');
  });
});
