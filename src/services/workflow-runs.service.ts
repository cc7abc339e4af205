// Starting, retrying and listing workflow runs. A run is a `runs` row of type `workflow_run`
// pointing at the exact workflow version it executes; the worker does the rest.
import { BadRequestError, NotFoundError, ValidationFailed } from '../domain/errors.ts';
import { parseDateTimeInput } from '../domain/datetime-input.ts';
import { generateId, ID_PREFIX } from '../domain/ids.ts';
import { isTerminal } from '../domain/run-status.ts';
import type { WorkflowCreateYamlRequest } from '../domain/workflow/index.ts';
import type { WorkflowRunListQuery, WorkflowRunRequest, WorkflowRunsByIdQuery } from '../contracts/workflow-runs.ts';
import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { ServiceDeps } from './deps.ts';
import { INTERNALS_KEY, splitStoredRequest, type WorkflowRunInternals } from './presenters/workflow-run.presenter.ts';
import { dispatchRun } from './run-dispatch.ts';
import { workflowNotFound } from './workflows.service.ts';
import { completeRunRequest, DEFAULT_WORKFLOW_MAX_ELAPSED_MINUTES, requireWorkflowPermanentId } from './workflows/run-request.ts';
import { describeParameterProblem, resolveRunParameters } from './workflows/run-parameters.ts';
import { checkBrowserRefs } from './browser-refs.ts';
import { parseTagFilter, tagsFromRunMetadata } from '../domain/run-tags.ts';
import type { ScriptRunRef } from '../domain/script-files.ts';

export interface StartOptions {
  /** `x-max-steps-override`: caps every task-like block of the run. */
  maxStepsOverride?: number | null;
  /** `x-user-agent`: the user agent the run's pages present. */
  userAgent?: string | null;
  retriedFrom?: string;
  /** A caller-chosen id (schedules use a deterministic one per slot, so a repeated fire hits the primary key). */
  runId?: string;
  scheduleId?: string;
  /** How the run was started (`api` unless a schedule or another trigger says otherwise). */
  triggerType?: 'manual' | 'mcp' | 'api' | 'scheduled' | 'webhook';
  /** The cached script a code run must use (`POST /v1/scripts/{id}/run`); in the row before it is queued. */
  scriptRun?: ScriptRunRef;
}

/** The `x-max-steps-override` header as a positive integer (422 naming the header otherwise). */
export function parseMaxStepsOverride(raw: unknown): number | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new ValidationFailed([{ loc: ['header', 'x-max-steps-override'], msg: 'Input should be a valid positive integer', type: 'int_parsing' }]);
  }
  return n;
}

export function workflowRunsService(deps: ServiceDeps) {
  const { runs, workflows, workflowRuns } = deps.repos;

  async function start(organizationId: string, body: WorkflowRunRequest, opts: StartOptions): Promise<RunRow> {
    const wpid = requireWorkflowPermanentId(body);
    const workflow = await workflows.latest(organizationId, wpid);
    if (!workflow) throw workflowNotFound(wpid);
    const settings = workflow.request as WorkflowCreateYamlRequest;
    const request = completeRunRequest(body, settings);
    const metadataTags = tagsFromRunMetadata(request.run_metadata as Record<string, string> | null | undefined);
    await checkBrowserRefs(deps, organizationId, request);
    const internals: WorkflowRunInternals = { retried_from_workflow_run_id: opts.retriedFrom ?? null };
    const runId = opts.runId ?? generateId(ID_PREFIX.workflowRun);
    const row = {
      runId, organizationId, runType: 'workflow_run', status: 'created', title: request.title as string,
      request: { ...request, [INTERNALS_KEY]: internals },
      maxSteps: opts.maxStepsOverride ?? null,
      maxElapsedMinutes: (request.max_elapsed_time_minutes as number | null) ?? DEFAULT_WORKFLOW_MAX_ELAPSED_MINUTES,
      webhookUrl: (request.webhook_url as string | null) ?? null,
      workflowId: workflow.workflowId, workflowPermanentId: wpid, triggerType: opts.triggerType ?? 'api', scheduleId: opts.scheduleId ?? null,
      browserSessionId: (request.browser_session_id as string | null) ?? null,
      browserProfileId: (request.browser_profile_id as string | null) ?? null,
      userAgent: opts.userAgent ?? null,
      scriptRun: opts.scriptRun ?? null,
    };
    const resolved = resolveRunParameters(settings.workflow_definition, request.parameters as Record<string, unknown>);
    if (!resolved.ok) {
      // Skyvern answers 400 and keeps the run, failed, so it shows up in run lists with its reason.
      // It is stored without its webhook: the caller already has the answer.
      const message = describeParameterProblem(resolved.problem, runId, wpid);
      const now = new Date();
      await runs.insert({ ...row, status: 'failed', webhookUrl: null, failureReason: `Setup workflow failed. failure reason: ${message}`, finishedAt: now });
      throw new BadRequestError(message);
    }
    const inserted = await runs.insert(row);
    // Tagged before it is queued, so a list filtered by these tags never misses a running run.
    if (metadataTags.length) {
      try {
        await deps.repos.runTags.apply(runId, organizationId, { set: metadataTags, remove: [], source: 'run_metadata', setBy: 'run_metadata' });
      } catch (error) {
        // The caller gets an error, so the run must not execute behind its back (the reconciler would start it).
        await runs.transition(runId, 'failed', { failureReason: `Could not record the run's run_metadata tags: ${(error as Error).message}`, webhookUrl: null }).catch(() => {});
        throw error;
      }
    }
    return dispatchRun(deps, inserted);
  }

  async function requireWorkflowRun(organizationId: string, runId: string): Promise<RunRow> {
    const run = await runs.get(organizationId, runId);
    if (!run || run.runType !== 'workflow_run') throw new NotFoundError(`Workflow run not found ${runId}`);
    return run;
  }

  return {
    start,

    /** Runs a finished run's workflow again with the same request (latest version of the workflow). */
    async retry(organizationId: string, runId: string, opts: StartOptions): Promise<RunRow> {
      const previous = await requireWorkflowRun(organizationId, runId);
      if (!isTerminal(previous.status)) {
        throw new BadRequestError(`Workflow run ${runId} is still ${previous.status}; only a finished run can be retried`);
      }
      const { request } = splitStoredRequest(previous);
      const body = { ...request, agent_id: previous.workflowPermanentId } as WorkflowRunRequest;
      return start(organizationId, body, { ...opts, retriedFrom: runId });
    },

    async list(organizationId: string, q: WorkflowRunListQuery & Partial<WorkflowRunsByIdQuery>, wpid?: string): Promise<RunRow[]> {
      if (wpid && !(await workflows.latest(organizationId, wpid))) throw workflowNotFound(wpid);
      const date = (text: string | undefined, name: string) => parseDateTimeInput(text, ['query', name]);
      return workflowRuns.list({
        organizationId, page: q.page ?? 1, pageSize: q.page_size ?? 10, workflowPermanentId: wpid, statuses: q.status,
        searchKey: q.search_key, errorCode: q.error_code, includeChildRuns: q.include_child_runs, tags: parseTagFilter(q.tags),
        createdAtStart: date(q.created_at_start, 'created_at_start'), createdAtEnd: date(q.created_at_end, 'created_at_end'),
      });
    },

    /** Titles of the workflow versions the given runs executed (for run list items). */
    async workflowTitles(list: RunRow[]): Promise<Map<string, string>> {
      const ids = [...new Set(list.map((r) => r.workflowId).filter((id): id is string => Boolean(id)))];
      return new Map((await workflows.byIds(ids)).map((w) => [w.workflowId, w.title]));
    },
  };
}
export type WorkflowRunsService = ReturnType<typeof workflowRunsService>;
