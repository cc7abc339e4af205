import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isTemplate, referencedNames } from './references.ts';
import { TemplateError } from './runtime.ts';
import { scanTemplateReferences } from '../../../domain/workflow/template-refs.ts';

const CASES: [string, string[]][] = [
  ['no template here', []],
  ['{{param}}', ['param']],
  ['{{ a.b.c }} and {{ d["e"].f }} {{ g[h] }}', ['a', 'd', 'g', 'h']],
  ['{{ x | default("y") | upper }}', ['x']],
  ['{{ x | default(fallback, boolean=flag) }}', ['x', 'fallback', 'flag']],
  ['{% if a in b and c or not d %}{{ e }}{% endif %}', ['a', 'b', 'c', 'd', 'e']],
  ['{% if flag is defined and other is not none %}{% endif %}', ['flag', 'other']],
  ['{% for row in rows %}{{ row.id }} {{ loop.index }}{% endfor %}{{ row }}', ['rows', 'row']],
  ['{% for k, v in data.items() %}{{ k }}={{ v }}{% endfor %}', ['data']],
  ['{% for x in items if x.ok %}{{ x }}{% endfor %}', ['items']],
  ['{% set total = price * qty %}{{ total }}', ['price', 'qty']],
  ['{% macro m(a, b=dflt) %}{{ a }}{{ b }}{{ outer }}{% endmacro %}{{ m(1) }}', ['dflt', 'outer']],
  ['{{ a if b else c }}', ['b', 'a', 'c']],
  ['{{ {"k": v} | tojson }} {{ [w, 1] }}', ['v', 'w']],
  ['{{ range(3) | length }} {{ true }} {{ None }} {{ namespace(x=1) }}', []],
  ['{{ "{{ not_a_ref }}" }}', []],
];

describe('referencedNames', () => {
  for (const [template, expected] of CASES) {
    it(template, () => assert.deepEqual(referencedNames(template), expected));
  }

  it('throws TemplateError on syntax errors', () => {
    assert.throws(() => referencedNames('{{ a + }}'), TemplateError);
  });

  it('isTemplate', () => {
    assert.equal(isTemplate('{{ a }}'), true);
    assert.equal(isTemplate('{% if a %}{% endif %}'), true);
    assert.equal(isTemplate('plain {braces}'), false);
  });
});

// The save-time validator (domain) uses a light scanner instead of the parser; it must never
// report a name the real parser does not (that would reject a valid workflow).
describe('domain scanner agrees with the parser', () => {
  for (const [template] of CASES) {
    it(template, () => {
      const real = new Set(referencedNames(template));
      for (const name of scanTemplateReferences(template)) assert.ok(real.has(name), `scanner reported '${name}'`);
    });
  }
});
