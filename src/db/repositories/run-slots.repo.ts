import { and, eq, isNull, ne, or, gt, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { runs } from '../schema.ts';
import { runsRepo, type RunPatch, type RunRow } from './runs.repo.ts';

// Advisory-lock namespace for "one organization's running count"; the second key is the org's hash.
const ORG_SLOT_LOCK = 727275;

export function runSlotsRepo(db: Db) {
  return {
    /**
     * Moves a run to `running` only while its organization has fewer than `limit` other runs
     * running. Workers race for slots: the per-organization advisory lock makes count-then-update
     * one step, and each statement after the lock sees the previous holder's committed update.
     * Runs whose worker stopped renewing its lease do not hold a slot. `limit <= 0` means no limit.
     */
    async startWithinLimit(runId: string, organizationId: string, limit: number, patch: RunPatch): Promise<RunRow | 'busy' | undefined> {
      const from = ['created', 'queued', 'running'] as const;
      if (limit <= 0) return runsRepo(db).transition(runId, 'running', patch, [...from]);
      return db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${ORG_SLOT_LOCK}, hashtext(${organizationId}))`);
        const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(runs).where(and(
          eq(runs.organizationId, organizationId), eq(runs.status, 'running'), isNull(runs.parentRunId), ne(runs.runId, runId),
          or(isNull(runs.leaseExpiresAt), gt(runs.leaseExpiresAt, new Date())),
        ));
        if ((row?.n ?? 0) >= limit) return 'busy' as const;
        return runsRepo(tx as unknown as Db).transition(runId, 'running', patch, [...from]);
      });
    },
  };
}
export type RunSlotsRepo = ReturnType<typeof runSlotsRepo>;
