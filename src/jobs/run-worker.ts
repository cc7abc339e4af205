import { DelayedError, Worker } from 'bullmq';
import { RUN_JOB, type RunJobData } from '../contracts/jobs.ts';
import { createRedis } from '../queue/connection.ts';
import { createCancelBus } from '../queue/cancel-bus.ts';
import { RUNS_QUEUE } from '../queue/run-queue.ts';
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
  const worker = new Worker<RunJobData>(RUNS_QUEUE, async (job, token) => {
    if (job.name !== RUN_JOB) return;
    const { runId } = job.data;
    const controller = new AbortController();
    inFlight.set(runId, controller);
    // A cancel that landed between enqueue and pick-up is seen here, before the browser opens.
    try {
      const run = await deps.repos.runs.getById(runId);
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
  }, {
    connection, prefix: deps.config.queuePrefix, concurrency: deps.config.workerConcurrency,
    lockDuration: deps.config.jobLockMs, stalledInterval: deps.config.jobLockMs, maxStalledCount: deps.config.maxRunAttempts,
  });
  worker.on('error', (err) => deps.logger.warn({ err: err.message }, 'worker error'));
  worker.on('failed', (job, err) => deps.logger.warn({ run_id: job?.data.runId, err: err.message }, 'job failed'));
  const reconciler = startReconciler(deps);

  return {
    async drain(drainMs) {
      reconciler.stop();
      const closing = worker.close();
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
