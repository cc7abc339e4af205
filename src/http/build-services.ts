import type { ServiceDeps, SharedServices } from '../services/deps.ts';
import { healthService, type HealthProbe } from '../services/health.service.ts';
import { runsService } from '../services/runs.service.ts';
import type { AppServices } from './services.ts';

/** The HTTP layer's services; the ones the worker needs too come ready-made from the core. */
export function buildAppServices(deps: ServiceDeps & SharedServices, opts: { probes: HealthProbe[]; llmProblems: () => string[] }): AppServices {
  const { artifacts, runViews, organizations, webhooks } = deps;
  return {
    organizations,
    runs: runsService(deps),
    artifacts,
    runViews,
    webhooks,
    health: healthService(opts.probes, opts.llmProblems, deps),
    presentRun: (run, opts) => runViews.present(run, opts),
  };
}
