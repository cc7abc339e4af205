import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { ArtifactsService } from './artifacts.service.ts';
import type { ServiceDeps } from './deps.ts';
import { presentTaskRun } from './presenters/run.presenter.ts';

/** Builds a run's public JSON for one run type (used by `GET /v1/runs/{id}` and webhooks alike). */
export type RunPresenter = (run: RunRow, opts?: PresentOptions) => Promise<unknown>;

/** `justCreated`: the run has no artifacts yet, so the submit response skips looking for them. */
export interface PresentOptions { justCreated?: boolean }

const NO_MEDIA = { screenshotUrls: [], recordingUrl: null, downloadedFiles: [] };

/**
 * `GET /v1/runs/{id}` answers the SDK's union, chosen by the stored `run_type` (never the ID prefix).
 * Task types are built here; other run types register their presenter (workflows do).
 */
export function runViewsService(deps: Pick<ServiceDeps, 'config'>, artifacts: ArtifactsService) {
  const presenters = new Map<string, RunPresenter>();
  return {
    register(runType: string, presenter: RunPresenter) { presenters.set(runType, presenter); },
    async present(run: RunRow, opts: PresentOptions = {}): Promise<unknown> {
      const custom = presenters.get(run.runType);
      if (custom) return custom(run, opts);
      const media = opts.justCreated ? NO_MEDIA : await artifacts.runMedia(run.runId);
      return presentTaskRun(run, media, deps.config.appUrl);
    },
  };
}
export type RunViewsService = ReturnType<typeof runViewsService>;
