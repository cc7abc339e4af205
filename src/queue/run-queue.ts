import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { RUN_JOB, type RunJobData } from '../contracts/jobs.ts';

export type JobState = 'active' | 'waiting' | 'delayed' | 'prioritized' | 'waiting-children' | 'completed' | 'failed' | 'unknown';

/** The queue of runs to execute. Jobs carry the run ID only; the worker re-reads the row. */
export interface RunQueue {
  /** `host`: the queue of one worker process only (runs in a browser session that worker holds). */
  enqueue(runId: string, opts?: { delayMs?: number; host?: string }): Promise<void>;
  /** State of the run's job (in `host`'s own queue when given), or undefined when Redis holds none. */
  state(runId: string, host?: string): Promise<JobState | undefined>;
  /** Drops a finished or failed job so the run can be enqueued again under the same job ID. */
  discard(runId: string): Promise<void>;
  close(): Promise<void>;
}

export const RUNS_QUEUE = 'runs';
/** The queue only the worker process with this host ID takes jobs from. */
export const hostRunsQueue = (hostId: string) => `runs-host-${hostId}`;
const ENQUEUE_TIMEOUT_MS = 1500;
const MAX_HOST_QUEUES = 64;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out`)), ms); })])
    .finally(() => clearTimeout(timer));
}

export function createRunQueue(connection: Redis, prefix: string): RunQueue {
  const open = (name: string) => {
    const q = new Queue<RunJobData>(name, { connection, prefix });
    q.on('error', () => {});
    return q;
  };
  const queue = open(RUNS_QUEUE);
  const hostQueues = new Map<string, Queue<RunJobData>>();
  const queueOf = (host?: string) => {
    if (!host) return queue;
    let q = hostQueues.get(host);
    if (!q) {
      q = open(hostRunsQueue(host)); hostQueues.set(host, q);
      // Host IDs change with every worker restart: keep handles to the recent ones only.
      if (hostQueues.size > MAX_HOST_QUEUES) {
        const [oldest, handle] = hostQueues.entries().next().value!;
        hostQueues.delete(oldest); void handle.close().catch(() => {});
      }
    }
    return q;
  };
  return {
    async enqueue(runId, opts) {
      await withTimeout(queueOf(opts?.host).add(RUN_JOB, { runId }, {
        jobId: runId,
        delay: opts?.delayMs,
        removeOnComplete: true,
        removeOnFail: true,
        attempts: 1,
      }), ENQUEUE_TIMEOUT_MS, 'enqueue');
    },
    async state(runId, host) {
      const job = await queueOf(host).getJob(runId);
      if (!job) return undefined;
      return (await job.getState()) as JobState;
    },
    async discard(runId) {
      const job = await queue.getJob(runId);
      if (job && !(await job.isActive())) await job.remove().catch(() => {});
    },
    async close() { await Promise.all([queue, ...hostQueues.values()].map((q) => q.close())); },
  };
}
