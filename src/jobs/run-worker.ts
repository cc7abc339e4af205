import { DelayedError, Worker, type Job } from 'bullmq';
import type { RunRow } from '../db/repositories/runs.repo.ts';
import { RUN_JOB, type RunJobData } from '../contracts/jobs.ts';
import { createRedis } from '../queue/connection.ts';
import { createCancelBus } from '../queue/cancel-bus.ts';
import { hostRunsQueue, RUNS_QUEUE } from '../queue/run-queue.ts';
import { processRun, executeTaskRun, type RunExecutor, type StopReason } from './run-task.job.ts';
import { createWorkflowExecutor } from './run-workflow.job.ts';
import { startReconciler } from './reconciler.ts';
import type { WorkerDeps } from './worker-deps.ts';

export interface RunWorkerHandle {
  /** Stops taking jobs; in-flight runs get `drainMs` to finish, then are handed back to the queue. */
  drain(drainMs: number): Promise<void>;
}

/** Executors per run type; workflows register theirs when built. */
export type ExecutorRegistry = Record<string, RunExecutor>;
export const defaultExecutors = (): ExecutorRegistry => ({ task_v1: executeTaskRun, task_v2: executeTaskRun, workflow_run: createWorkflowExecutor() });

export async function startRunWorker(deps: WorkerDeps, executors: ExecutorRegistry = defaultExecutors()): Promise<RunWorkerHandle> {
  const inFlight = new Map<string, AbortController>();
  const subscriber = createRedis(deps.config.redisUrl, 'subscriber');
  const publisher = createRedis(deps.config.redisUrl, 'worker');
  const bus = createCancelBus(publisher, subscriber, deps.config.queuePrefix);
  await bus.subscribe((runId) => inFlight.get(runId)?.abort('canceled' satisfies StopReason));
  const handedBack: string[] = [];

  const connection = createRedis(deps.config.redisUrl, 'worker');
  const processJob = async (job: Job<RunJobData>, token: string | undefined) => {
    if (job.name !== RUN_JOB) return;
    const { runId } = job.data;
    const controller = new AbortController();
    inFlight.set(runId, controller);
    // A cancel that landed between enqueue and pick-up is seen here, before the browser opens.
    try {
      const run = await deps.repos.runs.getById(runId);
      if (run && await forwardedToSessionHost(deps, run)) return;
      const execute = run ? executors[run.runType] : undefined;
      if (run && !execute) {
        const failed = await deps.repos.runs.transition(runId, 'failed', { failureReason: `This server cannot execute runs of type ${run.runType}.` });
        if (failed) await deps.hooks.onTerminal(failed);
        return;
      }
      if (!execute) return;
      const result = await processRun(runId, deps, controller, execute);
      if (result === 'handback') handedBack.push(runId);
      if (result === 'deferred') {
        // Same job (job ID = run ID, which the reconciler relies on), tried again shortly; jitter spreads the retries.
        await job.moveToDelayed(Date.now() + Math.round(deps.config.runSlotRetryMs * (0.75 + Math.random() * 0.5)), token);
        throw new DelayedError();
      }
    } finally {
      inFlight.delete(runId);
    }
  };
  const workerOptions = {
    connection, prefix: deps.config.queuePrefix, concurrency: deps.config.workerConcurrency,
    lockDuration: deps.config.jobLockMs, stalledInterval: deps.config.jobLockMs, maxStalledCount: deps.config.maxRunAttempts,
  };
  // The shared queue, and this process's own: runs in browser sessions it holds.
  const workers = [new Worker<RunJobData>(RUNS_QUEUE, processJob, workerOptions), new Worker<RunJobData>(hostRunsQueue(deps.hostId), processJob, workerOptions)];
  for (const worker of workers) {
    worker.on('error', (err) => deps.logger.warn({ err: err.message }, 'worker error'));
    worker.on('failed', (job, err) => deps.logger.warn({ run_id: job?.data.runId, err: err.message }, 'job failed'));
  }
  const reconciler = startReconciler(deps);

  return {
    async drain(drainMs) {
      reconciler.stop();
      const closing = Promise.all(workers.map((w) => w.close()));
      const timer = setTimeout(() => { for (const c of inFlight.values()) c.abort('handback' satisfies StopReason); }, drainMs);
      await closing;
      clearTimeout(timer);
      for (const runId of handedBack) {
        await deps.runQueue.enqueue(runId).catch((err) => deps.logger.warn({ run_id: runId, err: err.message }, 'hand-back enqueue failed; reconciler will pick it up'));
      }
      await bus.close();
      publisher.disconnect();
      connection.disconnect();
    },
  };
}

/**
 * A run in a browser session another worker holds goes to that worker's own queue: the session's
 * Chromium saves downloads to its host's disk and reads files to upload from it, so the run must
 * execute there. Without a recorded holder (session starting, ended, or Redis lost the entry) the
 * run proceeds here; the session claim then says whether the session can still be used.
 */
async function forwardedToSessionHost(deps: WorkerDeps, run: RunRow): Promise<boolean> {
  // A workflow's block runs inside its parent's run, which is already on the right worker.
  if (!run.browserSessionId || run.parentRunId) return false;
  const host = await deps.sessionHosts.hostOf(run.browserSessionId).catch(() => undefined);
  if (!host || host === deps.hostId) return false;
  await deps.runQueue.enqueue(run.runId, { host });
  deps.logger.debug({ run_id: run.runId, browser_session_id: run.browserSessionId, host }, 'run sent to the worker holding its session');
  return true;
}
