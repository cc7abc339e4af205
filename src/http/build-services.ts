import type { ServiceDeps, SharedServices } from '../services/deps.ts';
import { healthService, type HealthProbe } from '../services/health.service.ts';
import { runsService } from '../services/runs.service.ts';
import { workflowsService } from '../services/workflows.service.ts';
import { workflowRunsService } from '../services/workflow-runs.service.ts';
import { workflowTimelineService } from '../services/workflow-timeline.service.ts';
import { browserSessionsService } from '../services/browser-sessions.service.ts';
import { browserProfilesService } from '../services/browser-profiles.service.ts';
import { runTagsService } from '../services/run-tags.service.ts';
import { schedulesService, type SchedulingParts } from '../services/schedules/index.ts';
import { credentialsService } from '../services/credentials/credentials.service.ts';
import { totpCodesService, type OtpExtractor } from '../services/credentials/totp-codes.service.ts';
import { scriptsService, scriptViews, type ScriptSourceChecker } from '../services/scripts/index.ts';
import type { AppServices } from './services.ts';

/** The HTTP layer's services; the ones the worker needs too come ready-made from the core. */
export function buildAppServices(deps: ServiceDeps & SharedServices & { scheduling: SchedulingParts }, opts: { probes: HealthProbe[]; llmProblems: () => string[]; otpExtractor?: OtpExtractor; checkScriptSource: ScriptSourceChecker }): AppServices {
  const { artifacts, runViews, organizations, webhooks } = deps;
  const workflowRuns = workflowRunsService(deps);
  return {
    organizations,
    runs: runsService(deps),
    artifacts,
    runViews,
    webhooks,
    schedules: schedulesService({ config: deps.config, logger: deps.logger, workflows: deps.repos.workflows, ...deps.scheduling }),
    workflows: workflowsService(deps),
    workflowRuns,
    workflowTimeline: workflowTimelineService(deps),
    browserSessions: browserSessionsService(deps),
    browserProfiles: browserProfilesService(deps),
    credentials: credentialsService(deps),
    totpCodes: totpCodesService(deps, { extractor: opts.otpExtractor }),
    runTags: runTagsService(deps),
    scripts: scriptsService({ scripts: deps.repos.scripts, workflows: deps.repos.workflows, runs: deps.repos.runs, workflowRuns, checkSource: opts.checkScriptSource }),
    scriptViews: scriptViews({ scripts: deps.repos.scripts, workflows: deps.repos.workflows }),
    health: healthService(opts.probes, opts.llmProblems, deps),
    presentRun: (run, opts) => runViews.present(run, opts),
  };
}
