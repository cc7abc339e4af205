import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { WEBHOOK_JOB, type WebhookJobData } from '../contracts/jobs.ts';
import type { JobState } from './run-queue.ts';

/** Deliveries waiting for a worker. Jobs carry the delivery ID only; job ID = delivery ID. */
export interface WebhookQueue {
  /** `attempts` = BullMQ retries left for this job (Postgres counts the attempts already made). */
  enqueue(deliveryId: string, attempts: number): Promise<void>;
  state(deliveryId: string): Promise<JobState | undefined>;
  /** Drops a finished or failed job so the delivery can be enqueued again under the same ID. */
  discard(deliveryId: string): Promise<void>;
  close(): Promise<void>;
}

export const WEBHOOKS_QUEUE = 'webhooks';
/** Custom backoff type; the worker's strategy doubles the base delay and honours Retry-After. */
export const WEBHOOK_BACKOFF = 'webhook';
const ENQUEUE_TIMEOUT_MS = 1500;

export function createWebhookQueue(connection: Redis, prefix: string): WebhookQueue {
  const queue = new Queue<WebhookJobData>(WEBHOOKS_QUEUE, { connection, prefix });
  queue.on('error', () => {});
  return {
    async enqueue(deliveryId, attempts) {
      let timer: NodeJS.Timeout | undefined;
      const add = queue.add(WEBHOOK_JOB, { deliveryId }, {
        jobId: deliveryId, attempts: Math.max(1, attempts), backoff: { type: WEBHOOK_BACKOFF },
        removeOnComplete: true, removeOnFail: true,
      });
      const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('webhook enqueue timed out')), ENQUEUE_TIMEOUT_MS); });
      try { await Promise.race([add, timeout]); } finally { clearTimeout(timer); }
    },
    async state(deliveryId) {
      const job = await queue.getJob(deliveryId);
      return job ? ((await job.getState()) as JobState) : undefined;
    },
    async discard(deliveryId) {
      const job = await queue.getJob(deliveryId);
      if (job && !(await job.isActive())) await job.remove().catch(() => {});
    },
    close: () => queue.close(),
  };
}
