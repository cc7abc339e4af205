// Postgres says which sessions should exist; this makes sure none is left behind:
// - a running session whose worker stopped renewing its lease (the worker died, and its browser
//   with it) ends `failed`, rather than showing "running" forever;
// - a session still waiting for a worker whose job Redis lost is enqueued again;
// - a session no worker started within START_TIMEOUT_MINUTES ends `failed` (runs waiting for it
//   then fail with a reason instead of waiting forever).
import type { ServiceDeps } from '../services/deps.ts';

const WAITING_GRACE_MS = 5_000;
const START_TIMEOUT_MINUTES = 15;

type Deps = Pick<ServiceDeps, 'repos' | 'browserSessionQueue' | 'logger' | 'config'>;

export async function reconcileBrowserSessions(deps: Deps): Promise<{ abandoned: number; requeued: number; expired: number }> {
  const repo = deps.repos.browserSessions;
  const now = new Date();
  const abandoned = await repo.endAbandoned(now);
  for (const s of abandoned) deps.logger.warn({ browser_session_id: s.browserSessionId }, 'browser session ended: its worker stopped renewing the lease');

  let requeued = 0;
  let expired = 0;
  const startBy = now.getTime() - START_TIMEOUT_MINUTES * deps.config.minuteMs;
  for (const s of await repo.listWaiting(new Date(now.getTime() - WAITING_GRACE_MS))) {
    const state = await deps.browserSessionQueue.state(s.browserSessionId);
    if (s.createdAt.getTime() < startBy) {
      if (state !== 'active' && (await repo.end(s.browserSessionId, 'failed'))) {
        await deps.browserSessionQueue.discard(s.browserSessionId).catch(() => {});
        deps.logger.warn({ browser_session_id: s.browserSessionId }, 'browser session ended: no worker started it in time');
        expired += 1;
      }
      continue;
    }
    if (state && !['completed', 'failed', 'unknown'].includes(state)) continue;
    if (state) await deps.browserSessionQueue.discard(s.browserSessionId);
    await deps.browserSessionQueue.enqueue(s.browserSessionId);
    requeued += 1;
    deps.logger.info({ browser_session_id: s.browserSessionId, job_state: state ?? 'missing' }, 'reconciler re-enqueued browser session');
  }
  return { abandoned: abandoned.length, requeued, expired };
}
