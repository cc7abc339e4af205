// Wire shapes of workflow schedules, named like Skyvern's OpenAPI components.
import { Type, type Static } from 'typebox';
import { AnyObject, Nullable } from './common.ts';

export const WorkflowScheduleUpsertRequest = Type.Object({
  cron_expression: Type.String(),
  timezone: Type.String(),
  /** Omitted or null on update: the enable state stays as it is. */
  enabled: Type.Optional(Nullable(Type.Boolean())),
  parameters: Type.Optional(Nullable(AnyObject)),
  name: Type.Optional(Nullable(Type.String())),
  description: Type.Optional(Nullable(Type.String())),
}, { title: 'WorkflowScheduleUpsertRequest' });
export type WorkflowScheduleUpsertRequest = Static<typeof WorkflowScheduleUpsertRequest>;

export const WorkflowSchedule = Type.Object({
  workflow_schedule_id: Type.String(),
  organization_id: Type.String(),
  workflow_permanent_id: Type.String(),
  cron_expression: Type.String(),
  timezone: Type.String(),
  enabled: Type.Boolean(),
  parameters: Nullable(AnyObject),
  /** The clock's id (Skyvern serialises its backend schedule id under this legacy name). */
  temporal_schedule_id: Nullable(Type.String()),
  name: Nullable(Type.String()),
  description: Nullable(Type.String()),
  created_at: Type.String({ format: 'date-time' }),
  modified_at: Type.String({ format: 'date-time' }),
  deleted_at: Nullable(Type.String({ format: 'date-time' })),
}, { title: 'WorkflowSchedule' });
export type WorkflowSchedule = Static<typeof WorkflowSchedule>;

export const WorkflowScheduleResponse = Type.Object({
  schedule: WorkflowSchedule,
  /** The next five fire times, computed in the schedule's timezone and sent in UTC. */
  next_runs: Type.Array(Type.String({ format: 'date-time' })),
}, { title: 'WorkflowScheduleResponse' });
export type WorkflowScheduleResponse = Static<typeof WorkflowScheduleResponse>;

export const WorkflowScheduleListResponse = Type.Object({
  schedules: Type.Array(WorkflowSchedule),
}, { title: 'WorkflowScheduleListResponse' });

export const OrganizationScheduleItem = Type.Object({
  workflow_schedule_id: Type.String(),
  organization_id: Type.String(),
  workflow_permanent_id: Type.String(),
  workflow_title: Type.String(),
  cron_expression: Type.String(),
  timezone: Type.String(),
  enabled: Type.Boolean(),
  parameters: Nullable(AnyObject),
  name: Nullable(Type.String()),
  description: Nullable(Type.String()),
  next_run: Nullable(Type.String({ format: 'date-time' })),
  created_at: Type.String({ format: 'date-time' }),
  modified_at: Type.String({ format: 'date-time' }),
}, { title: 'OrganizationScheduleItem' });
export type OrganizationScheduleItem = Static<typeof OrganizationScheduleItem>;

export const OrganizationScheduleListResponse = Type.Object({
  schedules: Type.Array(OrganizationScheduleItem),
  total_count: Type.Integer(),
  page: Type.Integer(),
  page_size: Type.Integer(),
}, { title: 'OrganizationScheduleListResponse' });
export type OrganizationScheduleListResponse = Static<typeof OrganizationScheduleListResponse>;

export const DeleteScheduleResponse = Type.Object({ ok: Type.Boolean() }, { title: 'DeleteScheduleResponse' });

export const OrganizationScheduleListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
  status: Type.Optional(Nullable(Type.Enum(['active', 'paused']))),
  search: Type.Optional(Nullable(Type.String())),
});
export type OrganizationScheduleListQuery = Static<typeof OrganizationScheduleListQuery>;

export const WorkflowScheduleParams = Type.Object({ workflow_permanent_id: Type.String() });
export const WorkflowScheduleIdParams = Type.Object({ workflow_permanent_id: Type.String(), workflow_schedule_id: Type.String() });
