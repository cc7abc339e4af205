import { Queue } from 'bullmq';
import { createRedis } from './connection.ts';
import { BROWSER_SESSIONS_QUEUE } from './browser-session-queue.ts';
import { RUNS_QUEUE } from './run-queue.ts';
import { SCHEDULES_QUEUE } from './schedule-queue.ts';
import { WEBHOOKS_QUEUE } from './webhook-queue.ts';

export const QUEUE_NAMES = [RUNS_QUEUE, WEBHOOKS_QUEUE, BROWSER_SESSIONS_QUEUE, SCHEDULES_QUEUE] as const;
export const COUNTED_STATES = ['waiting', 'active', 'delayed', 'prioritized'] as const;

export interface QueueSnapshot {
  queue: string;
  counts: Record<(typeof COUNTED_STATES)[number], number>;
  /** Seconds the oldest waiting job has been ready to run (since it was added or its delay ended); 0 when none waits. */
  oldestWaitingSeconds: number;
}

export interface QueueStats {
  snapshot(): Promise<QueueSnapshot[]>;
  close(): Promise<void>;
}

/**
 * Read-only view of every BullMQ queue for metrics. Its own fail-fast connection, so a scrape
 * while Redis is away errors at once instead of queueing commands behind the producers'.
 */
export function createQueueStats(redisUrl: string, prefix: string): QueueStats {
  const connection = createRedis(redisUrl, 'producer');
  const queues = QUEUE_NAMES.map((name) => {
    const queue = new Queue(name, { connection, prefix });
    queue.on('error', () => {});
    return queue;
  });

  async function snapshotOf(queue: Queue): Promise<QueueSnapshot> {
    const [raw, oldest] = await Promise.all([
      queue.getJobCounts(...COUNTED_STATES),
      // BullMQ pushes new jobs on the left of the wait list and workers take from the right:
      // in ascending order the first job is the one that has waited longest.
      queue.getWaiting(0, 0),
    ]);
    const counts = Object.fromEntries(COUNTED_STATES.map((s) => [s, raw[s] ?? 0])) as QueueSnapshot['counts'];
    const job = oldest[0];
    const readyAt = job ? job.timestamp + (job.delay ?? 0) : undefined;
    return { queue: queue.name, counts, oldestWaitingSeconds: readyAt === undefined ? 0 : Math.max(0, (Date.now() - readyAt) / 1000) };
  }

  return {
    snapshot: () => Promise.all(queues.map(snapshotOf)),
    async close() {
      await Promise.all(queues.map((q) => q.close().catch(() => {})));
      connection.disconnect();
    },
  };
}
