import { artifactsService } from '../services/artifacts.service.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { healthService, type HealthProbe } from '../services/health.service.ts';
import { organizationsService } from '../services/organizations.service.ts';
import { runViewsService } from '../services/run-views.service.ts';
import { runsService } from '../services/runs.service.ts';
import type { AppServices } from './services.ts';

export function buildAppServices(deps: ServiceDeps, opts: { probes: HealthProbe[]; llmProblems: () => string[] }): AppServices {
  const artifacts = artifactsService(deps);
  const runViews = runViewsService(deps, artifacts);
  return {
    organizations: organizationsService(deps),
    runs: runsService(deps),
    artifacts,
    runViews,
    health: healthService(opts.probes, opts.llmProblems, deps),
    presentRun: (run) => runViews.present(run),
  };
}
