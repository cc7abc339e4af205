// `GET /v1/runs/{run_id}/timeline`: what a workflow run did, block by block, with the agent's actions.
import { BadRequestError, NotFoundError } from '../domain/errors.ts';
import type { ServiceDeps } from './deps.ts';
import { presentTimeline } from './presenters/workflow-timeline.presenter.ts';

export function workflowTimelineService(deps: Pick<ServiceDeps, 'repos'>) {
  const { runs, steps, workflowRunBlocks } = deps.repos;
  return {
    async timeline(organizationId: string, runId: string) {
      const run = await runs.get(organizationId, runId);
      if (!run) throw new NotFoundError(`Run not found ${runId}`);
      if (run.runType === 'workflow_run') {
        const [blocks, runSteps] = await Promise.all([workflowRunBlocks.listForRun(organizationId, runId), steps.listForRun(runId)]);
        return presentTimeline(blocks, runSteps);
      }
      if (run.runType === 'task_v2') {
        // A skyvern-2.0 task has no block rows here: it shows as one task_v2 block holding every step.
        const runSteps = await steps.listForRun(runId);
        const block = {
          workflowRunBlockId: `wrb_${runId.slice(runId.lastIndexOf('_') + 1)}`, runId, organizationId, parentBlockRunId: null,
          blockType: 'task_v2', label: run.title ?? 'task_v2', status: run.status, output: run.output, continueOnFailure: false,
          failureReason: run.failureReason, taskId: runId, loopValues: null, currentValue: null, currentIndex: null,
          details: { prompt: (run.request as { prompt?: string }).prompt ?? null },
          createdAt: run.createdAt, modifiedAt: run.modifiedAt, finishedAt: run.finishedAt,
        };
        return presentTimeline([block], runSteps.map((s) => ({ ...s, blockRunId: block.workflowRunBlockId })));
      }
      throw new BadRequestError(`Timeline not available for run type ${run.runType}`);
    },
  };
}
export type WorkflowTimelineService = ReturnType<typeof workflowTimelineService>;
