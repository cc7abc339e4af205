// One run at a time drives a persistent browser session. A run claims its session before it is
// marked running; while another run holds it, the run stays queued and its job is retried (like a
// run waiting for its organization's concurrency slot). The claim is released when the run ends,
// is handed back or crashes; a claim left by a dead worker is taken over (browser-sessions.repo.ts).
import type { RunRow } from '../db/repositories/runs.repo.ts';
import { sessionEndedReason } from '../domain/browser-sessions.ts';
import type { WorkerDeps } from './worker-deps.ts';

export type SessionClaim =
  | { outcome: 'ready'; release(): Promise<void> }
  | { outcome: 'busy' }
  | { outcome: 'ended'; reason: string };

const NOTHING_TO_RELEASE = async () => {};

export async function claimRunSession(deps: WorkerDeps, run: RunRow): Promise<SessionClaim> {
  const sessionId = run.browserSessionId;
  // A workflow's block runs inside its parent's claim.
  if (!sessionId || run.parentRunId) return { outcome: 'ready', release: NOTHING_TO_RELEASE };
  const repo = deps.repos.browserSessions;
  const runnableType = run.runType === 'workflow_run' ? 'workflow_run' : 'task';
  const result = await repo.claim(sessionId, runnableType, run.runId);
  if (result === 'busy') return { outcome: 'busy' };
  if (result !== 'claimed') {
    const status = result === 'missing' ? 'deleted' : (await repo.getById(sessionId))?.status ?? 'deleted';
    return { outcome: 'ended', reason: sessionEndedReason(sessionId, status) };
  }
  return {
    outcome: 'ready',
    release: () => repo.release(sessionId, run.runId)
      .catch((err) => deps.logger.warn({ err: (err as Error).message, run_id: run.runId, browser_session_id: sessionId }, 'session release failed; the next run takes it over')),
  };
}
