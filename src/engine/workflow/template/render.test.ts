import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MissingTemplateVariablesError, renderDeep, renderTemplate } from './render.ts';
import { buildTemplateContext } from './context.ts';
import { TemplateError } from './runtime.ts';

const r = (template: string, context: Record<string, unknown> = {}) => renderTemplate(template, context);

describe('renderTemplate: workflow usage', () => {
  const context = buildTemplateContext({
    parameters: { portal_url: 'https://portal.example.com', start_date: '2024-01-31', count: 3 },
    blockOutputs: {
      extract: { extracted_information: { price: 42, orders: [{ order_id: 'A1' }, { order_id: 'B2' }] }, status: 'completed' },
      summarise: { llm_response: 'short' },
      list_block: [1, 2],
    },
    workflow: { workflow_run_id: 'wr_1', workflow_permanent_id: 'wpid_1', workflow_title: 'Demo' },
    loop: { label: 'each_order', current_value: { order_id: 'A1' }, current_index: 0 },
    now: new Date('2025-03-04T23:59:00Z'),
    downloadDirectory: '/downloads/wr_1',
  });

  it('parameters, outputs and block references', () => {
    assert.equal(r('{{portal_url}}/orders?from={{ start_date }}', context), 'https://portal.example.com/orders?from=2024-01-31');
    assert.equal(r('{{ extract_output.extracted_information.price }}', context), '42');
    assert.equal(r('{{ extract.output.price }} {{ extract.status }}', context), '42 completed');
    assert.equal(r('{{ summarise.output.llm_response }}', context), 'short');
    assert.equal(r('{{ list_block.output | length }}', context), '2');
    assert.equal(r('{{ workflow_run_outputs.summarise.llm_response }}', context), 'short');
  });

  it('loop variables and run builtins', () => {
    assert.equal(r('{{ current_value.order_id }} {{ current_item.order_id }} #{{ current_index }}', context), 'A1 A1 #0');
    assert.equal(r('{{ each_order.current_value.order_id }}', context), 'A1');
    assert.equal(r('{{ workflow_run_id }} {{ workflow_permanent_id }} {{ current_date }}', context), 'wr_1 wpid_1 2025-03-04');
    assert.equal(r('{{ SKYVERN_DOWNLOAD_DIRECTORY }}', context), '/downloads/wr_1');
  });

  it('tojson round-trips (for_loop loop_variable_reference)', () => {
    const json = r('{{ extract_output.extracted_information.orders | tojson }}', context);
    assert.deepEqual(JSON.parse(json), [{ order_id: 'A1' }, { order_id: 'B2' }]);
    assert.equal(r('{{ {"a": [1, none, true]} | tojson }}'), '{"a": [1, null, true]}');
  });

  it('dicts and lists print as JSON; null as empty text', () => {
    assert.equal(r('{{ x }}', { x: { a: [1, 'b'] } }), '{"a": [1, "b"]}');
    assert.equal(r('[{{ x }}]', { x: null }), '[]');
  });

  it('statements keep Jinja default whitespace handling', () => {
    assert.equal(r('a\n{% if flag %}yes{% else %}no{% endif %}\nb', { flag: false }), 'a\nno\nb');
    assert.equal(r('{% for o in orders %}{{ o.id }}{% if not loop.last %},{% endif %}{% endfor %}', { orders: [{ id: 1 }, { id: 2 }] }), '1,2');
  });

  it('plain strings are returned untouched (no escape processing)', () => {
    assert.equal(r('C:\\temp\\{x} 100% {not a template}'), 'C:\\temp\\{x} 100% {not a template}');
  });
});

describe('renderTemplate: filters', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['{{ missing | default("fallback") }}', {}, 'fallback'],
    ['{{ missing | default }}|{{ missing | d("x") }}', {}, '|x'],
    ['{{ "" | default("empty", true) }}|{{ "" | default("empty") }}', {}, 'empty|'],
    ['{{ s | lower }} {{ s | upper }} {{ "  pad  " | trim }}', { s: 'MiXed' }, 'mixed MIXED pad'],
    ['{{ s | length }} {{ l | length }} {{ o | length }} {{ missing | length }}', { s: 'abc', l: [1, 2], o: { a: 1 } }, '3 2 1 0'],
    ['{{ l | join(", ") }}|{{ l | join }}', { l: ['a', 1, { k: 'v' }] }, 'a, 1, {"k": "v"}|a1{"k": "v"}'],
    ['{{ l | join(", ", attribute="id") }}', { l: [{ id: 1 }, { id: 2 }] }, '1, 2'],
    ['{{ s | replace("a", "o") }} {{ s | replace("a", "o", 1) }}', { s: 'banana' }, 'bonono bonana'],
    ['{{ "42" | int + 1 }} {{ "4.7" | int }} {{ "x" | int }} {{ "x" | int(7) }} {{ 3.9 | int }}', {}, '43 4 0 7 3'],
    ['{{ n | string }}{{ flag | string }}', { n: 5, flag: true }, '5true'],
    ['{{ l | first }} {{ l | last }} {{ "xyz" | first }} {{ "xyz" | last }}', { l: [1, 2, 3] }, '1 3 x z'],
    ['{{ 2.567 | round(2) }} {{ 2.5 | round(0, "floor") }} {{ [1, 2.5] | sum }} {{ [3, 1, 2] | max }} {{ [3, 1, 2] | min }}', {}, '2.57 2 3.5 3 1'],
    ['{{ q | urlencode }}', { q: 'shoes & socks/2' }, 'shoes%20%26%20socks/2'],
    ['{{ "<b>" | e }}', {}, '&lt;b&gt;'],
    ['{{ "hello world" | title }} {{ "hello" | capitalize }}', {}, 'Hello World Hello'],
    ['{{ items | map(attribute="id") | join(",") }}', { items: [{ id: 'a' }, { id: 'b' }] }, 'a,b'],
    ['{{ items | selectattr("ok") | list | length }}', { items: [{ ok: true }, { ok: false }] }, '1'],
    ['{{ d | items | list | length }} {{ d.keys() | list | tojson }}', { d: { a: 1, b: 2 } }, '2 ["a", "b"]'],
    ['{{ "a" ~ missing ~ 1 }}', {}, 'a1'],
  ];
  for (const [template, context, expected] of cases) {
    it(template, () => assert.equal(r(template, context), expected));
  }
});

describe('renderTemplate: undefined handling', () => {
  it('lax (default): unknown names and attributes render empty', () => {
    assert.equal(r('[{{ nope }}][{{ nope.deeper.still }}][{{ nope | upper }}]'), '[][][]');
    assert.equal(r('{% if nope %}yes{% else %}no{% endif %}'), 'no');
    assert.equal(r('{{ current_index == 0 or page.has_next_page }}', { current_index: 1, page: {} }), '');
  });

  it('strict: a missing root variable fails with its name', () => {
    assert.throws(() => renderTemplate('{{ a }} {{ b.c }}', { a: 1 }, { strictness: 'strict' }),
      (error: unknown) => error instanceof MissingTemplateVariablesError && error.names.join() === 'b');
    assert.equal(renderTemplate('{{ a.missing }}', { a: {} }, { strictness: 'strict' }), '');
  });

  it('syntax errors are TemplateErrors', () => {
    assert.throws(() => r('{{ unclosed'), TemplateError);
    assert.throws(() => r('{% if x %}no end'), TemplateError);
  });
});

describe('renderDeep', () => {
  it('renders every string in objects and arrays, leaves other values and keys alone', () => {
    const body = { text: 'Hi {{ name }}', nested: { list: ['{{ n + 1 }}', 7, null, true], '{{ key }}': 'k' } };
    const input = structuredClone(body);
    const out = renderDeep(body, { name: 'Ann', n: 1 });
    assert.deepEqual(out, { text: 'Hi Ann', nested: { list: ['2', 7, null, true], '{{ key }}': 'k' } });
    assert.deepEqual(body, input);
  });
});
