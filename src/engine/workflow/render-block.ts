// Rendering a block's fields before it runs, and picking the rendered fields the timeline shows.
import type { BlockYaml } from '../../domain/workflow/index.ts';
import { renderDeep, type RenderOptions } from './template/index.ts';

/**
 * Fields never rendered up front: identity and graph edges, nested blocks (rendered when they
 * run, with their own loop variables), and expressions the control blocks evaluate themselves.
 */
const RAW_FIELDS = new Set([
  'block_type', 'label', 'next_block_label', 'parameter_keys', 'loop_blocks', 'branch_conditions', 'condition',
  'loop_variable_reference', 'loop_over_parameter_key', 'continue_on_failure', 'next_loop_on_failure', 'model',
]);

export type Renderer = <T>(value: T) => T;

export function makeRenderer(context: Record<string, unknown>, options: RenderOptions): Renderer {
  return <T>(value: T) => renderDeep(value, context, options);
}

/** The block with every template string outside RAW_FIELDS rendered (throws TemplateError). */
export function renderBlock<B extends BlockYaml>(block: B, render: Renderer): B {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(block)) out[key] = RAW_FIELDS.has(key) ? value : render(value);
  return out as B;
}

const TEXT_DETAILS = [
  'url', 'navigation_goal', 'data_extraction_goal', 'complete_criterion', 'terminate_criterion', 'engine', 'prompt',
  'subject', 'instructions', 'positive_descriptor', 'negative_descriptor',
] as const;

/** What the timeline's `WorkflowRunBlock` shows of a rendered block (types as the contract has them). */
export function timelineDetails(block: BlockYaml): Record<string, unknown> {
  const fields = block as Record<string, unknown>;
  const details: Record<string, unknown> = {};
  for (const key of TEXT_DETAILS) if (typeof fields[key] === 'string') details[key] = fields[key];
  if (block.block_type === 'send_email' && typeof fields.body === 'string') details.body = fields.body;
  const schema = fields.data_schema;
  if (schema !== undefined && schema !== null && (typeof schema === 'object' || typeof schema === 'string')) details.data_schema = schema;
  if (Array.isArray(fields.recipients)) details.recipients = fields.recipients.filter((r) => typeof r === 'string');
  if (Array.isArray(fields.file_attachments)) details.attachments = fields.file_attachments.filter((a) => typeof a === 'string');
  if (typeof fields.include_action_history_in_verification === 'boolean') {
    details.include_action_history_in_verification = fields.include_action_history_in_verification;
  }
  return details;
}
