import type { RunRow } from '../db/repositories/runs.repo.ts';
import { artifactsService } from '../services/artifacts.service.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { healthService, type HealthProbe } from '../services/health.service.ts';
import { organizationsService } from '../services/organizations.service.ts';
import { runsService } from '../services/runs.service.ts';
import { presentTaskRun } from './presenters/run.presenter.ts';
import type { AppServices } from './services.ts';

export type RunPresenter = (run: RunRow, services: AppServices) => Promise<unknown>;

export function buildAppServices(deps: ServiceDeps, opts: { probes: HealthProbe[]; llmProblems: () => string[]; presenters?: Record<string, RunPresenter> }): AppServices {
  const artifacts = artifactsService(deps);
  const services: AppServices = {
    organizations: organizationsService(deps),
    runs: runsService(deps),
    artifacts,
    health: healthService(opts.probes, opts.llmProblems, deps),
    async presentRun(run) {
      const custom = opts.presenters?.[run.runType];
      if (custom) return custom(run, services);
      return presentTaskRun(run, await artifacts.runMedia(run.runId), deps.config.appUrl);
    },
  };
  return services;
}
