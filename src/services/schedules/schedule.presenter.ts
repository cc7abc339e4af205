import type { OrganizationScheduleItem, WorkflowSchedule, WorkflowScheduleResponse } from '../../contracts/schedules.ts';
import type { ScheduleRow, ScheduleWithTitle } from '../../db/repositories/schedules.repo.ts';
import { nextFireTimes } from '../../domain/schedules/index.ts';
import { toWireTime, toWireTimeRequired } from '../../domain/time.ts';
import { schedulerIdOf } from '../../queue/schedule-queue.ts';

const NEXT_RUNS = 5;

export function presentSchedule(row: ScheduleRow): WorkflowSchedule {
  return {
    workflow_schedule_id: row.workflowScheduleId,
    organization_id: row.organizationId,
    workflow_permanent_id: row.workflowPermanentId,
    cron_expression: row.cronExpression,
    timezone: row.timezone,
    enabled: row.enabled,
    parameters: row.parameters ?? null,
    temporal_schedule_id: schedulerIdOf(row.workflowScheduleId),
    name: row.name,
    description: row.description,
    created_at: toWireTimeRequired(row.createdAt),
    modified_at: toWireTimeRequired(row.modifiedAt),
    deleted_at: toWireTime(row.deletedAt),
  };
}

/** `next_runs`: the next five fire times, computed in the schedule's timezone, sent as UTC. */
export function presentScheduleResponse(row: ScheduleRow, now = new Date()): WorkflowScheduleResponse {
  return {
    schedule: presentSchedule(row),
    next_runs: nextFireTimes(row.cronExpression, row.timezone, now, NEXT_RUNS).map(toWireTimeRequired),
  };
}

/** The org-wide list item; `next_run` is null while the schedule is paused (nothing will fire). */
export function presentOrganizationScheduleItem(row: ScheduleWithTitle, now = new Date()): OrganizationScheduleItem {
  return {
    workflow_schedule_id: row.workflowScheduleId,
    organization_id: row.organizationId,
    workflow_permanent_id: row.workflowPermanentId,
    // The SDK's model requires a string; a schedule whose workflow was deleted still lists.
    workflow_title: row.workflowTitle ?? '',
    cron_expression: row.cronExpression,
    timezone: row.timezone,
    enabled: row.enabled,
    parameters: row.parameters ?? null,
    name: row.name,
    description: row.description,
    next_run: row.enabled ? toWireTimeRequired(nextFireTimes(row.cronExpression, row.timezone, now, 1)[0]) : null,
    created_at: toWireTimeRequired(row.createdAt),
    modified_at: toWireTimeRequired(row.modifiedAt),
  };
}
