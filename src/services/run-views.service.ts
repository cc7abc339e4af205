import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { ArtifactsService } from './artifacts.service.ts';
import type { ServiceDeps } from './deps.ts';
import { presentTaskRun } from './presenters/run.presenter.ts';

/** Builds a run's public JSON for one run type (used by `GET /v1/runs/{id}` and webhooks alike). */
export type RunPresenter = (run: RunRow) => Promise<unknown>;

/**
 * `GET /v1/runs/{id}` answers the SDK's union, chosen by the stored `run_type` (never the ID prefix).
 * Task types are built here; other run types register their presenter (workflows do).
 */
export function runViewsService(deps: Pick<ServiceDeps, 'config'>, artifacts: ArtifactsService) {
  const presenters = new Map<string, RunPresenter>();
  return {
    register(runType: string, presenter: RunPresenter) { presenters.set(runType, presenter); },
    async present(run: RunRow): Promise<unknown> {
      const custom = presenters.get(run.runType);
      if (custom) return custom(run);
      return presentTaskRun(run, await artifacts.runMedia(run.runId), deps.config.appUrl);
    },
  };
}
export type RunViewsService = ReturnType<typeof runViewsService>;
