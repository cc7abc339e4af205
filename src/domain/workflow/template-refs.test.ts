import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasTemplateSyntax, scanTemplateReferences } from './template-refs.ts';

describe('scanTemplateReferences', () => {
  const cases: [string, string[]][] = [
    ['plain text, no template', []],
    ['{{param}}', ['param']],
    ['{{ a.b.c }} and {{ d["e"].f }}', ['a', 'd']],
    ['{{ x | default("y") | upper }}', ['x']],
    ['{{ x | default(fallback, boolean=true) }}', ['x', 'fallback']],
    ['{{ items | join(", ") }}', ['items']],
    ['{% if flag is defined and not other %}{{ value }}{% endif %}', ['flag', 'other', 'value']],
    ['{% for row in rows %}{{ row.id }} {{ loop.index }}{% endfor %}', ['rows']],
    ['{% for k, v in data.items() %}{{ k }}={{ v }}{% endfor %}', ['data']],
    ['{% set total = price * qty %}{{ total }}', ['price', 'qty']],
    ['{{ "{{ not_a_ref }}" }} {{ \'quoted\' }}', []],
    ['{{ a if b else c }}', ['a', 'b', 'c']],
    ['{{ {"k": v} | tojson }}', ['v']],
    ['{# {{ commented }} #}{{ real }}', ['real']],
    ['{% raw %}{{ raw_text }}{% endraw %}', []],
    ['{{- trimmed -}}', ['trimmed']],
    ['{{ range(3) | length }} {{ true }} {{ None }}', []],
  ];
  for (const [template, expected] of cases) {
    it(JSON.stringify(template), () => assert.deepEqual(scanTemplateReferences(template), expected));
  }

  it('hasTemplateSyntax', () => {
    assert.equal(hasTemplateSyntax('a {{ b }}'), true);
    assert.equal(hasTemplateSyntax('{% if x %}'), true);
    assert.equal(hasTemplateSyntax('a { b }'), false);
  });
});
