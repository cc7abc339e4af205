// skyvern-2.0 records what it did as a reusable workflow: the start page, then one block per
// mini-goal that worked (navigate → navigation block, extract → extraction block), then the final
// structured extraction when the task had a schema. Failed mini-goals are left out: replaying a
// detour the planner abandoned would only repeat it.
import type { PlanRecord } from '../agent/prompts/plan-prompt.ts';

export interface TaskPlan {
  prompt: string;
  url: string | null;
  goals: PlanRecord[];
  dataExtractionSchema: unknown;
  errorCodeMapping: Record<string, string> | null;
}

const TITLE_LIMIT = 80;

function titleOf(prompt: string): string {
  const line = prompt.trim().split('\n')[0]!.trim();
  return line.length <= TITLE_LIMIT ? line : `${line.slice(0, TITLE_LIMIT - 1)}…`;
}

const hasSchema = (schema: unknown) => schema !== null && schema !== undefined && !(typeof schema === 'object' && Object.keys(schema).length === 0);

/** The workflow create request (JSON form) for a finished plan; `publish` = published, else auto_generated. */
export function planAsWorkflow(plan: TaskPlan, opts: { publish: boolean }): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [];
  if (plan.url) blocks.push({ block_type: 'goto_url', label: 'open_start_page', url: plan.url });
  let n = 0;
  for (const goal of plan.goals) {
    if (goal.status !== 'completed') continue;
    n++;
    if (goal.kind === 'extract') {
      blocks.push({ block_type: 'extraction', label: `mini_goal_${n}`, data_extraction_goal: goal.goal });
    } else {
      blocks.push({
        block_type: 'navigation', label: `mini_goal_${n}`, navigation_goal: goal.goal,
        ...(plan.errorCodeMapping ? { error_code_mapping: plan.errorCodeMapping } : {}),
      });
    }
  }
  if (hasSchema(plan.dataExtractionSchema)) {
    blocks.push({ block_type: 'extraction', label: 'final_output', data_extraction_goal: plan.prompt, data_schema: plan.dataExtractionSchema });
  }
  return {
    title: titleOf(plan.prompt) || 'Task',
    description: plan.prompt,
    status: opts.publish ? 'published' : 'auto_generated',
    workflow_definition: { parameters: [], blocks },
  };
}
