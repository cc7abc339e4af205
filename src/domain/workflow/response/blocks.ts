// Parsed blocks → response blocks: `parameter_keys` become full `parameters`, each block gets its
// `output_parameter`, for_loop gets `loop_over`, send_email gets SMTP parameter objects,
// conditional branches get ids, and the fields the response model has but the YAML lacks get
// Skyvern's defaults.
import type { BlockType, BlockYaml } from '../schema/blocks.ts';
import type { ParameterIndex } from './parameters.ts';
import type { AwsSecretParameter, ResponseBlock, ResponseIds, ResponseParameter } from './schema.ts';

/** Every field of Skyvern's BaseTaskBlock with its default; task-like response blocks carry all of them. */
const TASK_RESPONSE_DEFAULTS: Record<string, unknown> = {
  task_type: 'general', url: null, title: '', engine: 'skyvern-1.0', complete_criterion: null,
  complete_criterion_is_untrusted: false, terminate_criterion: null, navigation_goal: null, data_extraction_goal: null,
  data_schema: null, error_code_mapping: null, max_retries: 0, max_steps_per_run: null, complete_on_download: false,
  download_suffix: null, totp_verification_url: null, totp_identifier: null, complete_verification: true,
  include_action_history_in_verification: false, download_timeout: null, include_extracted_text: true,
};
const TASK_LIKE: ReadonlySet<BlockType> = new Set([
  'task', 'navigation', 'extraction', 'action', 'login', 'file_download', 'validation', 'goto_url', 'human_interaction',
]);
/** Block types whose response model has a `parameters` list. */
const WITH_PARAMETERS: ReadonlySet<BlockType> = new Set([
  ...TASK_LIKE, 'code', 'text_prompt', 'wait', 'http_request', 'print_page', 'workflow_trigger', 'google_sheets_read',
  'google_sheets_write', 'email_inbox', 'pdf_fill', 'split_pdf',
]);
const EXTRA_DEFAULTS: Partial<Record<BlockType, Record<string, unknown>>> = {
  extraction: { include_extracted_text: false },
  file_upload: { continue_on_empty: false },
};
/** YAML-only fields replaced by their resolved form in the response. */
const YAML_ONLY_FIELDS = [
  'parameter_keys', 'loop_over_parameter_key', 'smtp_host_secret_parameter_key', 'smtp_port_secret_parameter_key',
  'smtp_username_secret_parameter_key', 'smtp_password_secret_parameter_key',
];

export function toResponseBlocks(blocks: BlockYaml[], index: ParameterIndex, ids: ResponseIds): ResponseBlock[] {
  return blocks.map((block) => toResponseBlock(block, index, ids));
}

function toResponseBlock(block: BlockYaml, index: ParameterIndex, ids: ResponseIds): ResponseBlock {
  const output = index.outputs.get(block.label);
  if (!output) throw new Error(`No output parameter for block '${block.label}'`);
  const fields: Record<string, unknown> = {
    ...(TASK_LIKE.has(block.block_type) ? TASK_RESPONSE_DEFAULTS : {}),
    disable_cache: false,
    ...EXTRA_DEFAULTS[block.block_type],
    ...block,
  };
  for (const field of YAML_ONLY_FIELDS) delete fields[field];
  if (WITH_PARAMETERS.has(block.block_type)) {
    const keys = 'parameter_keys' in block && Array.isArray(block.parameter_keys) ? block.parameter_keys : [];
    fields.parameters = keys.map((key) => index.byKey.get(key)).filter((p): p is ResponseParameter => p !== undefined);
  }

  switch (block.block_type) {
    case 'for_loop':
      fields.loop_over = block.loop_over_parameter_key ? (index.byKey.get(block.loop_over_parameter_key) ?? null) : null;
      fields.loop_blocks = toResponseBlocks(block.loop_blocks, index, ids);
      break;
    case 'while_loop':
      fields.loop_blocks = toResponseBlocks(block.loop_blocks, index, ids);
      break;
    case 'conditional':
      fields.branch_conditions = (block.branch_conditions ?? []).map((branch) => ({
        id: ids.uuid ? ids.uuid() : ids.newId('branch'),
        ...branch,
      }));
      break;
    case 'send_email': {
      const smtp = (key: string | null | undefined, fallback: keyof ReturnType<ParameterIndex['defaultSmtp']>) =>
        (key ? (index.byKey.get(key) as AwsSecretParameter | undefined) : undefined) ?? index.defaultSmtp()[fallback];
      fields.smtp_host = smtp(block.smtp_host_secret_parameter_key, 'smtp_host');
      fields.smtp_port = smtp(block.smtp_port_secret_parameter_key, 'smtp_port');
      fields.smtp_username = smtp(block.smtp_username_secret_parameter_key, 'smtp_username');
      fields.smtp_password = smtp(block.smtp_password_secret_parameter_key, 'smtp_password');
      fields.file_attachments = block.file_attachments ?? [];
      break;
    }
  }

  // Lead with the fields every block has, in the order Skyvern's models list them.
  const { label, block_type, next_block_label = null, ...rest } = fields as { label: string; block_type: string; next_block_label?: string | null };
  return { label, next_block_label, block_type, output_parameter: output, ...rest };
}
