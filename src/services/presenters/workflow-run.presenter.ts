import type { WorkflowRun, WorkflowRunResponse } from '../../contracts/workflow-runs.ts';
import type { RunRow } from '../../db/repositories/runs.repo.ts';
import { toWireTime, toWireTimeRequired } from '../../domain/time.ts';
import { maskHeaderValues } from '../../domain/urls.ts';
import type { RunMedia } from '../artifacts.service.ts';
import { baseRunFields, presentScriptRun } from './run.presenter.ts';

/** Server-only facts kept next to the echoed request; never shown as part of `run_request`. */
export interface WorkflowRunInternals {
  retried_from_workflow_run_id?: string | null;
  /** How the browser was seeded (`own_memory` when persisted state was loaded). */
  browser_seed_source?: WorkflowRunResponse['browser_seed_source'];
}
export const INTERNALS_KEY = '_skyport';

type StoredRequest = Record<string, unknown> & { [INTERNALS_KEY]?: WorkflowRunInternals };

export function splitStoredRequest(run: RunRow): { request: Record<string, unknown>; internals: WorkflowRunInternals } {
  const { [INTERNALS_KEY]: internals = {}, ...request } = run.request as StoredRequest;
  return { request, internals };
}

/** `GET /v1/runs/{wr_…}`, the submit response and webhook payloads. */
export function presentWorkflowRunResponse(run: RunRow, media: RunMedia | undefined, appUrl: string): WorkflowRunResponse {
  const { request, internals } = splitStoredRequest(run);
  return {
    ...baseRunFields(run, media, appUrl),
    run_type: 'workflow_run',
    run_with: (request.run_with as string | null | undefined) ?? 'agent',
    ai_fallback: (request.ai_fallback as boolean | null | undefined) ?? null,
    script_id: run.scriptRun?.script_id ?? null,
    browser_seed_source: internals.browser_seed_source ?? null,
    run_request: {
      ...request,
      workflow_id: run.workflowPermanentId,
      cdp_connect_headers: maskHeaderValues(request.cdp_connect_headers as Record<string, string> | null) ?? null,
    },
  };
}

/** An item of `GET /v1/agents/runs` and `GET /v1/agents/{id}/runs`. */
export function presentWorkflowRun(run: RunRow, workflowTitle: string | null): WorkflowRun {
  const { request, internals } = splitStoredRequest(run);
  const field = <T>(name: string): T | null => (request[name] as T | undefined) ?? null;
  return {
    workflow_run_id: run.runId,
    workflow_id: run.workflowId ?? '',
    workflow_permanent_id: run.workflowPermanentId ?? '',
    organization_id: run.organizationId,
    status: run.status as WorkflowRun['status'],
    browser_session_id: run.browserSessionId,
    browser_profile_id: run.browserProfileId,
    browser_seed_source: internals.browser_seed_source ?? null,
    browser_sink_profile_id: null,
    start_fresh_browser: field<boolean>('start_fresh_browser') ?? false,
    reuse_browser_session: field<boolean>('reuse_browser_session'),
    debug_session_id: null,
    extra_http_headers: field('extra_http_headers'),
    cdp_connect_headers: maskHeaderValues(field<Record<string, string>>('cdp_connect_headers')) ?? null,
    proxy_location: field('proxy_location'),
    webhook_callback_url: run.webhookUrl ?? field<string>('webhook_url'),
    webhook_failure_reason: run.webhookFailureReason,
    totp_verification_url: field('totp_url'),
    totp_identifier: field('totp_identifier'),
    failure_reason: run.failureReason,
    failure_category: null,
    retried_from_workflow_run_id: internals.retried_from_workflow_run_id ?? null,
    fallback_attempt: null,
    parent_workflow_run_id: run.parentRunId,
    workflow_title: workflowTitle,
    max_screenshot_scrolls: field('max_screenshot_scrolls'),
    max_elapsed_time_minutes: run.maxElapsedMinutes,
    browser_address: field('browser_address'),
    run_with: field<string>('run_with') ?? 'agent',
    script_run: presentScriptRun(run),
    job_id: null,
    depends_on_workflow_run_id: null,
    sequential_key: null,
    sequential_credential_id: null,
    ai_fallback: field('ai_fallback'),
    code_gen: null,
    trigger_type: run.triggerType as WorkflowRun['trigger_type'],
    workflow_schedule_id: run.scheduleId,
    ignore_inherited_workflow_system_prompt: false,
    copilot_session_id: null,
    credits_used: 0,
    cached_credits_used: 0,
    queued_at: toWireTime(run.queuedAt),
    started_at: toWireTime(run.startedAt),
    finished_at: toWireTime(run.finishedAt),
    created_at: toWireTimeRequired(run.createdAt),
    modified_at: toWireTimeRequired(run.modifiedAt),
  };
}

/** Registered on the run views for `workflow_run`, so `GET /v1/runs/{id}` and webhooks answer `WorkflowRunResponse`. */
export function workflowRunView(artifacts: { runMedia(runId: string): Promise<RunMedia> }, appUrl: string) {
  return async (run: RunRow, opts: { justCreated?: boolean } = {}) =>
    presentWorkflowRunResponse(run, opts.justCreated ? undefined : await artifacts.runMedia(run.runId), appUrl);
}
