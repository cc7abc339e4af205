// Where a skyvern-2.0 run's plan becomes a workflow: saved as a new workflow of the run's
// organization (published if the request said `publish_workflow`, else `auto_generated`, hidden
// from default listings as in Skyvern) and linked from the run's `workflow_permanent_id`.
import type { RunRow } from '../db/repositories/runs.repo.ts';
import { planAsWorkflow, type TaskPlan } from '../engine/task/plan-workflow.ts';
import { workflowsService } from '../services/workflows.service.ts';
import type { WorkerDeps } from './worker-deps.ts';

export function planSaver(deps: WorkerDeps, run: RunRow): ((plan: TaskPlan) => Promise<void>) | undefined {
  if (run.runType !== 'task_v2') return undefined;
  const publish = (run.request as { publish_workflow?: boolean }).publish_workflow === true;
  return async (plan) => {
    const definition = planAsWorkflow(plan, { publish });
    const blocks = (definition.workflow_definition as { blocks: unknown[] }).blocks;
    if (blocks.length === 0) return;
    // A run restarted after its worker died may have saved its plan already.
    if ((await deps.repos.runs.getById(run.runId))?.workflowPermanentId) return;
    const workflow = await workflowsService(deps).create(run.organizationId, { json_definition: definition });
    await deps.repos.runs.update(run.runId, { workflowPermanentId: workflow.workflowPermanentId });
    deps.logger.info({ run_id: run.runId, workflow_permanent_id: workflow.workflowPermanentId, blocks: blocks.length }, 'plan saved as a workflow');
  };
}
