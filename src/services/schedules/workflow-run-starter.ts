import type { WorkflowRunsService } from '../workflow-runs.service.ts';
import type { ScheduledRunStarter } from './schedule-firing.ts';

/**
 * A scheduled fire is an ordinary workflow run of the schedule's workflow with the schedule's
 * parameters, under the slot's deterministic run ID, marked `trigger_type: scheduled` and
 * pointing back at its schedule.
 */
export function workflowRunStarter(workflowRuns: Pick<WorkflowRunsService, 'start'>): ScheduledRunStarter {
  return {
    start: (organizationId, wpid, parameters, { runId, scheduleId }) =>
      workflowRuns.start(organizationId, { workflow_id: wpid, parameters }, { runId, scheduleId, triggerType: 'scheduled' }),
  };
}
