import type { ServiceDeps } from '../services/deps.ts';
import type { RunRow } from '../db/repositories/runs.repo.ts';
import { dispatchRun } from '../services/run-dispatch.ts';
import { startPeriodic } from './periodic.ts';

// Postgres is the source of truth: any run it says is owed work but Redis has no live job for
// (Redis restarted, enqueue failed, a worker died) is enqueued again. Job IDs equal run IDs,
// so two reconcilers racing add the job once. Stale `running` runs (a dead worker's) come first in each
// batch, ahead of the queued backlog (runs.repo `listOwed`).
const WAITING_GRACE_MS = 5_000;

export async function reconcileOnce(deps: Pick<ServiceDeps, 'repos' | 'runQueue' | 'logger' | 'sessionHosts'>): Promise<number> {
  const now = new Date();
  const owed = await deps.repos.runs.listOwed(new Date(now.getTime() - WAITING_GRACE_MS), now);
  let requeued = 0;
  for (const run of owed) {
    const state = await deps.runQueue.state(run.runId);
    if (state && !['completed', 'failed', 'unknown'].includes(state)) continue;
    // Waiting in the own queue of the worker holding its session (run-worker.ts) is alive too.
    if (!state && await waitsOnSessionHost(deps, run)) continue;
    if (state) await deps.runQueue.discard(run.runId);
    await dispatchRun(deps, run);
    requeued += 1;
    deps.logger.info({ run_id: run.runId, status: run.status, job_state: state ?? 'missing' }, 'reconciler re-enqueued run');
  }
  return requeued;
}

export function startReconciler(deps: Pick<ServiceDeps, 'repos' | 'runQueue' | 'logger' | 'config' | 'sessionHosts'>): { stop(): void } {
  return startPeriodic(async () => { await reconcileOnce(deps); }, deps.config.reconcileIntervalMs,
    (err) => deps.logger.warn({ err: err.message }, 'reconcile failed'));
}

async function waitsOnSessionHost(deps: Pick<ServiceDeps, 'runQueue' | 'sessionHosts'>, run: RunRow): Promise<boolean> {
  if (!run.browserSessionId) return false;
  const host = await deps.sessionHosts.hostOf(run.browserSessionId);
  if (!host) return false;
  const state = await deps.runQueue.state(run.runId, host);
  return !!state && !['completed', 'failed', 'unknown'].includes(state);
}
