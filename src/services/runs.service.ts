import { BadRequestError, NotFoundError, ValidationFailed, type ValidationIssue } from '../domain/errors.ts';
import { parseTagFilter } from '../domain/run-tags.ts';
import { generateId, ID_PREFIX } from '../domain/ids.ts';
import { ENGINE_RUN_TYPE, isTerminal, type RunEngine } from '../domain/run-status.ts';
import { maskHeaderValues, normalizeHttpUrl, validateBrowserAddress } from '../domain/urls.ts';
import type { TaskRunRequest } from '../contracts/runs.ts';
import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { ServiceDeps } from './deps.ts';
import { checkBrowserRefs } from './browser-refs.ts';
import { dispatchRun } from './run-dispatch.ts';

// Engines this server can execute; the others are in the contract but answer 400 until built.
const SUPPORTED_ENGINES: readonly RunEngine[] = ['skyvern-1.0', 'skyvern-2.0'];

function collect(issues: ValidationIssue[], fn: () => unknown) {
  try { return fn(); } catch (e) { if (e instanceof ValidationFailed) { issues.push(...e.issues); return undefined; } throw e; }
}

/** Checks the request beyond its schema and returns it with defaults applied and URLs normalized. */
export function normalizeTaskRequest(body: TaskRunRequest): TaskRunRequest {
  const issues: ValidationIssue[] = [];
  const out: TaskRunRequest = { ...body };
  if (body.url) out.url = collect(issues, () => normalizeHttpUrl(body.url!, ['body', 'url'])) as string;
  if (body.webhook_url) out.webhook_url = collect(issues, () => normalizeHttpUrl(body.webhook_url!, ['body', 'webhook_url'])) as string;
  if (body.totp_url) out.totp_url = collect(issues, () => normalizeHttpUrl(body.totp_url!, ['body', 'totp_url'])) as string;
  if (body.browser_address) collect(issues, () => validateBrowserAddress(body.browser_address!, ['body', 'browser_address']));
  if (body.start_fresh_browser && (body.browser_session_id || body.browser_profile_id || body.browser_address)) {
    issues.push({ loc: ['body', 'start_fresh_browser'], msg: 'start_fresh_browser cannot be combined with browser_session_id, browser_profile_id or browser_address', type: 'value_error' });
  }
  if (issues.length) throw new ValidationFailed(issues);
  out.engine = body.publish_workflow ? 'skyvern-2.0' : (body.engine ?? 'skyvern-1.0');
  out.proxy_location = body.proxy_location === undefined ? 'RESIDENTIAL' : body.proxy_location;
  return out;
}

export function runsService(deps: ServiceDeps) {
  const { runs } = deps.repos;

  async function requireRun(organizationId: string, runId: string, message: string): Promise<RunRow> {
    const run = await runs.get(organizationId, runId);
    if (!run) throw new NotFoundError(`${message} ${runId}`);
    return run;
  }

  async function cancel(organizationId: string, runId: string): Promise<void> {
    const run = await requireRun(organizationId, runId, 'Run not found');
    if (isTerminal(run.status)) return; // Cancelling a finished run changes nothing and sends nothing.
    const canceled = await runs.transition(run.runId, 'canceled', { failureReason: run.failureReason });
    if (!canceled) return;
    await deps.runQueue.discard(run.runId).catch(() => {});
    await deps.cancelBus.publish(run.runId).catch((err) => deps.logger.warn({ err, run_id: run.runId }, 'cancel publish failed'));
    await deps.hooks.onTerminal(canceled);
  }

  return {
    /** `userAgent` is the caller's `x-user-agent` header: the user agent the run's pages present. */
    async createTaskRun(organizationId: string, body: TaskRunRequest, opts: { userAgent?: string } = {}): Promise<RunRow> {
      const request = normalizeTaskRequest(body);
      await checkBrowserRefs(deps, organizationId, request);
      const engine = request.engine as RunEngine;
      if (!SUPPORTED_ENGINES.includes(engine)) throw new BadRequestError(`Invalid agent engine: ${engine} is not supported by this server; use skyvern-1.0 or skyvern-2.0`);
      const runType = ENGINE_RUN_TYPE[engine];
      const runId = generateId(runType === 'task_v2' ? ID_PREFIX.taskV2 : ID_PREFIX.task);
      const maxSteps = request.max_steps ?? deps.config.maxStepsPerRun;
      const echoed = { ...request, max_steps: maxSteps, cdp_connect_headers: maskHeaderValues(request.cdp_connect_headers) };
      const run = await runs.insert({
        runId, organizationId, runType, status: 'created', title: request.title ?? null,
        request: { ...echoed, cdp_connect_headers: request.cdp_connect_headers },
        maxSteps, webhookUrl: request.webhook_url ?? null, triggerType: 'api',
        browserSessionId: request.browser_session_id ?? null, browserProfileId: request.browser_profile_id ?? null,
        maxElapsedMinutes: deps.config.taskMaxElapsedMinutes, userAgent: opts.userAgent ?? null,
      });
      return dispatchRun(deps, run);
    },

    async getRun(organizationId: string, runId: string): Promise<RunRow> {
      return requireRun(organizationId, runId, 'Task run not found');
    },

    async listRuns(organizationId: string, q: { page?: number; page_size?: number; status?: string[]; run_type?: string[]; workflow_permanent_id?: string[]; search_key?: string; tags?: string[] }) {
      return runs.list({
        organizationId, page: q.page ?? 1, pageSize: q.page_size ?? 10, statuses: q.status, runTypes: q.run_type,
        workflowPermanentIds: q.workflow_permanent_id, searchKey: q.search_key, topLevelOnly: true, tags: parseTagFilter(q.tags),
      });
    },

    cancel,

    async bulkCancel(organizationId: string, runIds: string[]): Promise<{ cancelled: string[]; failed: string[] }> {
      const unique = [...new Set(runIds)];
      const results = await Promise.allSettled(unique.map((id) => cancel(organizationId, id)));
      return {
        cancelled: unique.filter((_, i) => results[i].status === 'fulfilled'),
        failed: unique.filter((_, i) => results[i].status === 'rejected'),
      };
    },
  };
}
export type RunsService = ReturnType<typeof runsService>;
