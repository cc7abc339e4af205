import { isTerminal } from '../domain/run-status.ts';
import { executeTask } from '../engine/task/execute-task.ts';
import type { RunOutcome } from '../engine/ports.ts';
import type { TaskRunRequest } from '../contracts/runs.ts';
import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { Logger } from '../log/logger.ts';
import { openRunBrowser } from './run-browser.ts';
import { createRunRecorder } from './run-recorder.ts';
import { timeSteps } from './step-timing.ts';
import { claimRunSession } from './session-claim.ts';
import { taskScripts } from './task-scripts.ts';
import { planSaver } from './task-plan-workflow.ts';
import { taskRunRequester, totpPolling, verificationCodeSource } from './totp-source.ts';
import type { WorkerDeps } from './worker-deps.ts';

/** Why a run's execution was stopped from outside. */
export type StopReason = 'canceled' | 'timed_out' | 'handback';

export type RunExecutor = (run: RunRow, deps: WorkerDeps, signal: AbortSignal, log: Logger) => Promise<RunOutcome>;

/** Task runs (skyvern-1.0 / 2.0): open the run's browser, let the engine work (code runs: task-scripts.ts), file the artifacts. */
export const executeTaskRun: RunExecutor = async (run, deps, signal, log) => {
  const recorder = timeSteps(createRunRecorder(deps, run), run.runType, deps.telemetry);
  const browser = await openRunBrowser(deps, run);
  const onAbort = () => { void browser.abort(); };
  signal.addEventListener('abort', onAbort, { once: true });
  // A cancel that arrived while the browser was opening has already fired.
  if (signal.aborted) onAbort();
  try {
    const request = run.request as TaskRunRequest;
    const scripts = await taskScripts(deps, run, log);
    const input = { runId: run.runId, organizationId: run.organizationId, request, maxSteps: run.maxSteps ?? deps.config.maxStepsPerRun, code: scripts?.code };
    const verificationCode = verificationCodeSource(deps, run, taskRunRequester(run), { totpUrl: request.totp_url, totpIdentifier: request.totp_identifier }, totpPolling(deps));
    const result = await executeTask(input, { browser, recorder, signal, logger: log, verificationCode, savePlan: planSaver(deps, run) }, deps.llm);
    // Written before the run's status says it ended, so a client that saw `completed` finds the script.
    if (scripts && !signal.aborted) await scripts.finish(result).catch((err) => log.warn({ err }, 'script version not written'));
    const { code: _, ...outcome } = result;
    return outcome;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await browser.finish(recorder, { finalScreenshot: !signal.aborted }).catch((err) => log.warn({ err }, 'artifact filing failed'));
  }
};

function remainingMs(run: RunRow, deps: WorkerDeps): number {
  const limit = (run.maxElapsedMinutes ?? deps.config.taskMaxElapsedMinutes) * deps.config.minuteMs;
  const since = (run.startedAt ?? new Date()).getTime();
  return since + limit - Date.now();
}

function timeoutReason(run: RunRow, deps: WorkerDeps): string {
  const m = run.maxElapsedMinutes ?? deps.config.taskMaxElapsedMinutes;
  // Skyvern's wording for workflow runs names them as such.
  const what = run.runType === 'workflow_run' ? 'Workflow run' : 'Run';
  return `${what} exceeded max elapsed runtime limit of ${m} minute${m === 1 ? '' : 's'}.`;
}

/**
 * Executes one run end to end. Re-reads the row first (jobs carry only the ID, and a retry after
 * a crash must see what the last attempt left). Returns 'handback' when shutdown interrupted it, and
 * 'deferred' (run untouched, still `queued`) when its organization already runs as many as it may.
 */
export async function processRun(runId: string, deps: WorkerDeps, controller: AbortController, execute: RunExecutor): Promise<'done' | 'handback' | 'deferred'> {
  const { runs } = deps.repos;
  const log = deps.logger.child({ run_id: runId });
  const run = await runs.getById(runId);
  if (!run || isTerminal(run.status)) return 'done';

  const finish = async (outcome: RunOutcome) => {
    const done = await runs.transition(runId, outcome.status, {
      output: outcome.output ?? null, failureReason: outcome.failureReason ?? null, errors: outcome.errors ?? null,
    });
    if (done) await deps.hooks.onTerminal(done);
  };

  if (run.status === 'running' && run.attempts >= deps.config.maxRunAttempts) {
    log.warn({ attempts: run.attempts }, 'run abandoned by its worker too often');
    await finish({ status: 'failed', failureReason: `The worker executing this run stopped unexpectedly (${run.attempts} attempts); it was not retried again.` });
    return 'done';
  }
  // A run in a persistent browser session waits (queued) while another run drives that browser.
  const claim = await claimRunSession(deps, run);
  if (claim.outcome === 'busy') return 'deferred';
  if (claim.outcome === 'ended') { await finish({ status: 'failed', failureReason: claim.reason }); return 'done'; }
  const leaseMs = deps.config.jobLockMs * 2;
  // The organization's limit is checked and the slot taken in one step, so racing workers cannot overshoot it.
  // A child run (a workflow's block) uses its parent's slot: limiting it could deadlock the parent.
  const limit = run.parentRunId ? 0 : (await deps.repos.organizations.get(run.organizationId))?.maxConcurrentRuns ?? deps.config.maxConcurrentRunsPerOrg;
  const started = await deps.repos.runSlots.startWithinLimit(runId, run.organizationId, limit, { attempts: run.attempts + 1, leaseExpiresAt: new Date(Date.now() + leaseMs) });
  if (started === 'busy' || !started) { await claim.release(); return started ? 'deferred' : 'done'; }
  if (run.status === 'running') log.warn({ attempt: started.attempts }, 'restarting a run whose worker died');

  const lease = setInterval(() => { runs.renewLease(runId, new Date(Date.now() + leaseMs)).catch(() => {}); }, Math.max(1000, leaseMs / 3));
  const deadline = setTimeout(() => controller.abort('timed_out' satisfies StopReason), Math.max(0, remainingMs(started, deps)));
  deps.runEvents.publish([runId, run.parentRunId], 'status');
  log.info({ run_type: run.runType }, 'run started');
  let outcome: RunOutcome;
  try {
    outcome = await execute(started, deps, controller.signal, log);
  } catch (err) {
    outcome = { status: 'failed', failureReason: `Run failed: ${(err as Error).message}` };
    if (!controller.signal.aborted) log.error({ err }, 'run crashed');
  } finally {
    clearInterval(lease);
    clearTimeout(deadline);
    await claim.release();
  }
  const reason = controller.signal.aborted ? (controller.signal.reason as StopReason) : undefined;
  if (reason === 'handback') {
    await runs.transition(runId, 'queued', { attempts: Math.max(0, started.attempts - 1), leaseExpiresAt: null }, ['running']);
    log.info('run handed back for another worker');
    return 'handback';
  }
  // What the run produced before it was stopped stays visible (a workflow's finished blocks).
  if (reason === 'timed_out') outcome = { status: 'timed_out', failureReason: timeoutReason(started, deps), output: outcome.output };
  if (reason === 'canceled') outcome = { status: 'canceled', failureReason: null, output: outcome.output };
  await finish(outcome);
  log.info({ status: outcome.status }, 'run finished');
  return 'done';
}
