import { and, desc, eq, inArray, lt, or, isNull, sql, type SQL } from 'drizzle-orm';
import { statusesAllowing, type RunStatus } from '../../domain/run-status.ts';
import type { Db } from '../client.ts';
import { runs } from '../schema.ts';

export type RunRow = typeof runs.$inferSelect;
export type NewRun = typeof runs.$inferInsert;
export type RunPatch = Partial<Omit<NewRun, 'runId' | 'organizationId' | 'createdAt' | 'status'>>;

export interface RunListQuery {
  organizationId: string;
  page: number;
  pageSize: number;
  statuses?: string[];
  runTypes?: string[];
  workflowPermanentIds?: string[];
  searchKey?: string;
  topLevelOnly?: boolean;
}

export function runsRepo(db: Db) {
  return {
    async insert(row: NewRun): Promise<RunRow> {
      const [created] = await db.insert(runs).values(row).returning();
      return created;
    },

    async get(organizationId: string, runId: string): Promise<RunRow | undefined> {
      return db.query.runs.findFirst({ where: and(eq(runs.runId, runId), eq(runs.organizationId, organizationId)) });
    },

    /** Worker-side read: jobs carry only the run ID. */
    async getById(runId: string): Promise<RunRow | undefined> {
      return db.query.runs.findFirst({ where: eq(runs.runId, runId) });
    },

    /**
     * Moves a run to `to` only from a status that allows it, so the first terminal write wins.
     * Sets queued_at / started_at once and finished_at on the first terminal write.
     * `from` narrows the statuses the move is allowed from. Returns the updated row, or undefined when the guard refused.
     */
    async transition(runId: string, to: RunStatus, patch: RunPatch = {}, from?: RunStatus[]): Promise<RunRow | undefined> {
      const now = new Date();
      const timeCols: RunPatch = {};
      if (to === 'queued') timeCols.queuedAt = sql`coalesce(${runs.queuedAt}, now())` as unknown as Date;
      if (to === 'running') timeCols.startedAt = sql`coalesce(${runs.startedAt}, now())` as unknown as Date;
      if (['completed', 'failed', 'terminated', 'canceled', 'timed_out'].includes(to)) {
        timeCols.finishedAt = sql`coalesce(${runs.finishedAt}, now())` as unknown as Date;
        timeCols.leaseExpiresAt = null;
      }
      const [row] = await db.update(runs)
        .set({ ...patch, ...timeCols, status: to, modifiedAt: now })
        .where(and(eq(runs.runId, runId), inArray(runs.status, from ?? statusesAllowing(to))))
        .returning();
      return row;
    },

    async update(runId: string, patch: RunPatch): Promise<RunRow | undefined> {
      const [row] = await db.update(runs).set({ ...patch, modifiedAt: new Date() }).where(eq(runs.runId, runId)).returning();
      return row;
    },

    async addUsage(runId: string, usage: { inputTokens: number; outputTokens: number; costUsd: number; steps?: number }) {
      await db.update(runs).set({
        inputTokens: sql`${runs.inputTokens} + ${usage.inputTokens}`,
        outputTokens: sql`${runs.outputTokens} + ${usage.outputTokens}`,
        costUsd: sql`${runs.costUsd} + ${usage.costUsd}`,
        stepCount: sql`${runs.stepCount} + ${usage.steps ?? 0}`,
        modifiedAt: new Date(),
      }).where(eq(runs.runId, runId));
    },

    async renewLease(runId: string, until: Date): Promise<void> {
      await db.update(runs).set({ leaseExpiresAt: until }).where(eq(runs.runId, runId));
    },

    async list(q: RunListQuery): Promise<RunRow[]> {
      const where: SQL[] = [eq(runs.organizationId, q.organizationId)];
      if (q.statuses?.length) where.push(inArray(runs.status, q.statuses));
      if (q.runTypes?.length) where.push(inArray(runs.runType, q.runTypes));
      if (q.workflowPermanentIds?.length) where.push(inArray(runs.workflowPermanentId, q.workflowPermanentIds));
      if (q.topLevelOnly) where.push(isNull(runs.parentRunId));
      if (q.searchKey) {
        const like = `%${q.searchKey.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
        where.push(or(sql`${runs.runId} ilike ${like}`, sql`${runs.title} ilike ${like}`)!);
      }
      return db.select().from(runs).where(and(...where))
        .orderBy(desc(runs.createdAt)).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
    },

    /**
     * Runs Postgres says are owed work: waiting ones older than `waitingBefore`, and running ones
     * whose worker stopped renewing its lease.
     */
    async listOwed(waitingBefore: Date, now: Date, limit = 500): Promise<RunRow[]> {
      return db.select().from(runs).where(or(
        and(inArray(runs.status, ['created', 'queued']), lt(runs.modifiedAt, waitingBefore), isNull(runs.parentRunId)),
        and(eq(runs.status, 'running'), lt(runs.leaseExpiresAt, now), isNull(runs.parentRunId)),
      )).orderBy(runs.createdAt).limit(limit);
    },

    async countRunning(organizationId: string): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(runs)
        .where(and(eq(runs.organizationId, organizationId), eq(runs.status, 'running'), isNull(runs.parentRunId)));
      return row?.n ?? 0;
    },
  };
}
export type RunsRepo = ReturnType<typeof runsRepo>;
