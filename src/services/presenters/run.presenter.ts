import type { RunRow } from '../../db/repositories/runs.repo.ts';
import type { ScriptRunResponse, TaskRunListItem, TaskRunResponse } from '../../contracts/runs.ts';
import { toWireTime, toWireTimeRequired } from '../../domain/time.ts';
import { maskHeaderValues } from '../../domain/urls.ts';
import type { RunMedia } from '../artifacts.service.ts';

/** `output` may be an object, array, string or null; never a bare number or boolean (the SDK's union). */
export function wireOutput(value: unknown): TaskRunResponse['output'] {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value as TaskRunResponse['output'];
}

/** `script_run` of full run responses: the cached script the run uses, as the engine last recorded it. */
export function presentScriptRun(run: RunRow): ScriptRunResponse | null {
  const ref = run.scriptRun;
  if (!ref) return null;
  return { script_id: ref.script_id ?? null, script_revision_id: ref.script_revision_id ?? null, ai_fallback_triggered: ref.ai_fallback_triggered === true };
}

/** Fields shared by task and workflow run responses. */
export function baseRunFields(run: RunRow, media: RunMedia | undefined, appUrl: string) {
  return {
    run_id: run.runId,
    status: run.status as TaskRunResponse['status'],
    output: wireOutput(run.output),
    downloaded_files: media?.downloadedFiles ?? [],
    recording_url: media?.recordingUrl ?? null,
    recording_archived: false,
    screenshot_urls: media?.screenshotUrls ?? null,
    failure_reason: run.failureReason,
    created_at: toWireTimeRequired(run.createdAt),
    modified_at: toWireTimeRequired(run.modifiedAt),
    queued_at: toWireTime(run.queuedAt),
    started_at: toWireTime(run.startedAt),
    finished_at: toWireTime(run.finishedAt),
    app_url: `${appUrl}/runs/${run.runId}`,
    browser_session_id: run.browserSessionId,
    browser_profile_id: run.browserProfileId,
    max_screenshot_scrolls: ((run.request as Record<string, unknown>).max_screenshot_scrolls as number | null | undefined) ?? null,
    script_run: presentScriptRun(run),
    errors: (run.errors as Record<string, unknown>[] | null) ?? [],
    step_count: run.stepCount,
  };
}

export function presentTaskRun(run: RunRow, media: RunMedia | undefined, appUrl: string): TaskRunResponse {
  const request = run.request as Record<string, unknown>;
  return {
    ...baseRunFields(run, media, appUrl),
    run_type: run.runType as TaskRunResponse['run_type'],
    run_request: { ...request, cdp_connect_headers: maskHeaderValues(request.cdp_connect_headers as Record<string, string> | null) },
  };
}

export function presentRunListItem(run: RunRow): TaskRunListItem {
  return {
    // Skyvern keeps a separate `tr_` index row per run; ours is the run itself, so the ID is derived.
    task_run_id: `tr_${run.runId.slice(run.runId.lastIndexOf('_') + 1)}`,
    run_id: run.runId,
    task_run_type: run.runType as TaskRunListItem['task_run_type'],
    status: run.status,
    title: run.title,
    started_at: toWireTime(run.startedAt),
    finished_at: toWireTime(run.finishedAt),
    created_at: toWireTimeRequired(run.createdAt),
    workflow_permanent_id: run.workflowPermanentId,
    workflow_deleted: false,
    // Skyvern's list collapses the script run to "did it use a script".
    script_run: run.scriptRun != null,
    trigger_type: run.triggerType,
  };
}
