import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseDefinitionInput, parseDefinitionInputDetailed } from './parse.ts';
import { validateDefinition } from './validate.ts';
import { WorkflowDefinitionError } from './problems.ts';
import { BLOCK_TYPES } from './schema/blocks.ts';
import { PARAMETER_YAML_SCHEMAS } from './schema/parameters.ts';
import { WorkflowCreateYamlRequestSchema, WorkflowDefinitionYamlSchema } from './schema/request.ts';
import {
  BULK_INVOICE_YAML, CONDITIONAL_YAML, INVOICE_DEMO_YAML, PAGINATION_YAML, SDK_STYLE_JSON,
} from '../../../test/fixtures/workflows/examples.ts';
import { skyvernContract } from '../../../test/support/skyvern-contract.ts';

type Contract = { components: { schemas: Record<string, any> } };
const contract: Contract = skyvernContract();

function detailOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof WorkflowDefinitionError, `expected WorkflowDefinitionError, got ${String(error)}`);
    return error.issues;
  }
  assert.fail('expected a WorkflowDefinitionError');
}

describe('parseDefinitionInput: documented examples', () => {
  const yamlExamples = { BULK_INVOICE_YAML, INVOICE_DEMO_YAML, PAGINATION_YAML, CONDITIONAL_YAML };
  for (const [name, yaml] of Object.entries(yamlExamples)) {
    it(`${name} parses and validates clean`, () => {
      const request = parseDefinitionInput({ yaml_definition: yaml });
      assert.deepEqual(validateDefinition(request), []);
    });
  }

  it('SDK-style JSON (goto_url / UrlBlockYaml) parses and validates clean', () => {
    const request = parseDefinitionInput({ json_definition: SDK_STYLE_JSON });
    assert.deepEqual(validateDefinition(request), []);
    const [gotoUrl, wait] = request.workflow_definition.blocks;
    assert.equal(gotoUrl.block_type, 'goto_url');
    assert.equal(gotoUrl.block_type === 'goto_url' && gotoUrl.url, SDK_STYLE_JSON.workflow_definition.blocks[0].url);
    assert.equal(wait.block_type === 'wait' && wait.wait_sec, 2);
  });

  it('SDK-style JSON sent as yaml_definition (JSON is YAML) parses the same', () => {
    const fromYaml = parseDefinitionInput({ yaml_definition: JSON.stringify(SDK_STYLE_JSON) });
    const fromJson = parseDefinitionInput({ json_definition: SDK_STYLE_JSON });
    assert.deepEqual(fromYaml, fromJson);
    assert.equal(fromYaml.workflow_definition.blocks[0].block_type, 'goto_url');
  });

  it('the same definition as YAML and as JSON gives the same request', () => {
    const fromYaml = parseDefinitionInput({ yaml_definition: BULK_INVOICE_YAML });
    const fromJson = parseDefinitionInput({ json_definition: JSON.parse(JSON.stringify(fromYaml)) });
    assert.deepEqual(fromJson, fromYaml);
  });
});

describe('parseDefinitionInput: input selection and defaults', () => {
  it('YAML wins when both are sent', () => {
    const parsed = parseDefinitionInputDetailed({ yaml_definition: PAGINATION_YAML, json_definition: SDK_STYLE_JSON });
    assert.equal(parsed.source, 'yaml');
    assert.equal(parsed.request.title, 'Paginate results');
  });

  it('neither → the Skyvern message', () => {
    const detail = detailOf(() => parseDefinitionInput({}));
    assert.match(detail[0].msg, /either yaml or json format/);
  });

  it('bad YAML → a problem under yaml_definition', () => {
    const detail = detailOf(() => parseDefinitionInput({ yaml_definition: 'title: [unclosed' }));
    assert.deepEqual(detail[0].loc, ['yaml_definition']);
    assert.match(detail[0].msg, /Invalid YAML/);
  });

  it('fills defaults, keeps dates as strings, drops unknown fields, reports provided fields', () => {
    const parsed = parseDefinitionInputDetailed({
      yaml_definition: `
title: t
some_future_field: 1
workflow_definition:
  parameters:
    - {key: day, parameter_type: workflow, workflow_parameter_type: string, default_value: 2024-01-31}
  blocks:
    - {block_type: wait, label: w, unknown_block_field: x}
`,
    });
    const { request } = parsed;
    assert.equal(request.persist_browser_session, false);
    assert.equal(request.status, 'published');
    assert.equal(request.max_elapsed_time_minutes, null);
    assert.equal('some_future_field' in request, false);
    const [parameter] = request.workflow_definition.parameters;
    assert.equal(parameter.parameter_type === 'workflow' && parameter.default_value, '2024-01-31');
    const [wait] = request.workflow_definition.blocks;
    assert.equal(wait.block_type === 'wait' && wait.wait_sec, 0);
    assert.equal(wait.continue_on_failure, false);
    assert.equal('unknown_block_field' in wait, false);
    assert.deepEqual([...parsed.providedFields].sort(), ['some_future_field', 'title', 'workflow_definition']);
  });
});

describe('parseDefinitionInput: structural errors', () => {
  const wrap = (blocks: unknown[], parameters: unknown[] = []) => ({
    json_definition: { title: 't', workflow_definition: { parameters, blocks } },
  });

  it('unknown block type is rejected with its loc (nested too)', () => {
    const detail = detailOf(() => parseDefinitionInput(wrap([
      { block_type: 'for_loop', label: 'l', loop_blocks: [{ block_type: 'teleport', label: 'x' }] },
    ])));
    assert.deepEqual(detail[0].loc, ['workflow_definition', 'blocks', 0, 'loop_blocks', 0, 'block_type']);
    assert.match(detail[0].msg, /Unknown block_type 'teleport'/);
    assert.equal(detail[0].type, 'value_error');
  });

  it('unknown parameter type is rejected', () => {
    const detail = detailOf(() => parseDefinitionInput(wrap([], [{ parameter_type: 'magic', key: 'k' }])));
    assert.deepEqual(detail[0].loc, ['workflow_definition', 'parameters', 0, 'parameter_type']);
  });

  it('missing required fields and wrong types are reported per field', () => {
    const detail = detailOf(() => parseDefinitionInput(wrap([
      { block_type: 'goto_url', label: 'go' },
      { block_type: 'wait', label: 'w', wait_sec: 'soon' },
      { block_type: 'navigation', label: 5, navigation_goal: 'x', engine: 'skyvern-9' },
    ])));
    const byLoc = new Map(detail.map((p) => [p.loc.join('.'), p.msg]));
    assert.equal(byLoc.get('workflow_definition.blocks.0.url'), 'Field required');
    assert.equal(byLoc.get('workflow_definition.blocks.1.wait_sec'), 'Input should be a valid integer');
    assert.equal(byLoc.get('workflow_definition.blocks.2.label'), 'Input should be a valid string');
    assert.match(byLoc.get('workflow_definition.blocks.2.engine') ?? '', /^Input should be 'skyvern-1.0'/);
  });

  it('request-level fields are checked (title required, max_elapsed_time_minutes 1..480)', () => {
    const detail = detailOf(() => parseDefinitionInput({
      json_definition: { max_elapsed_time_minutes: 999, workflow_definition: { parameters: [], blocks: [] } },
    }));
    const locs = detail.map((p) => p.loc.join('.'));
    assert.ok(locs.includes('title'));
    assert.ok(locs.includes('max_elapsed_time_minutes'));
  });

  it('code blocks may not carry `parameters`', () => {
    const detail = detailOf(() => parseDefinitionInput(wrap([{ block_type: 'code', label: 'c', code: 'result = 1', parameters: [] }])));
    assert.deepEqual(detail[0].loc, ['workflow_definition', 'blocks', 0, 'parameters']);
  });
});

describe('block registry', () => {
  it('covers every block type of the contract BlockType enum', () => {
    const contractTypes = (contract.components.schemas.BlockType.enum as string[]).slice().sort();
    assert.deepEqual([...BLOCK_TYPES].sort(), contractTypes);
  });

  it('each block schema lists the same fields as the contract *BlockYAML component', () => {
    const schemas = contract.components.schemas as Record<string, { properties?: Record<string, unknown> }>;
    const mapping = (contract.components.schemas.WorkflowDefinitionYAML.properties.blocks.items as {
      discriminator: { mapping: Record<string, string> };
    }).discriminator.mapping;
    for (const type of BLOCK_TYPES) {
      const component = schemas[mapping[type].split('/').pop()!];
      const parsed = parseDefinitionInput(wrapMinimal(type)).workflow_definition.blocks[0];
      assert.deepEqual(Object.keys(parsed).sort(), Object.keys(component.properties!).sort(), type);
    }
  });

  it('each parameter schema lists the same fields as the contract *ParameterYAML component', () => {
    const items = contract.components.schemas.WorkflowDefinitionYAML.properties.parameters.items;
    const mapping = items.discriminator.mapping as Record<string, string>;
    for (const [type, ref] of Object.entries(mapping)) {
      const component = contract.components.schemas[ref.split('/').pop()!];
      const schema = (PARAMETER_YAML_SCHEMAS as Record<string, { properties: object }>)[type];
      assert.ok(schema, type);
      assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(component.properties).sort(), type);
    }
  });

  it('request and definition schemas list the contract fields', () => {
    const keys = (name: string) => Object.keys(contract.components.schemas[name].properties).sort();
    assert.deepEqual(Object.keys(WorkflowCreateYamlRequestSchema.properties).sort(), keys('WorkflowCreateYAMLRequest'));
    assert.deepEqual(Object.keys(WorkflowDefinitionYamlSchema.properties).sort(), keys('WorkflowDefinitionYAML'));
  });
});

/** A minimal valid block of each type (required fields only). */
function wrapMinimal(type: string) {
  const required: Record<string, Record<string, unknown>> = {
    navigation: { navigation_goal: 'g' }, extraction: { data_extraction_goal: 'g' }, file_download: { navigation_goal: 'g' },
    goto_url: { url: 'https://x' }, task_v2: { prompt: 'p' }, for_loop: { loop_blocks: [] },
    while_loop: { loop_blocks: [], condition: { expression: 'true' } }, code: { code: 'x = 1' }, text_prompt: { prompt: 'p' },
    download_to_s3: { url: 'https://x' }, send_email: { sender: 's', recipients: [], subject: 's', body: 'b' },
    file_url_parser: { file_url: 'f' }, pdf_parser: { file_url: 'f' }, pdf_fill: { file_url: 'f', prompt: 'p' },
    split_pdf: { file_url: 'f', prompt: 'p' }, human_interaction: { recipients: ['a@b.c'] },
    workflow_trigger: { workflow_permanent_id: 'wpid_1' }, google_sheets_read: { spreadsheet_url: 'u' },
    google_sheets_write: { spreadsheet_url: 'u' }, email_inbox: { email_client: 'gmail' },
  };
  return {
    json_definition: {
      title: 't',
      workflow_definition: { parameters: [], blocks: [{ block_type: type, label: 'b', ...required[type] }] },
    },
  };
}
