import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { ArtifactStore } from '../artifacts/store.ts';
import type { OrganizationsRepo } from '../db/repositories/organizations.repo.ts';
import type { RunsRepo, RunRow } from '../db/repositories/runs.repo.ts';
import type { StepsRepo } from '../db/repositories/steps.repo.ts';
import type { ArtifactsRepo } from '../db/repositories/artifacts.repo.ts';
import type { RunQueue } from '../queue/run-queue.ts';
import type { CancelBus } from '../queue/cancel-bus.ts';

export interface Repos {
  organizations: OrganizationsRepo;
  runs: RunsRepo;
  steps: StepsRepo;
  artifacts: ArtifactsRepo;
}

/** Things that happen after a run reaches a terminal status (webhooks, freeing a concurrency slot). */
export interface RunLifecycleHooks {
  onTerminal(run: RunRow): Promise<void>;
}

/** Everything a service needs, built once in an entry point and passed down explicitly. */
export interface ServiceDeps {
  config: Config;
  logger: Logger;
  repos: Repos;
  runQueue: RunQueue;
  cancelBus: CancelBus;
  artifactStore: ArtifactStore;
  /** Signs artifact URLs and seals stored API keys. */
  serverSecret: string;
  hooks: RunLifecycleHooks;
}
