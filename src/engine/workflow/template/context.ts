// The variables a workflow block's templates can read (Skyvern's workflow run context, §3.6 of
// the API notes): parameter values by key, finished blocks' outputs as `<label>_output` and as a
// `<label>` reference object, loop variables, and run builtins.

export type TemplateContextInput = {
  /** Parameter values by key (workflow, context and secret parameters — secrets as placeholders). */
  parameters?: Record<string, unknown>;
  /** Outputs of finished blocks by label. */
  blockOutputs?: Record<string, unknown>;
  workflow?: {
    workflow_title?: string | null;
    workflow_id?: string | null;
    workflow_permanent_id?: string | null;
    workflow_run_id?: string | null;
    browser_session_id?: string | null;
  };
  /** Set inside loops; `label` also exposes `{{ <loop_label>.current_value }}`. */
  loop?: { label?: string; current_value: unknown; current_index: number };
  /** The run's download directory (`SKYVERN_DOWNLOAD_DIRECTORY`). */
  downloadDirectory?: string | null;
  /** Clock for `current_date` (UTC, YYYY-MM-DD). */
  now?: Date;
  /** Anything else the caller wants visible (wins over everything above). */
  extra?: Record<string, unknown>;
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The `{{ label }}` view of a block output: the output's own fields plus `output`, which is the
 * extracted data when the output has `extracted_information` (task blocks) and the whole output
 * otherwise — so `{{ label.output.field }}` works for every block type. (Skyvern adds `output`
 * only for outputs with `extracted_information`; exposing it always is a superset.)
 */
export function blockReference(output: unknown): Record<string, unknown> {
  if (isPlainObject(output)) {
    const extracted = output.extracted_information;
    return { ...output, output: extracted !== undefined && extracted !== null ? extracted : output };
  }
  return { output };
}

export function buildTemplateContext(input: TemplateContextInput): Record<string, unknown> {
  const context: Record<string, unknown> = {};
  const outputs = input.blockOutputs ?? {};
  for (const [label, output] of Object.entries(outputs)) {
    context[label] = blockReference(output);
    context[`${label}_output`] = output;
  }
  // Declared parameters win over a block label of the same name.
  Object.assign(context, input.parameters ?? {});

  const workflow = input.workflow ?? {};
  for (const [key, value] of Object.entries(workflow)) if (value !== undefined) context[key] = value;
  context.workflow_run_outputs = { ...outputs };
  context.current_date = (input.now ?? new Date()).toISOString().slice(0, 10);
  if (input.downloadDirectory) context.SKYVERN_DOWNLOAD_DIRECTORY = input.downloadDirectory;

  if (input.loop) {
    const { label, current_value, current_index } = input.loop;
    Object.assign(context, { current_value, current_item: current_value, current_index });
    if (label) {
      const existing = isPlainObject(context[label]) ? (context[label] as Record<string, unknown>) : {};
      context[label] = { ...existing, current_value, current_item: current_value, current_index };
    }
  }
  return Object.assign(context, input.extra ?? {});
}
