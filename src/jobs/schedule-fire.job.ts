import type { Job } from 'bullmq';
import type { ScheduleFireJobData } from '../contracts/jobs.ts';
import type { FireOutcome, ScheduleFiring } from '../services/schedules/schedule-firing.ts';

/**
 * The slot a clock job stands for: BullMQ stores it as `prevMillis` and in the job ID
 * (`repeat:<scheduler>:<slot ms>`); the slot, not the time the job happened to run, decides the run ID.
 */
export function slotOf(job: Pick<Job<ScheduleFireJobData>, 'id' | 'opts'>): Date | undefined {
  const millis = job.opts.prevMillis ?? Number(job.id?.split(':').at(-1));
  return Number.isFinite(millis) && millis > 0 ? new Date(millis) : undefined;
}

export async function processScheduleFireJob(job: Job<ScheduleFireJobData>, firing: ScheduleFiring): Promise<FireOutcome> {
  const slot = slotOf(job);
  if (!slot) return { outcome: 'skipped', reason: 'no_slot' };
  return firing.fireSlot(job.data.scheduleId, slot);
}
