import { Template } from '@huggingface/jinja';
import { renderTemplate } from '../index.ts';
for (const t of ['{% for b in range(100000) %}{% endfor %}', '{% for b in range(100000) %}{{ b }}{% endfor %}', '{% for b in x %}{{ b.id }},{% endfor %}']) {
  const ctx = { x: Array.from({ length: 10000 }, (_, i) => ({ id: i, name: 'n' + i })) };
  let s = Date.now(); new Template(t).render(ctx); const lib = Date.now() - s;
  s = Date.now(); renderTemplate(t, ctx); console.log(t, 'lib', lib, 'ms; ours', Date.now() - s, 'ms');
}
