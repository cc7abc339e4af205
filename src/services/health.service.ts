import { readFileSync } from 'node:fs';
import type { ServiceDeps } from './deps.ts';

const PACKAGE_VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

export interface HealthProbe { name: string; check(): Promise<void> }

export function healthService(probes: HealthProbe[], llmProblems: () => string[], deps: Pick<ServiceDeps, 'config'>) {
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
    async check() {
      const results: Record<string, string> = {};
      let ok = true;
      for (const p of probes) {
        try { await p.check(); results[p.name] = 'ok'; } catch (err) { ok = false; results[p.name] = (err as Error).message; }
      }
      return { ok, ...results, llm: llmProblems().length ? llmProblems() : 'ok', port: String(deps.config.port) };
    },
  };
}
export type HealthService = ReturnType<typeof healthService>;
