import { readFileSync } from 'node:fs';
import type { ServiceDeps } from './deps.ts';

const PACKAGE_VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

/** One dependency readiness waits on: Postgres, Redis, the artifact store. */
export interface HealthProbe { name: string; check(): Promise<void> }

/** A probe that has not answered by then counts as failed (a black-holed host must not hang the check). */
const PROBE_TIMEOUT_MS = 3_000;
/** What /health says where it used to report a dependency: it no longer checks them. */
const NOT_CHECKED = 'not checked here: GET /health/ready';

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export function healthService(probes: HealthProbe[], llmProblems: () => string[], deps: Pick<ServiceDeps, 'config'>, opts: { probeTimeoutMs?: number } = {}) {
  const llm = () => (llmProblems().length ? llmProblems() : 'ok');
  return {
    /** Every value a string: the SDK's model for this response is a string map. */
    version(): Record<string, string> {
      const problems = llmProblems();
      return {
        version: PACKAGE_VERSION,
        server: 'skyport',
        llm: problems.length ? `misconfigured: ${problems.join('; ')}` : 'ok',
      };
    },
    /**
     * Liveness (`GET /health`): the process answers. Same keys as before readiness moved out,
     * but nothing is checked, so a Postgres or Redis outage never gets the process restarted.
     */
    live() {
      const results: Record<string, string> = {};
      for (const p of probes) results[p.name] = NOT_CHECKED;
      return { ok: true, ...results, llm: llm(), port: String(deps.config.port) };
    },
    /** Readiness (`GET /health/ready`): every dependency answers; `failed` names those that did not. */
    async ready() {
      const timeoutMs = opts.probeTimeoutMs ?? PROBE_TIMEOUT_MS;
      const outcomes = await Promise.all(probes.map(async (p) => {
        try { await withTimeout(p.check(), timeoutMs); return [p.name, 'ok'] as const; } catch (err) { return [p.name, (err as Error).message || String(err)] as const; }
      }));
      const failed = outcomes.filter(([, v]) => v !== 'ok').map(([name]) => name);
      return { ok: failed.length === 0, ...(failed.length ? { failed } : {}), ...Object.fromEntries(outcomes) };
    },
  };
}
export type HealthService = ReturnType<typeof healthService>;
