import { and, desc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { generateId, ID_PREFIX } from '../../domain/ids.ts';
import type { StoredScriptFile } from '../../domain/script-files.ts';
import type { Db } from '../client.ts';
import { runs, scriptRevisions, scripts } from '../schema.ts';

export type { StoredScriptFile } from '../../domain/script-files.ts';
export type ScriptRow = typeof scripts.$inferSelect;
export type ScriptRevisionRow = typeof scriptRevisions.$inferSelect;
/** A revision without its file contents (lists), with how many files it has. */
export type ScriptRevisionMeta = Omit<ScriptRevisionRow, 'files'> & { fileCount: number };
/** Runs that used a script, counted by status. */
export interface ScriptRunStats { total: number; completed: number; latestRunId: string | null }

const liveScript = isNull(scripts.deletedAt);
const liveRevision = isNull(scriptRevisions.deletedAt);
// Every revision column but the files (up to megabytes each), for lists.
const { files: _files, ...revisionMetaColumns } = getTableColumns(scriptRevisions);
const revisionMeta = { ...revisionMetaColumns, fileCount: sql<number>`jsonb_array_length(${scriptRevisions.files})::int` };
const usedScriptId = sql`(${runs.scriptRun}->>'script_id')`;
// The newest live revision of the outer script row. The outer column is spelled with its table:
// Drizzle leaves it unqualified, which inside this subquery would mean the revision's own column.
const latestRevisionId = sql`(select r.script_revision_id from ${scriptRevisions} r where r.script_id = "scripts"."script_id" and r.deleted_at is null
  order by r.version desc limit 1)`;

export function scriptsRepo(db: Db) {
  const getScript = async (organizationId: string, scriptId: string): Promise<ScriptRow | undefined> =>
    db.query.scripts.findFirst({ where: and(eq(scripts.scriptId, scriptId), eq(scripts.organizationId, organizationId), liveScript) });

  const findForWorkflow = async (organizationId: string, workflowPermanentId: string, cacheKeyValue: string): Promise<ScriptRow | undefined> =>
    db.query.scripts.findFirst({
      where: and(eq(scripts.organizationId, organizationId), eq(scripts.workflowPermanentId, workflowPermanentId),
        eq(scripts.cacheKeyValue, cacheKeyValue), liveScript),
    });

  const findForTask = async (organizationId: string, cacheKeyValue: string): Promise<ScriptRow | undefined> =>
    db.query.scripts.findFirst({
      where: and(eq(scripts.organizationId, organizationId), isNull(scripts.workflowPermanentId), eq(scripts.cacheKeyValue, cacheKeyValue), liveScript),
    });

  const latestRevision = async (scriptId: string): Promise<ScriptRevisionRow | undefined> =>
    db.query.scriptRevisions.findFirst({ where: and(eq(scriptRevisions.scriptId, scriptId), liveRevision), orderBy: desc(scriptRevisions.version) });

  return {
    async createScript(row: { organizationId: string; workflowPermanentId?: string | null; cacheKey?: string | null; cacheKeyValue?: string | null }): Promise<ScriptRow> {
      const [created] = await db.insert(scripts).values({
        scriptId: generateId(ID_PREFIX.script), organizationId: row.organizationId,
        workflowPermanentId: row.workflowPermanentId ?? null, cacheKey: row.cacheKey ?? null, cacheKeyValue: row.cacheKeyValue ?? null,
      }).returning();
      return created;
    },

    /** A live script of this organization. */
    getScript,
    findForWorkflow,

    /**
     * The workflow's live script for this cache key value, created when missing. Two callers racing
     * meet at the partial unique index: the loser's insert does nothing and it reads the winner's row.
     */
    async ensureForWorkflow(organizationId: string, workflowPermanentId: string, cacheKey: string, cacheKeyValue: string): Promise<ScriptRow> {
      // A third attempt only happens if the winner's row was deleted between our insert and our read.
      for (let attempt = 0; attempt < 3; attempt++) {
        const [created] = await db.insert(scripts).values({ scriptId: generateId(ID_PREFIX.script), organizationId, workflowPermanentId, cacheKey, cacheKeyValue })
          .onConflictDoNothing({
            target: [scripts.organizationId, scripts.workflowPermanentId, scripts.cacheKeyValue],
            where: sql`deleted_at is null and workflow_permanent_id is not null`,
          })
          .returning();
        if (created) return created;
        const existing = await findForWorkflow(organizationId, workflowPermanentId, cacheKeyValue);
        if (existing) return existing;
      }
      throw new Error(`could not create or find the script of workflow ${workflowPermanentId} for cache key value ${cacheKeyValue}`);
    },

    /** A task run's live script (no workflow) for this cache key value (`task:<hash>`). */
    findForTask,

    /** The task script for this cache key value, created when missing; race-safe like `ensureForWorkflow` (index of 0008). */
    async ensureForTask(organizationId: string, cacheKey: string, cacheKeyValue: string): Promise<ScriptRow> {
      for (let attempt = 0; attempt < 3; attempt++) {
        const [created] = await db.insert(scripts).values({ scriptId: generateId(ID_PREFIX.script), organizationId, workflowPermanentId: null, cacheKey, cacheKeyValue })
          .onConflictDoNothing({
            target: [scripts.organizationId, scripts.cacheKeyValue],
            where: sql`deleted_at is null and workflow_permanent_id is null`,
          })
          .returning();
        if (created) return created;
        const existing = await findForTask(organizationId, cacheKeyValue);
        if (existing) return existing;
      }
      throw new Error(`could not create or find the task script for cache key value ${cacheKeyValue}`);
    },

    /**
     * Adds the next version. The script row is locked for the transaction, so concurrent callers
     * number their versions one after the other; deleted revisions keep their numbers (never reused).
     */
    async addRevision(input: { scriptId: string; organizationId: string; runId: string | null; files: StoredScriptFile[]; blocks: Record<string, unknown> }): Promise<ScriptRevisionRow> {
      return db.transaction(async (tx) => {
        const now = new Date();
        const locked = await tx.update(scripts).set({ modifiedAt: now }).where(eq(scripts.scriptId, input.scriptId)).returning({ scriptId: scripts.scriptId });
        if (locked.length === 0) throw new Error(`script ${input.scriptId} does not exist`);
        const [{ max }] = await tx.select({ max: sql<number>`coalesce(max(${scriptRevisions.version}), 0)::int` }).from(scriptRevisions)
          .where(eq(scriptRevisions.scriptId, input.scriptId));
        const [created] = await tx.insert(scriptRevisions).values({
          scriptRevisionId: generateId(ID_PREFIX.scriptRevision), scriptId: input.scriptId, organizationId: input.organizationId,
          version: max + 1, runId: input.runId, files: input.files, blocks: input.blocks, createdAt: now, modifiedAt: now,
        }).returning();
        return created;
      });
    },

    /** The newest live revision. */
    latestRevision,

    /** A revision by ID, deleted or not (a run keeps naming the revision it executed). */
    async getRevision(scriptRevisionId: string): Promise<ScriptRevisionRow | undefined> {
      return db.query.scriptRevisions.findFirst({ where: eq(scriptRevisions.scriptRevisionId, scriptRevisionId) });
    },

    async revisionByVersion(scriptId: string, version: number): Promise<ScriptRevisionRow | undefined> {
      return db.query.scriptRevisions.findFirst({ where: and(eq(scriptRevisions.scriptId, scriptId), eq(scriptRevisions.version, version), liveRevision) });
    },

    /** Live revisions, newest first. */
    async listRevisions(scriptId: string): Promise<ScriptRevisionRow[]> {
      return db.select().from(scriptRevisions).where(and(eq(scriptRevisions.scriptId, scriptId), liveRevision)).orderBy(desc(scriptRevisions.version));
    },

    /** Live revisions without their files, newest first. */
    async listRevisionMeta(scriptId: string): Promise<ScriptRevisionMeta[]> {
      return db.select(revisionMeta).from(scriptRevisions).where(and(eq(scriptRevisions.scriptId, scriptId), liveRevision)).orderBy(desc(scriptRevisions.version));
    },

    /**
     * A page of the organization's live scripts with their newest revision, newest revision first
     * (Skyvern's order). Scripts without a revision yet are left out: Skyvern has no versionless script.
     */
    async listForOrganization(organizationId: string, page: number, pageSize: number): Promise<Array<{ script: ScriptRow; latest: ScriptRevisionRow | undefined }>> {
      const rows = await db.select({ script: scripts, latest: scriptRevisions }).from(scripts)
        .innerJoin(scriptRevisions, eq(scriptRevisions.scriptRevisionId, latestRevisionId))
        .where(and(eq(scripts.organizationId, organizationId), liveScript))
        .orderBy(desc(scriptRevisions.createdAt), desc(scripts.scriptId))
        .limit(pageSize).offset((page - 1) * pageSize);
      return rows;
    },

    /** The same page without file contents (what `GET /v1/scripts` needs). */
    async listMetaForOrganization(organizationId: string, page: number, pageSize: number): Promise<Array<{ script: ScriptRow; latest: ScriptRevisionMeta }>> {
      return db.select({ script: scripts, latest: revisionMeta }).from(scripts)
        .innerJoin(scriptRevisions, eq(scriptRevisions.scriptRevisionId, latestRevisionId))
        .where(and(eq(scripts.organizationId, organizationId), liveScript))
        .orderBy(desc(scriptRevisions.createdAt), desc(scripts.scriptId))
        .limit(pageSize).offset((page - 1) * pageSize);
    },

    /** The workflow's live scripts (one per cache key value), most recently changed first. */
    async listForWorkflow(organizationId: string, workflowPermanentId: string): Promise<Array<{ script: ScriptRow; latest: ScriptRevisionRow | undefined; versionCount: number }>> {
      const versionCount = sql<number>`(select count(*)::int from ${scriptRevisions} r where r.script_id = "scripts"."script_id" and r.deleted_at is null)`;
      const rows = await db.select({ script: scripts, latest: scriptRevisions, versionCount }).from(scripts)
        .leftJoin(scriptRevisions, eq(scriptRevisions.scriptRevisionId, latestRevisionId))
        .where(and(eq(scripts.organizationId, organizationId), eq(scripts.workflowPermanentId, workflowPermanentId), liveScript))
        .orderBy(desc(scripts.modifiedAt), desc(scripts.scriptId));
      return rows.map((r) => ({ script: r.script, latest: r.latest ?? undefined, versionCount: r.versionCount }));
    },

    /** Clears a workflow's cache: its live scripts are soft-deleted (the next code run generates anew). */
    async softDeleteForWorkflow(organizationId: string, workflowPermanentId: string): Promise<number> {
      const now = new Date();
      const deleted = await db.update(scripts).set({ deletedAt: now, modifiedAt: now })
        .where(and(eq(scripts.organizationId, organizationId), eq(scripts.workflowPermanentId, workflowPermanentId), liveScript))
        .returning({ scriptId: scripts.scriptId });
      return deleted.length;
    },

    /** How many runs used each script, how many completed, and the newest one. */
    async runStats(organizationId: string, scriptIds: string[]): Promise<Map<string, ScriptRunStats>> {
      const stats = new Map<string, ScriptRunStats>();
      if (scriptIds.length === 0) return stats;
      const rows = await db.select({
        scriptId: sql<string>`${usedScriptId}`,
        total: sql<number>`count(*)::int`,
        completed: sql<number>`(count(*) filter (where ${runs.status} = 'completed'))::int`,
        latestRunId: sql<string | null>`(array_agg(${runs.runId} order by ${runs.createdAt} desc))[1]`,
      }).from(runs)
        .where(and(eq(runs.organizationId, organizationId), sql`${runs.scriptRun} is not null`,
          sql`${usedScriptId} in (${sql.join(scriptIds.map((id) => sql`${id}`), sql`, `)})`))
        .groupBy(usedScriptId);
      for (const r of rows) stats.set(r.scriptId, { total: r.total, completed: r.completed, latestRunId: r.latestRunId });
      return stats;
    },

    /** Runs that used the script (optionally one revision of it), newest first, with counts by status. */
    async runsUsing(organizationId: string, scriptId: string, opts: { limit: number; scriptRevisionId?: string }) {
      const where = and(eq(runs.organizationId, organizationId), sql`${runs.scriptRun} is not null`, sql`${usedScriptId} = ${scriptId}`,
        opts.scriptRevisionId ? sql`(${runs.scriptRun}->>'script_revision_id') = ${opts.scriptRevisionId}` : undefined);
      const [list, counts] = await Promise.all([
        db.select().from(runs).where(where).orderBy(desc(runs.createdAt), desc(runs.runId)).limit(opts.limit),
        db.select({ status: runs.status, n: sql<number>`count(*)::int` }).from(runs).where(where).groupBy(runs.status),
      ]);
      return { runs: list, statusCounts: Object.fromEntries(counts.map((c) => [c.status, c.n])) as Record<string, number> };
    },
  };
}
export type ScriptsRepo = ReturnType<typeof scriptsRepo>;

