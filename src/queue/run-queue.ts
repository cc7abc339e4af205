import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { RUN_JOB, type RunJobData } from '../contracts/jobs.ts';

export type JobState = 'active' | 'waiting' | 'delayed' | 'prioritized' | 'waiting-children' | 'completed' | 'failed' | 'unknown';

/** The queue of runs to execute. Jobs carry the run ID only; the worker re-reads the row. */
export interface RunQueue {
  enqueue(runId: string, opts?: { delayMs?: number }): Promise<void>;
  /** State of the run's job, or undefined when Redis holds none. */
  state(runId: string): Promise<JobState | undefined>;
  /** Drops a finished or failed job so the run can be enqueued again under the same job ID. */
  discard(runId: string): Promise<void>;
  close(): Promise<void>;
}

export const RUNS_QUEUE = 'runs';
const ENQUEUE_TIMEOUT_MS = 1500;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out`)), ms); })])
    .finally(() => clearTimeout(timer));
}

export function createRunQueue(connection: Redis, prefix: string): RunQueue {
  const queue = new Queue<RunJobData>(RUNS_QUEUE, { connection, prefix });
  queue.on('error', () => {});
  return {
    async enqueue(runId, opts) {
      await withTimeout(queue.add(RUN_JOB, { runId }, {
        jobId: runId,
        delay: opts?.delayMs,
        removeOnComplete: true,
        removeOnFail: true,
        attempts: 1,
      }), ENQUEUE_TIMEOUT_MS, 'enqueue');
    },
    async state(runId) {
      const job = await queue.getJob(runId);
      if (!job) return undefined;
      return (await job.getState()) as JobState;
    },
    async discard(runId) {
      const job = await queue.getJob(runId);
      if (job && !(await job.isActive())) await job.remove().catch(() => {});
    },
    close: () => queue.close(),
  };
}
