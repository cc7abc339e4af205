// What the run viewer (src/ui/) shows, read for one organization: runs to list, one run with
// everything it left (steps, their artifacts as signed links, workflow blocks, webhook attempts),
// and the few actions a person takes on a run. Every read is scoped by the caller's organization.
import { NotFoundError } from '../../domain/errors.ts';
import { parseTagFilter } from '../../domain/run-tags.ts';
import type { ArtifactRow } from '../../db/repositories/artifacts.repo.ts';
import type { RunRow } from '../../db/repositories/runs.repo.ts';
import type { ServiceDeps, SharedServices } from '../deps.ts';
import type { RunsService } from '../runs.service.ts';
import type { WorkflowRunsService } from '../workflow-runs.service.ts';
import type { RunDetail, RunListFilters, RunListPage, StepArtifact } from './types.ts';

export const RUNS_PER_PAGE = 25;

export function runViewerService(
  deps: Pick<ServiceDeps, 'repos'> & Pick<SharedServices, 'artifacts' | 'webhooks'>,
  actions: { runs: RunsService; workflowRuns: WorkflowRunsService },
) {
  const { runs, steps, workflowRunBlocks, artifacts: artifactRows } = deps.repos;

  async function requireRun(organizationId: string, runId: string): Promise<RunRow> {
    const run = await runs.get(organizationId, runId);
    if (!run) throw new NotFoundError(`Run not found ${runId}`);
    return run;
  }

  const link = (a: ArtifactRow): StepArtifact => ({ artifactId: a.artifactId, type: a.artifactType, url: deps.artifacts.signedUrl(a), createdAt: a.createdAt });

  return {
    async listRuns(organizationId: string, f: RunListFilters): Promise<RunListPage> {
      // One row more than a page tells whether there is a next page, without counting the table.
      const rows = await runs.list({
        organizationId, page: f.page, pageSize: RUNS_PER_PAGE + 1, topLevelOnly: true,
        statuses: f.status ? [f.status] : undefined, runTypes: f.type ? [f.type] : undefined,
        workflowPermanentIds: f.workflow ? [f.workflow] : undefined, searchKey: f.search || undefined,
        tags: f.tag ? parseTagFilter([f.tag]) : undefined, createdFrom: f.from, createdBefore: f.before,
      });
      return { runs: rows.slice(0, RUNS_PER_PAGE), hasMore: rows.length > RUNS_PER_PAGE };
    },

    async runDetail(organizationId: string, runId: string): Promise<RunDetail> {
      const run = await requireRun(organizationId, runId);
      const [stepRows, artifactList, blocks, deliveries, media] = await Promise.all([
        steps.listForRun(runId),
        artifactRows.listForRun(organizationId, runId),
        run.runType === 'workflow_run' ? workflowRunBlocks.listForRun(organizationId, runId) : Promise.resolve([]),
        deps.webhooks.listDeliveries(organizationId, runId),
        deps.artifacts.runMedia(runId, { apiLinks: true }),
      ]);
      const byStep = new Map<string, StepArtifact[]>();
      const runLevel: StepArtifact[] = [];
      for (const a of artifactList) {
        if (a.stepId) byStep.set(a.stepId, [...(byStep.get(a.stepId) ?? []), link(a)]);
        else runLevel.push(link(a));
      }
      return {
        run,
        steps: stepRows.map((step) => ({ step, artifacts: byStep.get(step.stepId) ?? [] })),
        blocks,
        runArtifacts: runLevel,
        deliveries,
        media,
      };
    },

    /** What a live page compares to know whether to redraw: cheap, one indexed row. */
    async fingerprint(organizationId: string, runId: string): Promise<string> {
      const run = await requireRun(organizationId, runId);
      return `${run.status}|${run.stepCount}|${run.modifiedAt.getTime()}`;
    },

    async cancel(organizationId: string, runId: string): Promise<void> {
      await actions.runs.cancel(organizationId, runId);
    },

    async retryWebhook(organizationId: string, runId: string) {
      await requireRun(organizationId, runId);
      return deps.webhooks.replay(organizationId, runId);
    },

    /** Runs the same request again as a new run; returns its ID. */
    async rerun(organizationId: string, runId: string): Promise<string> {
      const run = await requireRun(organizationId, runId);
      if (run.runType === 'workflow_run') return (await actions.workflowRuns.retry(organizationId, runId, { userAgent: run.userAgent })).runId;
      return (await actions.runs.createTaskRun(organizationId, run.request as never, { userAgent: run.userAgent ?? undefined })).runId;
    },
  };
}

export type RunViewerService = ReturnType<typeof runViewerService>;
