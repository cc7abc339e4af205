import { and, desc, eq, getTableColumns, gte, inArray, lt, or, isNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { statusesAllowing, type RunStatus } from '../../domain/run-status.ts';
import type { TagFilterGroup } from '../../domain/run-tags.ts';
import type { Db } from '../client.ts';
import { runTagFilterSql } from './run-tags.repo.ts';
import { runs } from '../schema.ts';

export type RunRow = typeof runs.$inferSelect;

const RUN_COLUMNS = Object.entries(getTableColumns(runs)) as [keyof RunRow, PgColumn][];
const INSERT_RUN_SQL = `insert into runs (${RUN_COLUMNS.map(([, c]) => `"${c.name}"`).join(', ')}) values (${RUN_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
const MARK_QUEUED_SQL = `update runs set status = 'queued', queued_at = coalesce(queued_at, $2), modified_at = $2 where run_id = $1 and status = 'created'`;

/** The row as Postgres would store it: schema defaults filled in, timestamps from one clock. */
function completeRunRow(row: NewRun, now: Date): RunRow {
  const full: Record<string, unknown> = {};
  for (const [key, col] of RUN_COLUMNS) {
    const given = (row as Record<string, unknown>)[key];
    if (given !== undefined) full[key] = given;
    else if (key === 'createdAt' || key === 'modifiedAt') full[key] = now;
    else if (col.hasDefault && typeof col.default !== 'object') full[key] = col.default;
    else full[key] = null;
  }
  return full as RunRow;
}

function toDriverValue(col: PgColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  // jsonb: serialised here, since pg would turn a JS array into a Postgres array literal.
  if (col.dataType === 'json') return JSON.stringify(value);
  return value;
}
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
  /** Run tag filter groups (AND-ed). */
  tags?: TagFilterGroup[];
  /** Created at or after / before (the run viewer's date filter). */
  createdFrom?: Date;
  createdBefore?: Date;
}

export function runsRepo(db: Db) {
  const pool = db.$client;
  return {
    /**
     * Submitting a run is the API's hot path: a named prepared statement with the row completed in
     * JS (no RETURNING, no query building) keeps it cheap. Unique violations surface as pg errors.
     */
    async insert(row: NewRun): Promise<RunRow> {
      const full = completeRunRow(row, new Date());
      await pool.query({ name: 'skyport_insert_run', text: INSERT_RUN_SQL, values: RUN_COLUMNS.map(([key, col]) => toDriverValue(col, full[key])) });
      return full;
    },

    /** created → queued after a successful enqueue; returns undefined when the run had moved on. */
    async markQueued(run: RunRow): Promise<RunRow | undefined> {
      const now = new Date();
      const res = await pool.query({ name: 'skyport_mark_queued', text: MARK_QUEUED_SQL, values: [run.runId, now.toISOString()] });
      return res.rowCount === 1 ? { ...run, status: 'queued', queuedAt: run.queuedAt ?? now, modifiedAt: now } : undefined;
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
      if (q.createdFrom) where.push(gte(runs.createdAt, q.createdFrom));
      if (q.createdBefore) where.push(lt(runs.createdAt, q.createdBefore));
      const tagged = runTagFilterSql(q.tags ?? []);
      if (tagged) where.push(tagged);
      if (q.searchKey) {
        const like = `%${q.searchKey.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
        where.push(or(sql`${runs.runId} ilike ${like}`, sql`${runs.title} ilike ${like}`)!);
      }
      return db.select().from(runs).where(and(...where))
        .orderBy(desc(runs.createdAt)).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
    },

    /**
     * Runs Postgres says are owed work: running ones whose worker stopped renewing its lease first
     * (a dead worker's runs must not wait behind a backlog of queued ones, most of which still have
     * their job in Redis), then waiting ones older than `waitingBefore`; oldest first within each.
     */
    async listOwed(waitingBefore: Date, now: Date, limit = 500): Promise<RunRow[]> {
      return db.select().from(runs).where(or(
        and(inArray(runs.status, ['created', 'queued']), lt(runs.modifiedAt, waitingBefore), isNull(runs.parentRunId)),
        and(eq(runs.status, 'running'), lt(runs.leaseExpiresAt, now), isNull(runs.parentRunId)),
      )).orderBy(sql`(${runs.status} = 'running') desc`, runs.createdAt).limit(limit);
    },

    async countRunning(organizationId: string): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(runs)
        .where(and(eq(runs.organizationId, organizationId), eq(runs.status, 'running'), isNull(runs.parentRunId)));
      return row?.n ?? 0;
    },
  };
}
export type RunsRepo = ReturnType<typeof runsRepo>;
