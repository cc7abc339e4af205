import { and, desc, eq, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { workflowSchedules, workflows } from '../schema.ts';

export type ScheduleRow = typeof workflowSchedules.$inferSelect;
export type NewSchedule = typeof workflowSchedules.$inferInsert;
export type SchedulePatch = Partial<Pick<NewSchedule, 'cronExpression' | 'timezone' | 'enabled' | 'parameters' | 'name' | 'description' | 'fireFrom'>>;
export type ScheduleWithTitle = ScheduleRow & { workflowTitle: string | null };

export interface OrgScheduleQuery { organizationId: string; page: number; pageSize: number; enabled?: boolean; search?: string }

const live = isNull(workflowSchedules.deletedAt);
const escapeLike = (s: string) => `%${s.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
// Title of the newest live version of the schedule's workflow (what the dashboard shows). Outer
// columns are spelled with their table: Drizzle leaves them unqualified, which inside this
// subquery would silently mean the workflow's own columns.
const workflowTitle = sql<string | null>`(select w.title from ${workflows} w
  where w.organization_id = "workflow_schedules"."organization_id" and w.workflow_permanent_id = "workflow_schedules"."workflow_permanent_id"
  and w.deleted_at is null order by w.version desc limit 1)`;

export function schedulesRepo(db: Db) {
  return {
    async insert(row: NewSchedule): Promise<ScheduleRow> {
      const [created] = await db.insert(workflowSchedules).values(row).returning();
      return created;
    },

    /** A live schedule of this organization and workflow. */
    async get(organizationId: string, workflowPermanentId: string, scheduleId: string): Promise<ScheduleRow | undefined> {
      return db.query.workflowSchedules.findFirst({
        where: and(eq(workflowSchedules.workflowScheduleId, scheduleId), eq(workflowSchedules.organizationId, organizationId),
          eq(workflowSchedules.workflowPermanentId, workflowPermanentId), live),
      });
    },

    /** Worker-side read (fire jobs carry only the schedule ID); deleted rows included so the caller can tell. */
    async getById(scheduleId: string): Promise<ScheduleRow | undefined> {
      return db.query.workflowSchedules.findFirst({ where: eq(workflowSchedules.workflowScheduleId, scheduleId) });
    },

    async listForWorkflow(organizationId: string, workflowPermanentId: string): Promise<ScheduleRow[]> {
      return db.select().from(workflowSchedules)
        .where(and(eq(workflowSchedules.organizationId, organizationId), eq(workflowSchedules.workflowPermanentId, workflowPermanentId), live))
        .orderBy(desc(workflowSchedules.createdAt));
    },

    async listForOrganization(q: OrgScheduleQuery): Promise<{ rows: ScheduleWithTitle[]; total: number }> {
      const where: SQL[] = [eq(workflowSchedules.organizationId, q.organizationId), live];
      if (q.enabled !== undefined) where.push(eq(workflowSchedules.enabled, q.enabled));
      if (q.search) {
        const like = escapeLike(q.search);
        where.push(or(sql`${workflowSchedules.name} ilike ${like}`, sql`${workflowTitle} ilike ${like}`)!);
      }
      const [rows, [count]] = await Promise.all([
        db.select({ schedule: workflowSchedules, workflowTitle }).from(workflowSchedules).where(and(...where))
          .orderBy(desc(workflowSchedules.createdAt), desc(workflowSchedules.workflowScheduleId))
          .limit(q.pageSize).offset((q.page - 1) * q.pageSize),
        db.select({ n: sql<number>`count(*)::int` }).from(workflowSchedules).where(and(...where)),
      ]);
      return { rows: rows.map((r) => ({ ...r.schedule, workflowTitle: r.workflowTitle })), total: count?.n ?? 0 };
    },

    async update(scheduleId: string, patch: SchedulePatch): Promise<ScheduleRow | undefined> {
      const [row] = await db.update(workflowSchedules).set({ ...patch, modifiedAt: new Date() })
        .where(and(eq(workflowSchedules.workflowScheduleId, scheduleId), live)).returning();
      return row;
    },

    async softDelete(scheduleId: string): Promise<ScheduleRow | undefined> {
      const now = new Date();
      const [row] = await db.update(workflowSchedules).set({ deletedAt: now, modifiedAt: now })
        .where(and(eq(workflowSchedules.workflowScheduleId, scheduleId), live)).returning();
      return row;
    },

    /** Every schedule that should have a clock (enabled, not deleted), oldest first. */
    async listEnabled(): Promise<ScheduleRow[]> {
      return db.select().from(workflowSchedules).where(and(eq(workflowSchedules.enabled, true), live))
        .orderBy(workflowSchedules.createdAt);
    },

    /** Notes that `slot` fired; never moves the mark backwards (a late duplicate cannot undo a newer fire). */
    async recordFire(scheduleId: string, slot: Date, runId: string): Promise<void> {
      await db.update(workflowSchedules).set({ lastFiredSlotAt: slot, lastRunId: runId })
        .where(and(eq(workflowSchedules.workflowScheduleId, scheduleId),
          or(isNull(workflowSchedules.lastFiredSlotAt), lt(workflowSchedules.lastFiredSlotAt, slot))));
    },
  };
}
export type SchedulesRepo = ReturnType<typeof schedulesRepo>;
