// Workflow schedules: Postgres is the truth; the BullMQ job schedulers in Redis are only the
// clock and are rebuilt from these rows (on every change and at worker start).
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { organizations } from '../schema.ts';

const ts = (name: string) => timestamp(name, { precision: 6, mode: 'date' });

export const workflowSchedules = pgTable('workflow_schedules', {
  workflowScheduleId: text('workflow_schedule_id').primaryKey(),
  organizationId: text('organization_id').notNull().references(() => organizations.organizationId),
  workflowPermanentId: text('workflow_permanent_id').notNull(),
  cronExpression: text('cron_expression').notNull(),
  /** IANA name; fire times are computed in it. */
  timezone: text('timezone').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  /** Run parameters (keys given as null are dropped so the workflow's defaults apply). */
  parameters: jsonb('parameters').$type<Record<string, unknown>>(),
  name: text('name'),
  description: text('description'),
  /**
   * Slots before this instant never fire: set on create, on enable and when the cron or timezone
   * changes, so re-enabling a paused schedule does not replay the slots it skipped while paused.
   */
  fireFrom: ts('fire_from').notNull().defaultNow(),
  /** Latest slot a run was started for; the catch-up on worker start compares the latest due slot with it. */
  lastFiredSlotAt: ts('last_fired_slot_at'),
  lastRunId: text('last_run_id'),
  createdAt: ts('created_at').notNull().defaultNow(),
  modifiedAt: ts('modified_at').notNull().defaultNow(),
  /** Soft delete, as Skyvern: the row stays so runs keep pointing at their schedule. */
  deletedAt: ts('deleted_at'),
}, (t) => [
  index('workflow_schedules_org_wpid_idx').on(t.organizationId, t.workflowPermanentId, t.createdAt).where(sql`deleted_at is null`),
  index('workflow_schedules_org_created_idx').on(t.organizationId, t.createdAt).where(sql`deleted_at is null`),
  index('workflow_schedules_enabled_idx').on(t.workflowScheduleId).where(sql`enabled and deleted_at is null`),
]);
