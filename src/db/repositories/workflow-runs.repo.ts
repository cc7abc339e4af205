// Queries of the `runs` table specific to workflow runs (the generic ones live in runs.repo.ts).
import { and, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { runs } from '../schema.ts';
import type { TagFilterGroup } from '../../domain/run-tags.ts';
import { runTagFilterSql } from './run-tags.repo.ts';
import type { RunRow } from './runs.repo.ts';

export interface WorkflowRunListQuery {
  organizationId: string;
  page: number;
  pageSize: number;
  workflowPermanentId?: string;
  statuses?: string[];
  /** Substring of the run id, title or workflow id (case-insensitive). */
  searchKey?: string;
  /** Exact `error_code` of one of the run's reported errors. */
  errorCode?: string;
  createdAtStart?: Date;
  createdAtEnd?: Date;
  includeChildRuns?: boolean;
  /** Run tag filter groups (AND-ed). */
  tags?: TagFilterGroup[];
}

export function workflowRunsRepo(db: Db) {
  return {
    async list(q: WorkflowRunListQuery): Promise<RunRow[]> {
      const where: SQL[] = [eq(runs.organizationId, q.organizationId), eq(runs.runType, 'workflow_run')];
      if (q.workflowPermanentId) where.push(eq(runs.workflowPermanentId, q.workflowPermanentId));
      if (q.statuses?.length) where.push(inArray(runs.status, q.statuses));
      if (!q.includeChildRuns) where.push(isNull(runs.parentRunId));
      if (q.createdAtStart) where.push(gte(runs.createdAt, q.createdAtStart));
      if (q.createdAtEnd) where.push(lt(runs.createdAt, q.createdAtEnd));
      const tagged = runTagFilterSql(q.tags ?? []);
      if (tagged) where.push(tagged);
      if (q.errorCode) where.push(sql`${runs.errors} @> ${JSON.stringify([{ error_code: q.errorCode }])}::jsonb`);
      if (q.searchKey) {
        const like = `%${q.searchKey.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
        where.push(or(sql`${runs.runId} ilike ${like}`, sql`${runs.title} ilike ${like}`, sql`${runs.workflowPermanentId} ilike ${like}`)!);
      }
      return db.select().from(runs).where(and(...where))
        .orderBy(desc(runs.createdAt)).limit(q.pageSize).offset((q.page - 1) * q.pageSize);
    },
  };
}
export type WorkflowRunsRepo = ReturnType<typeof workflowRunsRepo>;
