import type { SessionHosts } from '../queue/session-hosts.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import type { ArtifactStore } from '../artifacts/store.ts';
import type { OrganizationsRepo } from '../db/repositories/organizations.repo.ts';
import type { RunsRepo, RunRow } from '../db/repositories/runs.repo.ts';
import type { StepsRepo } from '../db/repositories/steps.repo.ts';
import type { ArtifactsRepo } from '../db/repositories/artifacts.repo.ts';
import type { RunSlotsRepo } from '../db/repositories/run-slots.repo.ts';
import type { WebhooksRepo } from '../db/repositories/webhooks.repo.ts';
import type { WorkflowsRepo } from '../db/repositories/workflows.repo.ts';
import type { WorkflowRunBlocksRepo } from '../db/repositories/workflow-run-blocks.repo.ts';
import type { WorkflowRunsRepo } from '../db/repositories/workflow-runs.repo.ts';
import type { CredentialsRepo } from '../db/repositories/credentials.repo.ts';
import type { TotpCodesRepo } from '../db/repositories/totp-codes.repo.ts';
import type { RunTagsRepo } from '../db/repositories/run-tags.repo.ts';
import type { ScriptsRepo } from '../db/repositories/scripts.repo.ts';
import type { StatsRepo } from '../db/repositories/stats.repo.ts';
import type { RunQueue } from '../queue/run-queue.ts';
import type { RunEventsBus } from '../queue/run-events.ts';
import type { CancelBus } from '../queue/cancel-bus.ts';
import type { BrowserSessionQueue } from '../queue/browser-session-queue.ts';
import type { SessionControl } from '../queue/session-control.ts';
import type { BrowserSessionsRepo } from '../db/repositories/browser-sessions.repo.ts';
import type { BrowserProfilesRepo } from '../db/repositories/browser-profiles.repo.ts';
import type { ArtifactsService } from './artifacts.service.ts';
import type { OrganizationsService } from './organizations.service.ts';
import type { RunViewsService } from './run-views.service.ts';
import type { WebhooksService } from './webhooks/webhooks.service.ts';

export interface Repos {
  organizations: OrganizationsRepo;
  runs: RunsRepo;
  steps: StepsRepo;
  artifacts: ArtifactsRepo;
  webhooks: WebhooksRepo;
  runSlots: RunSlotsRepo;
  workflows: WorkflowsRepo;
  workflowRunBlocks: WorkflowRunBlocksRepo;
  workflowRuns: WorkflowRunsRepo;
  credentials: CredentialsRepo;
  totpCodes: TotpCodesRepo;
  runTags: RunTagsRepo;
  browserSessions: BrowserSessionsRepo;
  browserProfiles: BrowserProfilesRepo;
  scripts: ScriptsRepo;
  /** Cluster-wide counts for metrics. */
  stats: StatsRepo;
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
  /** Live updates for the run viewer (best effort). */
  runEvents: RunEventsBus;
  /** Persistent browser sessions waiting for a worker, and messages to the worker holding one. */
  browserSessionQueue: BrowserSessionQueue;
  sessionControl: SessionControl;
  /** Which worker process holds each running session (its runs execute there). */
  sessionHosts: SessionHosts;
  artifactStore: ArtifactStore;
  /** Signs artifact URLs and seals stored API keys. */
  serverSecret: string;
  hooks: RunLifecycleHooks;
}

/** Services both process roles use, built once per process in composition (one run view for API and webhooks). */
export interface SharedServices {
  artifacts: ArtifactsService;
  runViews: RunViewsService;
  organizations: OrganizationsService;
  webhooks: WebhooksService;
}
