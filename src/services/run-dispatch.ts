import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { ServiceDeps } from './deps.ts';

/**
 * Hands an accepted run to the queue and marks it `queued`. When Redis is unreachable the run
 * stays `created` in Postgres and the reconciler enqueues it later: an accepted run is never lost.
 */
export async function dispatchRun(deps: Pick<ServiceDeps, 'runQueue' | 'repos' | 'logger'>, run: RunRow): Promise<RunRow> {
  try {
    await deps.runQueue.enqueue(run.runId);
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message, run_id: run.runId }, 'enqueue failed; reconciler will retry');
    return run;
  }
  return (await deps.repos.runs.markQueued(run)) ?? (await deps.repos.runs.getById(run.runId)) ?? run;
}
