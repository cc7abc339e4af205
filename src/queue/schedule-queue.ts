import { Queue, type RepeatStrategy } from 'bullmq';
import type { Redis } from 'ioredis';
import { SCHEDULE_FIRE_JOB, type ScheduleFireJobData } from '../contracts/jobs.ts';

export const SCHEDULES_QUEUE = 'schedules';

/** First fire time strictly after `afterMs` (epoch ms): the domain's cron rules, handed in by composition. */
export type NextFireMillis = (pattern: string, tz: string, afterMs: number) => number;

export interface ClockSpec { pattern: string; tz: string }
export interface ClockState extends ClockSpec { nextMillis: number | null; nextJobExists: boolean }

/**
 * The clock of workflow schedules: one BullMQ job scheduler per enabled schedule, making one
 * `schedule-fire` job per slot (job ID `repeat:<scheduler>:<slot ms>`, so a slot is one job however
 * many processes upsert). Postgres is the truth; this only mirrors it and is rebuilt from it.
 */
export interface ScheduleClock {
  set(scheduleId: string, spec: ClockSpec): Promise<void>;
  clear(scheduleId: string): Promise<void>;
  get(scheduleId: string): Promise<ClockState | undefined>;
  /** Schedule IDs that have a clock in Redis (to remove the ones Postgres no longer wants). */
  scheduleIds(): Promise<string[]>;
  close(): Promise<void>;
}

const SCHEDULER_PREFIX = 'wf-sched-';
/** The BullMQ job scheduler ID of a schedule, shown as `temporal_schedule_id` (Skyvern's name for its backend id). */
export const schedulerIdOf = (scheduleId: string) => `${SCHEDULER_PREFIX}${scheduleId}`;

/**
 * Makes BullMQ compute slots with our cron rules instead of its own cron-parser copy (an older
 * major version), so the clock fires exactly at the times `next_runs` promised. The worker must
 * be given the same strategy: it schedules each next slot when it takes the current one.
 */
export function scheduleRepeatStrategy(next: NextFireMillis): RepeatStrategy {
  return (millis, opts) => (opts.pattern ? next(opts.pattern, opts.tz ?? 'UTC', millis) : undefined);
}

export function createScheduleClock(connection: Redis, prefix: string, next: NextFireMillis): ScheduleClock {
  const queue = new Queue<ScheduleFireJobData>(SCHEDULES_QUEUE, { connection, prefix, settings: { repeatStrategy: scheduleRepeatStrategy(next) } });
  queue.on('error', () => {});
  return {
    async set(scheduleId, spec) {
      await queue.upsertJobScheduler(schedulerIdOf(scheduleId), { pattern: spec.pattern, tz: spec.tz }, {
        name: SCHEDULE_FIRE_JOB,
        data: { scheduleId },
        // One attempt: a fire that failed is retried by the sweep (same slot, same run ID), not by BullMQ.
        opts: { removeOnComplete: true, removeOnFail: 100, attempts: 1 },
      });
    },
    async clear(scheduleId) {
      await queue.removeJobScheduler(schedulerIdOf(scheduleId));
    },
    async get(scheduleId) {
      const id = schedulerIdOf(scheduleId);
      const s = await queue.getJobScheduler(id);
      if (!s?.pattern) return undefined;
      const nextMillis = s.next ?? null;
      const nextJobExists = nextMillis !== null && (await queue.getJob(`repeat:${id}:${nextMillis}`)) !== undefined;
      return { pattern: s.pattern, tz: s.tz ?? 'UTC', nextMillis, nextJobExists };
    },
    async scheduleIds() {
      const all = await queue.getJobSchedulers(0, -1);
      return all.map((s) => s.key).filter((k) => k.startsWith(SCHEDULER_PREFIX)).map((k) => k.slice(SCHEDULER_PREFIX.length));
    },
    close: () => queue.close(),
  };
}
