// Where a run's one-time codes come from, polled every interval until the verification-code time
// limit (Skyvern's order within one round: the run's totp_url first, then codes pushed for its
// totp_identifier):
// - totp_url (pull): we POST the run's identity, signed like webhooks (HMAC-SHA256 of the body
//   with the organization's API key), and expect {"verification_code": "123456"}.
// - totp_identifier (push): codes sent to POST /v1/credentials/totp for that identifier, created
//   after the run started and within TOTP_LIFESPAN_MINUTES, unscoped or scoped to this run; each
//   code is claimed once (marked used), so two runs never type the same code.
import type { RunRow } from '../db/repositories/runs.repo.ts';
import { normalizeTotpIdentifier, TOTP_LIFESPAN_MINUTES } from '../domain/otp.ts';
import { SecretUnavailable } from '../engine/agent/secrets.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { decryptSecret } from '../services/secrets.ts';
import { signBody } from '../services/webhooks/payload.ts';
import { isOutboundRefusal, outboundFetch } from '../net/outbound.ts';

export interface TotpPolling { intervalMs: number; timeoutMs: number }

type SourceDeps = Pick<ServiceDeps, 'repos' | 'serverSecret' | 'logger'>;
/** One look at one source: the code, or why there is none yet. */
type Attempt = (signal: AbortSignal) => Promise<{ code: string } | { problem: string }>;

/** What the run (or the workflow block) is, for scoping codes and for the totp_url body. */
export interface CodeRequester {
  /** `tsk_…` of the task run, or of the workflow block's task. */
  taskId: string;
  workflowRunId: string | null;
  workflowId: string | null;
  workflowPermanentId: string | null;
}

export interface CodeSources { totpUrl?: string | null; totpIdentifier?: string | null }

/** A fetcher of fresh codes for the agent, or undefined when the run names no source. */
export function verificationCodeSource(deps: SourceDeps, run: RunRow, who: CodeRequester, sources: CodeSources, polling: TotpPolling) {
  const attempts: Array<[string, Attempt]> = [];
  if (sources.totpUrl) attempts.push([`totp_url ${sources.totpUrl}`, totpUrlAttempt(deps, run, who, sources.totpUrl)]);
  const identifier = sources.totpIdentifier ? normalizeTotpIdentifier(sources.totpIdentifier) : '';
  if (identifier) attempts.push([`totp_identifier "${identifier}" (push codes to POST /v1/credentials/totp)`, pushedCodeAttempt(deps, run, who, identifier)]);
  if (attempts.length === 0) return undefined;
  return poll(deps, run, attempts, polling);
}

function poll(deps: SourceDeps, run: RunRow, attempts: Array<[string, Attempt]>, polling: TotpPolling) {
  return async (signal: AbortSignal): Promise<string> => {
    const deadline = Date.now() + polling.timeoutMs;
    const problems = new Map<string, string>();
    for (;;) {
      for (const [name, attempt] of attempts) {
        signal.throwIfAborted();
        try {
          const found = await attempt(signal);
          if ('code' in found) return found.code;
          problems.set(name, found.problem);
        } catch (err) {
          if (signal.aborted) throw err;
          // The outbound policy will not change its mind: say so now rather than at the timeout.
          if (isOutboundRefusal(err)) throw new SecretUnavailable('totp_code', err.message);
          problems.set(name, (err as Error).message);
        }
      }
      if (Date.now() + polling.intervalMs > deadline) {
        const why = [...problems].map(([name, problem]) => `${name}: ${problem}`).join('; ');
        throw new SecretUnavailable('totp_code', `no verification code arrived within ${Math.round(polling.timeoutMs / 1000)} s (${why})`);
      }
      deps.logger.debug({ run_id: run.runId, problems: Object.fromEntries(problems) }, 'waiting for a verification code');
      await sleep(polling.intervalMs, signal);
    }
  };
}

function totpUrlAttempt(deps: SourceDeps, run: RunRow, who: CodeRequester, url: string): Attempt {
  const body = JSON.stringify({ task_id: who.taskId, workflow_run_id: who.workflowRunId, workflow_permanent_id: who.workflowPermanentId });
  let signingKey: Promise<string | undefined> | undefined;
  return async (signal) => {
    signingKey ??= deps.repos.organizations.latestValidKey(run.organizationId).then((key) => (key ? decryptSecret(deps.serverSecret, key.keyEncrypted) : undefined));
    const key = await signingKey;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-skyvern-timestamp': String(Math.floor(Date.now() / 1000)) };
    if (key) headers['x-skyvern-signature'] = signBody(body, key);
    // totp_url is user input: the outbound policy applies (a refusal reads as the attempt's problem).
    const res = await outboundFetch(url, { method: 'POST', headers, body, signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) }, { label: 'totp_url' });
    const json = res.ok ? ((await res.json().catch(() => null)) as Record<string, unknown> | null) : null;
    const code = json?.verification_code;
    if (typeof code === 'string' && code.trim()) return { code: code.trim() };
    if (typeof code === 'number') return { code: String(code) };
    return { problem: res.ok ? 'the response had no "verification_code"' : `HTTP ${res.status}` };
  };
}

function pushedCodeAttempt(deps: SourceDeps, run: RunRow, who: CodeRequester, totpIdentifier: string): Attempt {
  const startedAt = run.startedAt ?? new Date();
  const workflowIds = [who.workflowId, who.workflowPermanentId].filter((id): id is string => !!id);
  return async () => {
    const freshFrom = new Date(Math.max(startedAt.getTime(), Date.now() - TOTP_LIFESPAN_MINUTES * 60_000));
    const row = await deps.repos.totpCodes.claim({
      organizationId: run.organizationId, totpIdentifier, since: freshFrom, runId: run.runId,
      taskIds: [who.taskId], workflowRunId: who.workflowRunId, workflowIds,
    });
    if (!row) return { problem: 'no code pushed yet' };
    deps.logger.info({ run_id: run.runId, totp_code_id: row.totpCodeId, otp_type: row.otpType }, 'pushed verification code claimed');
    return { code: row.code };
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(); }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The worker's polling settings (TOTP_POLL_INTERVAL_MS, VERIFICATION_CODE_POLLING_TIMEOUT_MINS). */
export function totpPolling(deps: Pick<ServiceDeps, 'config'>): TotpPolling {
  return { intervalMs: deps.config.totpPollIntervalMs, timeoutMs: deps.config.verificationCodeTimeoutMinutes * deps.config.minuteMs };
}

/** A task run asks for itself. */
export const taskRunRequester = (run: RunRow): CodeRequester => ({ taskId: run.runId, workflowRunId: null, workflowId: null, workflowPermanentId: null });

/** For a workflow run: each task-like block asks as its own task, within the run and its workflow. */
export function workflowCodeSources(deps: SourceDeps & Pick<ServiceDeps, 'config'>, run: RunRow, workflow: { workflowId: string; workflowPermanentId: string }) {
  return (req: { taskId: string; totpUrl: string | null; totpIdentifier: string | null }) => verificationCodeSource(deps, run, {
    taskId: req.taskId, workflowRunId: run.runId, workflowId: workflow.workflowId, workflowPermanentId: workflow.workflowPermanentId,
  }, { totpUrl: req.totpUrl, totpIdentifier: req.totpIdentifier }, totpPolling(deps));
}
