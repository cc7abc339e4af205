import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { BROWSER_SESSION_JOB, type BrowserSessionJobData } from '../contracts/jobs.ts';
import type { JobState } from './run-queue.ts';

/** Sessions waiting for a worker to launch their browser. Job ID = session ID, so enqueueing twice adds once. */
export interface BrowserSessionQueue {
  enqueue(browserSessionId: string): Promise<void>;
  state(browserSessionId: string): Promise<JobState | undefined>;
  /** Drops a waiting job (the session was closed before a worker took it) or a finished one (so it can be re-added). */
  discard(browserSessionId: string): Promise<void>;
  close(): Promise<void>;
}

export const BROWSER_SESSIONS_QUEUE = 'browser-sessions';
const ENQUEUE_TIMEOUT_MS = 1500;

export function createBrowserSessionQueue(connection: Redis, prefix: string): BrowserSessionQueue {
  const queue = new Queue<BrowserSessionJobData>(BROWSER_SESSIONS_QUEUE, { connection, prefix });
  queue.on('error', () => {});
  return {
    async enqueue(browserSessionId) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('enqueue timed out')), ENQUEUE_TIMEOUT_MS); });
      try {
        await Promise.race([queue.add(BROWSER_SESSION_JOB, { browserSessionId }, {
          jobId: browserSessionId, removeOnComplete: true, removeOnFail: true, attempts: 1,
        }), timeout]);
      } finally { clearTimeout(timer); }
    },
    async state(browserSessionId) {
      const job = await queue.getJob(browserSessionId);
      return job ? ((await job.getState()) as JobState) : undefined;
    },
    async discard(browserSessionId) {
      const job = await queue.getJob(browserSessionId);
      if (job && !(await job.isActive())) await job.remove().catch(() => {});
    },
    close: () => queue.close(),
  };
}
