// Turning a slot into a run, exactly once. Any number of processes may try the same slot (the
// BullMQ job, a worker's start-up catch-up, the periodic sweep): the run ID is derived from the
// schedule and the slot, so only the first insert succeeds and the others see a duplicate.
import { AppError } from '../../domain/errors.ts';
import type { ScheduleRow, SchedulesRepo } from '../../db/repositories/schedules.repo.ts';
import type { RunsRepo } from '../../db/repositories/runs.repo.ts';
import { isFireTime, latestFireAtOrBefore, scheduledRunId } from '../../domain/schedules/index.ts';
import type { Logger } from '../../log/logger.ts';
import type { ScheduleClock } from '../../queue/schedule-queue.ts';
import { syncClock } from './schedules.service.ts';

/** Starts a workflow run for a schedule: the workflow service's "start a run", with a given run ID. */
export interface ScheduledRunStarter {
  start(organizationId: string, wpid: string, parameters: Record<string, unknown>, opts: { runId: string; scheduleId: string }): Promise<unknown>;
}

export interface FiringDeps {
  logger: Logger;
  schedules: SchedulesRepo;
  runs: Pick<RunsRepo, 'getById'>;
  clock: ScheduleClock;
  starter: ScheduledRunStarter;
}

export type FireOutcome =
  | { outcome: 'started' | 'duplicate'; runId: string; slot: Date }
  /** The workflow service refused the run (workflow deleted, parameters no longer valid): the slot is spent, not retried. */
  | { outcome: 'refused'; runId: string; slot: Date; reason: string }
  | { outcome: 'skipped'; reason: 'inactive' | 'stale_clock' | 'before_fire_from' | 'no_slot' };

/** Postgres unique violation, bare or wrapped by Drizzle. */
function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === '23505') return true;
  }
  return false;
}

export function scheduleFiring(deps: FiringDeps) {
  async function fireAt(row: ScheduleRow, slot: Date): Promise<FireOutcome> {
    if (slot < row.fireFrom) return { outcome: 'skipped', reason: 'before_fire_from' };
    const runId = scheduledRunId(row.workflowScheduleId, slot);
    let outcome: 'started' | 'duplicate' = 'duplicate';
    if (!(await deps.runs.getById(runId))) {
      try {
        await deps.starter.start(row.organizationId, row.workflowPermanentId, row.parameters ?? {}, { runId, scheduleId: row.workflowScheduleId });
        outcome = 'started';
      } catch (err) {
        if (err instanceof AppError && err.status < 500) {
          deps.logger.warn({ schedule_id: row.workflowScheduleId, run_id: runId, err: err.message }, 'scheduled run refused');
          await deps.schedules.recordFire(row.workflowScheduleId, slot, runId);
          return { outcome: 'refused', runId, slot, reason: err.message };
        }
        if (!isUniqueViolation(err)) throw err;
      }
    }
    await deps.schedules.recordFire(row.workflowScheduleId, slot, runId);
    if (outcome === 'started') deps.logger.info({ schedule_id: row.workflowScheduleId, run_id: runId, slot: slot.toISOString() }, 'schedule fired');
    return { outcome, runId, slot };
  }

  return {
    /**
     * Fires the slot a clock job was made for. A job taken after a later slot already passed
     * (the workers were down) fires that latest slot instead: missed slots are not back-filled,
     * only the latest one is owed, once.
     */
    async fireSlot(scheduleId: string, slot: Date, now = new Date()): Promise<FireOutcome> {
      const row = await deps.schedules.getById(scheduleId);
      if (!row || row.deletedAt || !row.enabled) return { outcome: 'skipped', reason: 'inactive' };
      if (!isFireTime(row.cronExpression, row.timezone, slot)) {
        // A clock left from before a cron or timezone change: repoint it, fire nothing.
        await syncClock(deps, row);
        return { outcome: 'skipped', reason: 'stale_clock' };
      }
      const latest = latestFireAtOrBefore(row.cronExpression, row.timezone, now);
      return fireAt(row, latest && latest > slot ? latest : slot);
    },

    /** Fires the latest due slot of every enabled schedule that has not fired it (older than `graceMs`). */
    async catchUp(now = new Date(), graceMs = 0): Promise<FireOutcome[]> {
      const outcomes: FireOutcome[] = [];
      for (const row of await deps.schedules.listEnabled()) {
        const latest = latestFireAtOrBefore(row.cronExpression, row.timezone, new Date(now.getTime() - graceMs));
        if (!latest || latest < row.fireFrom) continue;
        if (row.lastFiredSlotAt && row.lastFiredSlotAt >= latest) continue;
        try {
          outcomes.push(await fireAt(row, latest));
        } catch (err) {
          deps.logger.warn({ err: (err as Error).message, schedule_id: row.workflowScheduleId }, 'schedule catch-up fire failed');
        }
      }
      return outcomes;
    },

    /** Makes Redis's clocks match Postgres: adds missing or changed ones, removes ones no schedule wants. */
    async syncClocks(): Promise<{ set: number; cleared: number }> {
      const wanted = await deps.schedules.listEnabled();
      let set = 0; let cleared = 0;
      for (const row of wanted) {
        const state = await deps.clock.get(row.workflowScheduleId);
        if (state && state.pattern === row.cronExpression && state.tz === row.timezone && state.nextJobExists) continue;
        await deps.clock.set(row.workflowScheduleId, { pattern: row.cronExpression, tz: row.timezone });
        set++;
      }
      const wantedIds = new Set(wanted.map((r) => r.workflowScheduleId));
      for (const id of await deps.clock.scheduleIds()) {
        if (wantedIds.has(id)) continue;
        // Re-read: the schedule may have been created or enabled since the list above.
        const row = await deps.schedules.getById(id);
        if (row && row.enabled && !row.deletedAt) continue;
        await deps.clock.clear(id);
        cleared++;
      }
      return { set, cleared };
    },
  };
}
export type ScheduleFiring = ReturnType<typeof scheduleFiring>;
