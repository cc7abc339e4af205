import { renderTemplate, referencedNames } from '../index.ts';
const tries: [string, Record<string, unknown>][] = [
  ['C:\\path {{ x }}', { x: 1 }],
  ['line1\n{% if x %}\nyes\n{% endif %}\nend', { x: true }],
  ['{{ "a" ~ y ~ 1 }}', {}],
  ['{{ u | upper }}|{{ u | default("d") }}|{{ u | default }}|{{ "" | default("e", true) }}', {}],
  ['{{ x | join(", ") }}', { x: [{ a: 1 }, 'b', 2] }],
  ['{{ x | tojson }}', { x: { a: [1, 'b', null] } }],
  ['{{ s | replace("a", "o") | upper | trim }}', { s: ' banana ' }],
  ['{{ "3.7" | int }} {{ "x" | int(5) }} {{ 2.567 | round(2) }} {{ [1,2,3] | sum }}', {}],
  ['{{ x | first }} {{ x | last }} {{ x | length }} {{ "abc" | first }}', { x: [1, 2, 3] }],
  ['{{ q | urlencode }}', { q: 'a b/c&d' }],
  ['{% for i in range(3) %}{{ i }}{% endfor %}', {}],
  ['{{ range(10**9) | length }}', {}],
  ['{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}', {}],
  ['{% set s = "ab" %}{% for i in range(40) %}{% set s = s ~ s %}{% endfor %}{{ s | length }}', {}],
  ['{{ f() }}', { f: () => 'called' }],
];
for (const [t, ctx] of tries) {
  const start = Date.now();
  try { console.log(JSON.stringify(t).slice(0, 70), '=>', JSON.stringify(renderTemplate(t, ctx)), Date.now() - start, 'ms'); }
  catch (e: any) { console.log(JSON.stringify(t).slice(0, 70), 'ERR', e.name, e.message, Date.now() - start, 'ms'); }
}
console.log(referencedNames('{{ a in b and c or not d }} {% for x in y %}{{ x.z }}{% endfor %} {{ e | default(f, boolean=g) }} {{ h is defined }}'));
