import { and, asc, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { workflowBrowserStates, workflows } from '../schema.ts';

export type WorkflowRow = typeof workflows.$inferSelect;
export type NewWorkflow = typeof workflows.$inferInsert;

export interface WorkflowListQuery {
  organizationId: string;
  page: number;
  pageSize: number;
  /** Substring of the title, description or wpid (case-insensitive). */
  searchKey?: string;
  /** Deprecated `title` filter: title only. */
  title?: string;
  statuses?: string[];
  onlySavedTasks?: boolean;
  onlyWorkflows?: boolean;
  onlyTemplates?: boolean;
  folderId?: string;
}

const escapeLike = (text: string) => `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;

export function workflowsRepo(db: Db) {
  const live = (organizationId: string, wpid: string) =>
    and(eq(workflows.organizationId, organizationId), eq(workflows.workflowPermanentId, wpid), isNull(workflows.deletedAt));

  return {
    /** Inserts a version; undefined when (wpid, version) already exists (a concurrent save or idempotent create). */
    async insertVersion(row: NewWorkflow): Promise<WorkflowRow | undefined> {
      const [created] = await db.insert(workflows).values(row).onConflictDoNothing().returning();
      return created;
    },

    async latest(organizationId: string, wpid: string): Promise<WorkflowRow | undefined> {
      return db.query.workflows.findFirst({ where: live(organizationId, wpid), orderBy: desc(workflows.version) });
    },

    async version(organizationId: string, wpid: string, version: number): Promise<WorkflowRow | undefined> {
      return db.query.workflows.findFirst({ where: and(live(organizationId, wpid), eq(workflows.version, version)) });
    },

    /** Version 1 even when deleted: an idempotent create repeats its first answer. */
    async firstVersionAnyState(organizationId: string, wpid: string): Promise<WorkflowRow | undefined> {
      return db.query.workflows.findFirst({ where: and(eq(workflows.organizationId, organizationId), eq(workflows.workflowPermanentId, wpid), eq(workflows.version, 1)) });
    },

    async versions(organizationId: string, wpid: string): Promise<WorkflowRow[]> {
      return db.select().from(workflows).where(live(organizationId, wpid)).orderBy(asc(workflows.version));
    },

    /** A version by its `w_…` id, deleted or not (runs keep pointing at the version they executed). */
    async byId(workflowId: string): Promise<WorkflowRow | undefined> {
      return db.query.workflows.findFirst({ where: eq(workflows.workflowId, workflowId) });
    },

    async byIds(workflowIds: string[]): Promise<WorkflowRow[]> {
      if (workflowIds.length === 0) return [];
      return db.select().from(workflows).where(inArray(workflows.workflowId, workflowIds));
    },

    /** Latest live version of each workflow, newest workflow first, filtered on that version. */
    async listLatest(q: WorkflowListQuery): Promise<WorkflowRow[]> {
      const latest = db.selectDistinctOn([workflows.workflowPermanentId]).from(workflows)
        .where(and(eq(workflows.organizationId, q.organizationId), isNull(workflows.deletedAt)))
        .orderBy(workflows.workflowPermanentId, desc(workflows.version))
        .as('latest');
      const where: SQL[] = [];
      if (q.searchKey) {
        const like = escapeLike(q.searchKey);
        where.push(or(ilike(latest.title, like), ilike(latest.workflowPermanentId, like), sql`${latest.request}->>'description' ilike ${like}`)!);
      } else if (q.title) where.push(ilike(latest.title, escapeLike(q.title)));
      if (q.statuses?.length) where.push(inArray(latest.status, q.statuses));
      if (q.onlySavedTasks) where.push(eq(latest.isSavedTask, true));
      if (q.onlyWorkflows) where.push(eq(latest.isSavedTask, false));
      if (q.onlyTemplates) where.push(eq(latest.isTemplate, true));
      if (q.folderId) where.push(eq(latest.folderId, q.folderId));
      const rows = await db.select().from(latest).where(where.length ? and(...where) : undefined)
        .orderBy(desc(latest.createdAt)).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
      return rows as WorkflowRow[];
    },

    /** Soft-deletes every version; false when the workflow has none left. */
    async softDelete(organizationId: string, wpid: string): Promise<boolean> {
      const rows = await db.update(workflows).set({ deletedAt: new Date(), modifiedAt: new Date() })
        .where(live(organizationId, wpid)).returning({ id: workflows.workflowId });
      return rows.length > 0;
    },

    async browserState(organizationId: string, wpid: string): Promise<unknown> {
      const row = await db.query.workflowBrowserStates.findFirst({
        where: and(eq(workflowBrowserStates.organizationId, organizationId), eq(workflowBrowserStates.workflowPermanentId, wpid)),
      });
      return row?.storageState;
    },

    async saveBrowserState(organizationId: string, wpid: string, storageState: unknown, runId: string): Promise<void> {
      await db.insert(workflowBrowserStates).values({ organizationId, workflowPermanentId: wpid, storageState, runId })
        .onConflictDoUpdate({
          target: [workflowBrowserStates.organizationId, workflowBrowserStates.workflowPermanentId],
          set: { storageState, runId, modifiedAt: new Date() },
        });
    },

    /** The workflow's saved browser state when `runId` is the run that saved it (a later run replaces it). */
    async browserStateSavedBy(organizationId: string, runId: string): Promise<{ storageState: unknown; workflowPermanentId: string } | undefined> {
      const row = await db.query.workflowBrowserStates.findFirst({
        where: and(eq(workflowBrowserStates.organizationId, organizationId), eq(workflowBrowserStates.runId, runId)),
      });
      return row ? { storageState: row.storageState, workflowPermanentId: row.workflowPermanentId } : undefined;
    },

    async clearBrowserState(organizationId: string, wpid: string): Promise<void> {
      await db.delete(workflowBrowserStates)
        .where(and(eq(workflowBrowserStates.organizationId, organizationId), eq(workflowBrowserStates.workflowPermanentId, wpid)));
    },
  };
}
export type WorkflowsRepo = ReturnType<typeof workflowsRepo>;
