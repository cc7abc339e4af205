import { createHash } from 'node:crypto';

/**
 * The run a schedule starts for one slot has an ID derived from the schedule and the slot, as
 * Skyvern's `wr_sched_<32 hex>`: every process that tries to fire the same slot computes the same
 * ID, so the second insert collides with the first and exactly one run exists per slot.
 */
export function scheduledRunId(scheduleId: string, slot: Date): string {
  return `wr_sched_${createHash('sha256').update(`${scheduleId}:${slot.toISOString()}`).digest('hex').slice(0, 32)}`;
}
