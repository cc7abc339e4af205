// One-time codes for runs with `totp_url`: Skyvern's pull protocol. We POST the run's identity,
// signed like webhooks (HMAC-SHA256 of the body with the organization's API key), and expect
// {"verification_code": "123456"}; no code yet → ask again every interval until the time limit.
import { signBody } from '../services/webhooks/payload.ts';
import { decryptSecret } from '../services/secrets.ts';
import type { RunRow } from '../db/repositories/runs.repo.ts';
import { SecretUnavailable } from '../engine/agent/secrets.ts';
import type { ServiceDeps } from '../services/deps.ts';

export interface TotpPolling { intervalMs: number; timeoutMs: number }

export function totpUrlSource(deps: Pick<ServiceDeps, 'repos' | 'serverSecret' | 'logger'>, run: RunRow, url: string, polling: TotpPolling) {
  return async (signal: AbortSignal): Promise<string> => {
    const key = await deps.repos.organizations.latestValidKey(run.organizationId);
    const signingKey = key ? decryptSecret(deps.serverSecret, key.keyEncrypted) : undefined;
    const body = JSON.stringify({ task_id: run.runId, workflow_run_id: null, workflow_permanent_id: null });
    const deadline = Date.now() + polling.timeoutMs;
    let lastProblem = 'no code yet';
    for (;;) {
      signal.throwIfAborted();
      try {
        const headers: Record<string, string> = { 'content-type': 'application/json', 'x-skyvern-timestamp': String(Math.floor(Date.now() / 1000)) };
        if (signingKey) headers['x-skyvern-signature'] = signBody(body, signingKey);
        const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]) });
        const json = res.ok ? ((await res.json().catch(() => null)) as Record<string, unknown> | null) : null;
        const code = json?.verification_code;
        if (typeof code === 'string' && code.trim()) return code.trim();
        if (typeof code === 'number') return String(code);
        lastProblem = res.ok ? 'the response had no "verification_code"' : `HTTP ${res.status}`;
      } catch (err) {
        if (signal.aborted) throw err;
        lastProblem = (err as Error).message;
      }
      if (Date.now() + polling.intervalMs > deadline) {
        throw new SecretUnavailable('totp_code', `no verification code from totp_url within ${Math.round(polling.timeoutMs / 1000)} s (${lastProblem})`);
      }
      deps.logger.debug({ run_id: run.runId, problem: lastProblem }, 'waiting for a verification code');
      await sleep(polling.intervalMs, signal);
    }
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(); }
    signal.addEventListener('abort', done, { once: true });
  });
}
