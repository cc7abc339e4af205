import { and, isNull, notInArray, sql } from 'drizzle-orm';
import { FINAL_SESSION_STATUSES } from '../../domain/browser-sessions.ts';
import type { Db } from '../client.ts';
import { browserSessions, runs } from '../schema.ts';

/**
 * Cluster-wide counts read at each metrics scrape. Kept apart from the aggregates' repositories:
 * read-only, cheap enough for a scrape interval, and the only queries that span every organization.
 */
export function statsRepo(db: Db) {
  return {
    /** Every run there is, by type and current status (the table itself is the counter). */
    async runCounts(): Promise<{ runType: string; status: string; count: number }[]> {
      return db.select({ runType: runs.runType, status: runs.status, count: sql<number>`count(*)::int` })
        .from(runs).groupBy(runs.runType, runs.status);
    },

    /** Sessions not ended nor deleted, by status (`created`: waiting for a worker; `running`: its browser is up). */
    async openSessionCounts(): Promise<{ status: string; count: number }[]> {
      return db.select({ status: browserSessions.status, count: sql<number>`count(*)::int` })
        .from(browserSessions)
        .where(and(notInArray(browserSessions.status, [...FINAL_SESSION_STATUSES]), isNull(browserSessions.deletedAt)))
        .groupBy(browserSessions.status);
    },
  };
}
export type StatsRepo = ReturnType<typeof statsRepo>;
