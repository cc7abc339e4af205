import { and, desc, eq, gt, gte, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { runs, totpCodes, workflowRunBlocks, workflows } from '../schema.ts';

export type TotpCodeRow = typeof totpCodes.$inferSelect;
export type NewTotpCode = typeof totpCodes.$inferInsert;

export interface TotpCodeListQuery { organizationId: string; totpIdentifier?: string; workflowRunId?: string; otpType?: string; limit: number }

/** Which run is asking for a code: codes scoped to something else are not its to take. */
export interface TotpClaim {
  organizationId: string;
  totpIdentifier: string;
  /** Only codes created at or after this (the run's start, and within the codes' lifespan). */
  since: Date;
  runId: string;
  taskIds: string[];
  workflowRunId: string | null;
  /** `w_…` and `wpid_…` of the workflow the run executes. */
  workflowIds: string[];
}

type ScopeColumn = typeof totpCodes.taskId | typeof totpCodes.workflowRunId | typeof totpCodes.workflowId;
const scopedTo = (column: ScopeColumn, ids: (string | null)[]): SQL => {
  const known = ids.filter((id): id is string => !!id);
  return known.length ? or(isNull(column), inArray(column, known))! : isNull(column);
};

export function totpCodesRepo(db: Db) {
  return {
    async insert(row: NewTotpCode): Promise<TotpCodeRow> {
      const [created] = await db.insert(totpCodes).values(row).returning();
      return created;
    },

    /** Newest first. */
    async list(q: TotpCodeListQuery): Promise<TotpCodeRow[]> {
      const where: SQL[] = [eq(totpCodes.organizationId, q.organizationId)];
      if (q.totpIdentifier) where.push(eq(totpCodes.totpIdentifier, q.totpIdentifier));
      if (q.workflowRunId) where.push(eq(totpCodes.workflowRunId, q.workflowRunId));
      if (q.otpType) where.push(eq(totpCodes.otpType, q.otpType));
      return db.select().from(totpCodes).where(and(...where)).orderBy(desc(totpCodes.createdAt), desc(totpCodes.totpCodeId)).limit(q.limit);
    },

    /**
     * Takes the newest unused code meant for this run (unscoped, or scoped to its task, workflow run
     * or workflow) and marks it used, atomically: two runs waiting on one identifier never share a code.
     */
    async claim(c: TotpClaim, now = new Date()): Promise<TotpCodeRow | undefined> {
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(totpCodes).where(and(
          eq(totpCodes.organizationId, c.organizationId), eq(totpCodes.totpIdentifier, c.totpIdentifier),
          isNull(totpCodes.usedAt), ne(totpCodes.code, ''), gte(totpCodes.createdAt, c.since),
          or(isNull(totpCodes.expiredAt), gt(totpCodes.expiredAt, now)),
          scopedTo(totpCodes.taskId, c.taskIds), scopedTo(totpCodes.workflowRunId, [c.workflowRunId]), scopedTo(totpCodes.workflowId, c.workflowIds),
        )).orderBy(desc(totpCodes.createdAt), desc(totpCodes.totpCodeId)).limit(1).for('update', { skipLocked: true });
        if (!row) return undefined;
        const [used] = await tx.update(totpCodes).set({ usedAt: now, usedByRunId: c.runId, modifiedAt: now })
          .where(eq(totpCodes.totpCodeId, row.totpCodeId)).returning();
        return used;
      });
    },

    /** Whether an ID a pushed code names exists in the organization (400 otherwise). */
    async referenceExists(organizationId: string, kind: 'task' | 'workflow' | 'workflow_run', id: string): Promise<boolean> {
      const found = (rows: unknown[]) => rows.length > 0;
      if (kind === 'workflow_run') {
        return found(await db.select({ id: runs.runId }).from(runs)
          .where(and(eq(runs.runId, id), eq(runs.organizationId, organizationId), eq(runs.runType, 'workflow_run'))).limit(1));
      }
      if (kind === 'workflow') {
        return found(await db.select({ id: workflows.workflowId }).from(workflows)
          .where(and(eq(workflows.organizationId, organizationId), or(eq(workflows.workflowId, id), eq(workflows.workflowPermanentId, id)))).limit(1));
      }
      // A task is a task run, or the task a workflow's task-like block ran as.
      const [asRun, asBlock] = await Promise.all([
        db.select({ id: runs.runId }).from(runs).where(and(eq(runs.runId, id), eq(runs.organizationId, organizationId), sql`${runs.runType} <> 'workflow_run'`)).limit(1),
        db.select({ id: workflowRunBlocks.taskId }).from(workflowRunBlocks).where(and(eq(workflowRunBlocks.taskId, id), eq(workflowRunBlocks.organizationId, organizationId))).limit(1),
      ]);
      return found(asRun) || found(asBlock);
    },
  };
}
export type TotpCodesRepo = ReturnType<typeof totpCodesRepo>;
