import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { workflowRunBlocks } from '../schema.ts';

export type WorkflowRunBlockRow = typeof workflowRunBlocks.$inferSelect;
export type NewWorkflowRunBlock = typeof workflowRunBlocks.$inferInsert;
export type WorkflowRunBlockPatch = Partial<Omit<NewWorkflowRunBlock, 'workflowRunBlockId' | 'runId' | 'organizationId' | 'createdAt'>>;

export function workflowRunBlocksRepo(db: Db) {
  return {
    async insert(row: NewWorkflowRunBlock): Promise<void> {
      await db.insert(workflowRunBlocks).values(row);
    },

    async update(blockRunId: string, patch: WorkflowRunBlockPatch): Promise<void> {
      await db.update(workflowRunBlocks).set({ ...patch, modifiedAt: new Date() }).where(eq(workflowRunBlocks.workflowRunBlockId, blockRunId));
    },

    /** Ends every execution of a run still marked running (the run stopped under it). */
    async finishOpen(runId: string, status: string, failureReason: string | null): Promise<void> {
      const now = new Date();
      await db.update(workflowRunBlocks).set({ status, failureReason, modifiedAt: now, finishedAt: now })
        .where(and(eq(workflowRunBlocks.runId, runId), eq(workflowRunBlocks.status, 'running')));
    },

    /** A restarted run executes from the top again; what the abandoned attempt left would only confuse the timeline. */
    async deleteForRun(runId: string): Promise<void> {
      await db.delete(workflowRunBlocks).where(eq(workflowRunBlocks.runId, runId));
    },

    async listForRun(organizationId: string, runId: string): Promise<WorkflowRunBlockRow[]> {
      return db.select().from(workflowRunBlocks)
        .where(and(eq(workflowRunBlocks.organizationId, organizationId), eq(workflowRunBlocks.runId, runId)))
        .orderBy(asc(workflowRunBlocks.createdAt), asc(workflowRunBlocks.workflowRunBlockId));
    },
  };
}
export type WorkflowRunBlocksRepo = ReturnType<typeof workflowRunBlocksRepo>;
