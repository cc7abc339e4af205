// Every block type a definition may hold, and the docs' examples, presented as a `Workflow` the
// SDK's strict models accept (checked against Skyvern's OpenAPI components).
import { describe, it } from 'node:test';
import { parseAndValidateDefinitionInput, toWorkflowResponseDefinition } from '../../domain/workflow/index.ts';
import { PAGINATION_YAML, SDK_STYLE_JSON } from '../../../test/fixtures/workflows/examples.ts';
import { presentWorkflow } from './workflow.presenter.ts';
import { assertMatchesReference } from '../../../test/support/reference-schemas.ts';

const blocks = [
  { block_type: 'task', label: 'b1', navigation_goal: 'x' },
  { block_type: 'navigation', label: 'b2', navigation_goal: 'x' },
  { block_type: 'extraction', label: 'b3', data_extraction_goal: 'x' },
  { block_type: 'action', label: 'b4', navigation_goal: 'x' },
  { block_type: 'login', label: 'b5' },
  { block_type: 'file_download', label: 'b6', navigation_goal: 'x' },
  { block_type: 'validation', label: 'b7', complete_criterion: 'x' },
  { block_type: 'task_v2', label: 'b8', prompt: 'x' },
  { block_type: 'goto_url', label: 'b9', url: 'https://x.com' },
  { block_type: 'wait', label: 'b10', wait_sec: 1 },
  { block_type: 'text_prompt', label: 'b11', prompt: 'x' },
  { block_type: 'http_request', label: 'b12', url: 'https://x.com' },
  { block_type: 'code', label: 'b13', code: 'x' },
  { block_type: 'send_email', label: 'b14', sender: 'a@b.c', recipients: ['a@b.c'], subject: 's', body: 'b' },
  { block_type: 'file_url_parser', label: 'b15', file_url: 'https://x.com/a.csv' },
  { block_type: 'print_page', label: 'b16' },
  { block_type: 'while_loop', label: 'b17', condition: { expression: '{{ false }}' }, loop_blocks: [{ block_type: 'wait', label: 'b18' }] },
  { block_type: 'for_loop', label: 'b19', loop_variable_reference: '{{ [1] }}', loop_blocks: [{ block_type: 'wait', label: 'b20' }] },
  { block_type: 'human_interaction', label: 'b21', recipients: ['a@b.c'] },
  { block_type: 'upload_to_s3', label: 'b22' },
  { block_type: 'pdf_parser', label: 'b23', file_url: 'https://x.com/a.pdf' },
];
const row = (request: unknown, definition: unknown) => ({
  workflowId: 'w_1', organizationId: 'o_1', workflowPermanentId: 'wpid_1', version: 1, title: 't', status: 'published', isSavedTask: false,
  isTemplate: false, folderId: null, request, definition, createdAt: new Date(), modifiedAt: new Date(), deletedAt: null,
}) as Parameters<typeof presentWorkflow>[0];

describe('presentWorkflow: every block type matches the contract', () => {
  for (const b of blocks) it(b.block_type, () => {
    const parsed = parseAndValidateDefinitionInput({ json_definition: { title: 't', workflow_definition: { parameters: [], blocks: [b] } } }).request;
    let n = 0;
    const definition = toWorkflowResponseDefinition(parsed, { newId: (p) => `${p}_${++n}`, now: '2026-01-01T00:00:00.000000', workflowId: 'w_1' });
    assertMatchesReference('Workflow', presentWorkflow(row(parsed, definition)));
  });
  it('examples', () => {
    for (const input of [{ yaml_definition: PAGINATION_YAML }, { json_definition: SDK_STYLE_JSON }]) {
      const parsed = parseAndValidateDefinitionInput(input).request;
      const definition = toWorkflowResponseDefinition(parsed, { newId: (p) => `${p}_1`, now: '2026-01-01T00:00:00.000000', workflowId: 'w_1' });
      assertMatchesReference('Workflow', presentWorkflow(row(parsed, definition)));
    }
  });
});
