import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Value } from 'typebox/value';
import { parseDefinitionInput } from '../parse.ts';
import { toWorkflowResponseDefinition } from './definition.ts';
import { OutputParameterSchema, ResponseBlockSchema, type ResponseBlock, type ResponseIds } from './schema.ts';
import { BULK_INVOICE_YAML, CONDITIONAL_YAML, INVOICE_DEMO_YAML, SDK_STYLE_JSON } from '../../../../test/fixtures/workflows/examples.ts';

function fakeIds(): ResponseIds {
  let n = 0;
  return { newId: (prefix) => `${prefix}_${++n}`, now: '2025-01-01T00:00:00Z', workflowId: 'w_1', uuid: () => `uuid-${++n}` };
}
const responseOf = (yaml: string) => toWorkflowResponseDefinition(parseDefinitionInput({ yaml_definition: yaml }), fakeIds());

function everyBlock(blocks: ResponseBlock[]): ResponseBlock[] {
  return blocks.flatMap((b) => [b, ...everyBlock((b.loop_blocks as ResponseBlock[] | undefined) ?? [])]);
}

describe('toWorkflowResponseDefinition', () => {
  it('gives every block, nested ones included, a label and a full output_parameter', () => {
    const response = responseOf(BULK_INVOICE_YAML);
    const blocks = everyBlock(response.blocks);
    assert.deepEqual(blocks.map((b) => b.label), ['login_block', 'data_extraction_block', 'for_1_block', 'inv_download_block', 'email_block']);
    for (const block of blocks) {
      assert.ok(Value.Check(ResponseBlockSchema, block), block.label);
      assert.ok(Value.Check(OutputParameterSchema, block.output_parameter), block.label);
      assert.equal(block.output_parameter.key, `${block.label}_output`);
      assert.match(block.output_parameter.output_parameter_id, /^op_/);
      assert.equal(block.output_parameter.workflow_id, 'w_1');
      assert.equal(block.output_parameter.deleted_at, null);
    }
  });

  it('lists declared parameters with ids, then the output parameters', () => {
    const response = responseOf(BULK_INVOICE_YAML);
    const keys = response.parameters.map((p) => p.key);
    assert.deepEqual(keys, [
      'portal_url', 'start_date', 'recipient_email', 'credentials',
      'login_block_output', 'data_extraction_block_output', 'for_1_block_output', 'inv_download_block_output', 'email_block_output',
    ]);
    const portal = response.parameters[0] as Record<string, unknown>;
    assert.match(String(portal.workflow_parameter_id), /^wp_/);
    assert.equal(portal.workflow_id, 'w_1');
    assert.equal(portal.created_at, '2025-01-01T00:00:00Z');
    assert.equal(portal.modified_at, '2025-01-01T00:00:00Z');
  });

  it('task-family blocks carry parameters instead of parameter_keys, plus response defaults', () => {
    const [login, extraction] = responseOf(BULK_INVOICE_YAML).blocks;
    assert.equal('parameter_keys' in login, false);
    assert.deepEqual((login.parameters as { key: string }[]).map((p) => p.key), ['credentials']);
    assert.equal(login.task_type, 'general');
    assert.equal(login.include_extracted_text, true);
    assert.equal(extraction.include_extracted_text, false);
    assert.deepEqual(extraction.parameters, []);
  });

  it('for_loop: loop_blocks and loop_over; context parameters carry their source', () => {
    const response = responseOf(INVOICE_DEMO_YAML);
    const loop = response.blocks.find((b) => b.block_type === 'for_loop')!;
    assert.equal('loop_over_parameter_key' in loop, false);
    const loopOver = loop.loop_over as Record<string, any>;
    assert.equal(loopOver.parameter_type, 'context');
    assert.equal(loopOver.source.key, 'get_order_ids_output');
    assert.equal(loopOver.source.parameter_type, 'output');
    const orderId = response.parameters.find((p) => p.key === 'order_id') as Record<string, any>;
    assert.equal(orderId.source.key, 'order_ids');
    assert.equal(orderId.value, null);
  });

  it('send_email: SMTP fields are aws_secret parameter objects (declared or platform defaults)', () => {
    const declared = responseOf(INVOICE_DEMO_YAML).blocks.find((b) => b.block_type === 'send_email')!;
    const host = declared.smtp_host as Record<string, unknown>;
    assert.equal(host.parameter_type, 'aws_secret');
    assert.equal(host.aws_key, 'SKYVERN_SMTP_HOST_AWS_SES');
    assert.match(String(host.aws_secret_parameter_id), /^asp_/);
    assert.equal('smtp_host_secret_parameter_key' in declared, false);

    const provisioned = responseOf(BULK_INVOICE_YAML).blocks.find((b) => b.block_type === 'send_email')!;
    for (const field of ['smtp_host', 'smtp_port', 'smtp_username', 'smtp_password']) {
      const parameter = provisioned[field] as Record<string, unknown>;
      assert.equal(parameter.parameter_type, 'aws_secret', field);
      for (const required of ['key', 'aws_secret_parameter_id', 'workflow_id', 'aws_key', 'created_at', 'modified_at']) {
        assert.ok(parameter[required], `${field}.${required}`);
      }
    }
    assert.deepEqual(provisioned.file_attachments, ['SKYVERN_DOWNLOAD_DIRECTORY']);
  });

  it('wait → integer wait_sec; goto_url → url; version derived', () => {
    const response = toWorkflowResponseDefinition(parseDefinitionInput({ json_definition: SDK_STYLE_JSON }), fakeIds());
    const [gotoUrl, wait] = response.blocks;
    assert.equal(gotoUrl.url, SDK_STYLE_JSON.workflow_definition.blocks[0].url);
    assert.equal(wait.wait_sec, 2);
    assert.ok(Number.isInteger(wait.wait_sec));
    assert.equal(response.version, 1);
  });

  it('conditional branches get ids and criteria types; version 2', () => {
    const response = responseOf(CONDITIONAL_YAML);
    const conditional = response.blocks[1];
    const branches = conditional.branch_conditions as Record<string, any>[];
    assert.equal(branches[0].id.startsWith('uuid-'), true);
    assert.equal(branches[0].criteria.criteria_type, 'prompt');
    assert.equal(branches[1].is_default, true);
    assert.equal(response.version, 2);
  });
});
