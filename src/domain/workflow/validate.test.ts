import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDefinitionInput } from './parse.ts';
import { parseAndValidateDefinitionInput, validateDefinition } from './validate.ts';
import { WorkflowDefinitionError } from './problems.ts';

type Def = { parameters?: unknown[]; blocks: unknown[]; version?: number; finally_block_label?: string };

function problemsOf(def: Def) {
  const request = parseDefinitionInput({
    json_definition: { title: 't', workflow_definition: { parameters: [], ...def } },
  });
  return validateDefinition(request);
}
const locs = (def: Def) => problemsOf(def).map((p) => p.loc.join('.'));
const wf = (key: string, type = 'string', extra: object = {}) => ({
  parameter_type: 'workflow', key, workflow_parameter_type: type, ...extra,
});
const wait = (label: string, extra: object = {}) => ({ block_type: 'wait', label, ...extra });
const B = 'workflow_definition.blocks';

describe('validateDefinition: labels', () => {
  it('duplicate labels, including inside loop bodies', () => {
    const problems = problemsOf({
      blocks: [wait('a'), { block_type: 'for_loop', label: 'loop', loop_over_parameter_key: 'items', loop_blocks: [wait('a')] }],
      parameters: [wf('items', 'json')],
    });
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0].loc, ['workflow_definition', 'blocks', 1, 'loop_blocks', 0, 'label']);
    assert.match(problems[0].msg, /Duplicate block label 'a'/);
    assert.equal(problems[0].type, 'value_error');
  });

  it('labels must be identifiers in JSON input', () => {
    assert.deepEqual(locs({ blocks: [wait('log in')] }), [`${B}.0.label`]);
  });

  it('YAML input gets non-identifier labels rewritten along with references', () => {
    const request = parseDefinitionInput({
      yaml_definition: `
title: t
workflow_definition:
  parameters: []
  blocks:
    - {block_type: extraction, label: "get data", data_extraction_goal: x}
    - {block_type: text_prompt, label: summarise, prompt: "Summarise {{ get data_output }}"}
`,
    });
    const [first, second] = request.workflow_definition.blocks;
    assert.equal(first.label, 'get_data');
    assert.equal(second.block_type === 'text_prompt' && second.prompt, 'Summarise {{ get_data_output }}');
    assert.deepEqual(validateDefinition(request), []);
  });
});

describe('validateDefinition: targets', () => {
  it('next_block_label naming nothing', () => {
    assert.deepEqual(locs({ version: 2, blocks: [wait('a', { next_block_label: 'nowhere' })] }), [`${B}.0.next_block_label`]);
  });

  it('next_block_label leaving its loop body', () => {
    const problems = problemsOf({
      parameters: [wf('items', 'json')],
      blocks: [
        { block_type: 'for_loop', label: 'loop', loop_over_parameter_key: 'items', loop_blocks: [wait('inner', { next_block_label: 'outer' })] },
        wait('outer'),
      ],
    });
    assert.deepEqual(problems.map((p) => p.loc.join('.')), [`${B}.0.loop_blocks.0.next_block_label`]);
    assert.match(problems[0].msg, /same block list/);
  });

  it('finally_block_label naming nothing, or a block that continues', () => {
    assert.deepEqual(locs({ blocks: [wait('a')], finally_block_label: 'cleanup' }), ['workflow_definition.finally_block_label']);
    assert.deepEqual(
      locs({ blocks: [wait('a', { next_block_label: 'b' }), wait('b'), wait('cleanup', { next_block_label: 'a' })], finally_block_label: 'cleanup' }),
      ['workflow_definition.finally_block_label'],
    );
    assert.deepEqual(locs({ blocks: [wait('a'), wait('cleanup')], finally_block_label: 'cleanup' }), []);
  });

  it('conditional branch targets naming nothing, and branch shape rules', () => {
    const found = locs({
      blocks: [
        {
          block_type: 'conditional', label: 'c',
          branch_conditions: [
            { criteria: { expression: '{{ true }}' }, next_block_label: 'ghost' },
            { is_default: true, next_block_label: 'd' },
            { is_default: true },
          ],
        },
        wait('d'),
      ],
    });
    assert.ok(found.includes(`${B}.0.branch_conditions.0.next_block_label`));
    assert.ok(found.includes(`${B}.0.branch_conditions`)); // two defaults
  });
});

describe('validateDefinition: version and graph', () => {
  it('explicit version 1 with next_block_label is rejected', () => {
    assert.ok(locs({ version: 1, blocks: [wait('a', { next_block_label: 'b' }), wait('b')] }).includes('workflow_definition.version'));
  });

  it('version 2 needs one root and no cycles', () => {
    const disconnected = problemsOf({ version: 2, blocks: [wait('a'), wait('b')] });
    assert.match(disconnected[0].msg, /Disconnected blocks/);
    const cycle = problemsOf({
      blocks: [wait('start', { next_block_label: 'a' }), wait('a', { next_block_label: 'b' }), wait('b', { next_block_label: 'a' })],
    });
    assert.match(cycle[0].msg, /cycle through: a, b/);
  });

  it('a conditional example with a default branch to null is fine', () => {
    assert.deepEqual(problemsOf({
      blocks: [
        { block_type: 'conditional', label: 'c', branch_conditions: [{ criteria: { expression: '{{ 1 }}' }, next_block_label: 'x' }, { is_default: true }] },
        wait('x'),
      ],
    }), []);
  });
});

describe('validateDefinition: parameters', () => {
  it('parameter_keys naming nothing; block outputs are accepted', () => {
    const found = locs({
      blocks: [
        { block_type: 'extraction', label: 'ex', data_extraction_goal: 'x' },
        { block_type: 'text_prompt', label: 'tp', prompt: 'p', parameter_keys: ['ex_output', 'missing'] },
      ],
    });
    assert.deepEqual(found, [`${B}.1.parameter_keys.1`]);
  });

  it('loop_over_parameter_key naming nothing', () => {
    assert.deepEqual(
      locs({ blocks: [{ block_type: 'for_loop', label: 'l', loop_over_parameter_key: 'nope', loop_blocks: [wait('w')] }] }),
      [`${B}.0.loop_over_parameter_key`],
    );
  });

  it('context source naming nothing; reserved and clashing keys; manual output parameters', () => {
    const found = locs({
      parameters: [
        { parameter_type: 'context', key: 'ctx', source_parameter_key: 'ghost' },
        wf('workflow_run_id'),
        wf('a_output'),
        { parameter_type: 'output', key: 'manual' },
        wf('dup'), wf('dup'),
      ],
      blocks: [wait('a')],
    });
    const P = 'workflow_definition.parameters';
    assert.deepEqual(found.sort(), [
      `${P}.0.source_parameter_key`, `${P}.1.key`, `${P}.2.key`, `${P}.3.parameter_type`, `${P}.5.key`,
    ].sort());
  });

  it('default_value must match workflow_parameter_type', () => {
    const P = 'workflow_definition.parameters';
    const found = locs({
      parameters: [
        wf('i_ok', 'integer', { default_value: '42' }), wf('i_bad', 'integer', { default_value: 'forty' }),
        wf('f_ok', 'float', { default_value: 1.5 }), wf('f_bad', 'float', { default_value: [1] }),
        wf('b_ok', 'boolean', { default_value: 'false' }), wf('b_bad', 'boolean', { default_value: 'maybe' }),
        wf('j_ok', 'json', { default_value: '{"a":1}' }), wf('j_bad', 'json', { default_value: '{oops' }),
        wf('s_ok', 'string', { default_value: 2024 }), wf('s_bad', 'string', { default_value: { a: 1 } }),
        wf('u_bad', 'file_url', { default_value: 3 }), wf('c_bad', 'credential_id', { default_value: true }),
        wf('n_ok', 'integer', { default_value: null }),
      ],
      blocks: [],
    });
    assert.deepEqual(found, [1, 3, 5, 7, 9, 10, 11].map((i) => `${P}.${i}.default_value`));
  });
});

describe('validateDefinition: template references', () => {
  it('flags unknown names, accepts params, outputs, labels, loop and run builtins, local names', () => {
    const problems = problemsOf({
      parameters: [wf('city')],
      blocks: [
        { block_type: 'extraction', label: 'ex', data_extraction_goal: 'x' },
        {
          block_type: 'for_loop', label: 'loop', loop_variable_reference: '{{ ex_output.items }}',
          loop_blocks: [{
            block_type: 'navigation', label: 'nav',
            navigation_goal: '{{ city | upper }} {{ ex.output.name }} {{ current_value.id }} {{ current_index }} {{ workflow_run_id }} {{ current_date }} {% for r in ex_output.rows %}{{ r.id | default("-", true) }}{{ loop.index }}{% endfor %}{% set n = 1 %}{{ n }} {{ "literal {{ x }}" }}',
          }],
        },
        { block_type: 'http_request', label: 'post', url: 'https://x/{{ citty }}', body: { a: ['{{ nav_output }}', '{{ ghost.x }}'] } },
      ],
    });
    assert.deepEqual(problems.map((p) => p.loc.join('.')), [`${B}.2.url`, `${B}.2.body.a.1`]);
    assert.match(problems[0].msg, /'citty'/);
  });
});

describe('parseAndValidateDefinitionInput', () => {
  it('throws a 422-shaped error listing every problem', () => {
    assert.throws(
      () => parseAndValidateDefinitionInput({
        json_definition: { title: 't', workflow_definition: { parameters: [], blocks: [wait('a'), wait('a')] } },
      }),
      (error: unknown) => error instanceof WorkflowDefinitionError && error.status === 422
        && error.issues.length === 1 && error.issues[0].type === 'value_error',
    );
  });
});
