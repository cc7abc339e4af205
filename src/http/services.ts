import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { ArtifactsService } from '../services/artifacts.service.ts';
import type { HealthService } from '../services/health.service.ts';
import type { OrganizationsService } from '../services/organizations.service.ts';
import type { RunsService } from '../services/runs.service.ts';
import type { PresentOptions, RunViewsService } from '../services/run-views.service.ts';
import type { WebhooksService } from '../services/webhooks/webhooks.service.ts';
import type { SchedulesService } from '../services/schedules/index.ts';
import type { WorkflowsService } from '../services/workflows.service.ts';
import type { WorkflowRunsService } from '../services/workflow-runs.service.ts';
import type { WorkflowTimelineService } from '../services/workflow-timeline.service.ts';
import type { BrowserSessionsService } from '../services/browser-sessions.service.ts';
import type { BrowserProfilesService } from '../services/browser-profiles.service.ts';
import type { CredentialsService } from '../services/credentials/credentials.service.ts';
import type { TotpCodesService } from '../services/credentials/totp-codes.service.ts';
import type { RunTagsService } from '../services/run-tags.service.ts';
import type { ScriptsService, ScriptViews } from '../services/scripts/index.ts';

/** What the HTTP layer may call: services only, never repositories, queues or browsers. */
export interface AppServices {
  organizations: OrganizationsService;
  runs: RunsService;
  artifacts: ArtifactsService;
  health: HealthService;
  runViews: RunViewsService;
  webhooks: WebhooksService;
  schedules: SchedulesService;
  workflows: WorkflowsService;
  workflowRuns: WorkflowRunsService;
  workflowTimeline: WorkflowTimelineService;
  browserSessions: BrowserSessionsService;
  browserProfiles: BrowserProfilesService;
  credentials: CredentialsService;
  totpCodes: TotpCodesService;
  runTags: RunTagsService;
  scripts: ScriptsService;
  scriptViews: ScriptViews;
  /** Builds `GET /v1/runs/{id}`'s body for any run type (the SDK's union, chosen by `run_type`). */
  presentRun(run: RunRow, opts?: PresentOptions): Promise<unknown>;
}
