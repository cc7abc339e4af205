// Block executions (+ their agent steps) → the contract's `WorkflowRunTimeline` tree.
import type { StepRow } from '../../db/repositories/steps.repo.ts';
import type { WorkflowRunBlockRow } from '../../db/repositories/workflow-run-blocks.repo.ts';
import { toWireTimeRequired } from '../../domain/time.ts';
import { wireOutput } from './run.presenter.ts';

const ACTION_TYPES = new Set([
  'click', 'input_text', 'paste_text', 'upload_file', 'download_file', 'select_option', 'checkbox', 'wait', 'hover', 'null_action',
  'solve_captcha', 'terminate', 'complete', 'reload_page', 'close_page', 'new_tab', 'switch_tab', 'extract', 'verification_code',
  'goto_url', 'go_back', 'go_forward', 'scroll', 'keypress', 'move', 'drag', 'left_mouse', 'execute_js',
]);

type Json = Record<string, unknown>;
const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

/** The agent records each step's `actions_and_results` as `[action, [result]]` pairs (Skyvern's shape). */
export function actionsOfStep(step: StepRow, taskId: string | null): Json[] {
  const pairs = (step.output as { actions_and_results?: unknown } | null)?.actions_and_results;
  if (!Array.isArray(pairs)) return [];
  return pairs.flatMap((pair, index) => {
    const [action, results] = Array.isArray(pair) ? pair : [pair, []];
    if (!action || typeof action !== 'object') return [];
    const a = action as Json;
    const result = (Array.isArray(results) ? results[0] : undefined) as Json | undefined;
    const actionType = typeof a.action_type === 'string' && ACTION_TYPES.has(a.action_type) ? a.action_type : 'null_action';
    return [{
      action_type: actionType,
      status: result?.skipped ? 'skipped' : result?.success === false ? 'failed' : 'completed',
      action_id: null, organization_id: step.organizationId, task_id: taskId, step_id: step.stepId, step_order: step.order,
      action_order: index, reasoning: text(a.reasoning), intention: text(a.intention ?? a.reasoning), element_id: text(a.element_id ?? a.id),
      text: text(a.text), file_url: text(a.file_url), response: text(result?.exception_message ?? a.response),
      created_at: toWireTimeRequired(step.createdAt), modified_at: toWireTimeRequired(step.modifiedAt),
    }];
  });
}

export function presentTimelineBlock(row: WorkflowRunBlockRow, steps: StepRow[]): Json {
  const details = (row.details ?? {}) as Json;
  const duration = row.finishedAt ? (row.finishedAt.getTime() - row.createdAt.getTime()) / 1000 : null;
  return {
    ...details,
    workflow_run_block_id: row.workflowRunBlockId,
    block_workflow_run_id: null,
    workflow_run_id: row.runId,
    organization_id: row.organizationId,
    description: (details.description as string | undefined) ?? null,
    parent_workflow_run_block_id: row.parentBlockRunId,
    block_type: row.blockType,
    label: row.label,
    status: row.status,
    output: wireOutput(row.output),
    continue_on_failure: row.continueOnFailure,
    failure_reason: row.failureReason,
    error_codes: (details.error_codes as string[] | undefined) ?? [],
    task_id: row.taskId,
    actions: steps.flatMap((s) => actionsOfStep(s, row.taskId)),
    loop_values: (row.loopValues as unknown[] | null) ?? null,
    current_value: row.currentValue,
    current_index: row.currentIndex,
    duration,
    created_at: toWireTimeRequired(row.createdAt),
    modified_at: toWireTimeRequired(row.modifiedAt),
  };
}

type TimelineEntry = { type: 'block'; block: Json; thought: null; children: TimelineEntry[]; created_at: string; modified_at: string };
type TimelineItem = Omit<TimelineEntry, 'children'> & { children: TimelineItem[]; sortKey: number };

/**
 * Newest first at every level (Skyvern's order); loop iterations and branch targets sit under the
 * block that ran them; a block whose parent is missing surfaces at the top.
 */
export function presentTimeline(rows: WorkflowRunBlockRow[], steps: StepRow[]) {
  const stepsByBlock = new Map<string, StepRow[]>();
  for (const step of steps) {
    if (!step.blockRunId) continue;
    const list = stepsByBlock.get(step.blockRunId) ?? [];
    list.push(step);
    stepsByBlock.set(step.blockRunId, list);
  }
  const items = new Map<string, TimelineItem>();
  for (const [index, row] of rows.entries()) {
    const block = presentTimelineBlock(row, stepsByBlock.get(row.workflowRunBlockId) ?? []);
    items.set(row.workflowRunBlockId, {
      type: 'block', block, thought: null, children: [], created_at: block.created_at as string, modified_at: block.modified_at as string, sortKey: index,
    });
  }
  const roots: TimelineItem[] = [];
  for (const row of rows) {
    const item = items.get(row.workflowRunBlockId)!;
    const parent = row.parentBlockRunId ? items.get(row.parentBlockRunId) : undefined;
    (parent ? parent.children : roots).push(item);
  }
  const finish = (list: TimelineItem[]): TimelineEntry[] =>
    list.sort((a, b) => b.sortKey - a.sortKey).map(({ sortKey: _s, children, ...rest }) => ({ ...rest, children: finish(children) }));
  return finish(roots);
}
