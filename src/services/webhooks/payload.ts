import { createHmac } from 'node:crypto';
import type { RunRow } from '../../db/repositories/runs.repo.ts';

// Skyvern's receivers get the run's public JSON plus the legacy fields of the older task and
// workflow responses (later keys win, so the run view overrides a legacy field of the same name).
// Task payloads leave out `run_request`, as Skyvern's do.

type View = Record<string, unknown>;

function taskV1Legacy(run: RunRow, view: View): View {
  const screenshots = (view.screenshot_urls as string[] | null) ?? null;
  const files = (view.downloaded_files as { url: string }[] | null) ?? [];
  return {
    task_id: run.runId,
    extracted_information: view.output ?? null,
    action_screenshot_urls: screenshots,
    screenshot_url: screenshots?.[0] ?? null,
    browser_console_log_url: null,
    downloaded_file_urls: files.map((f) => f.url),
    failure_category: null,
    webhook_failure_reason: run.webhookFailureReason,
    max_steps_per_run: run.maxSteps,
    workflow_run_id: null,
  };
}

function taskV2Legacy(run: RunRow, view: View): View {
  const request = run.request as Record<string, unknown>;
  return {
    task_id: run.runId,
    organization_id: run.organizationId,
    workflow_run_id: null,
    workflow_id: null,
    workflow_permanent_id: null,
    prompt: request.prompt ?? null,
    url: request.url ?? null,
    summary: null,
    output: view.output ?? null,
    proxy_location: request.proxy_location ?? null,
    webhook_callback_url: run.webhookUrl,
    webhook_failure_reason: run.webhookFailureReason,
    totp_verification_url: request.totp_url ?? null,
    totp_identifier: request.totp_identifier ?? null,
    extracted_information_schema: request.data_extraction_schema ?? null,
    error_code_mapping: request.error_code_mapping ?? null,
    max_steps: run.maxSteps,
  };
}

function workflowLegacy(run: RunRow, view: View): View {
  const runRequest = (view.run_request as Record<string, unknown> | null) ?? {};
  return {
    workflow_id: run.workflowPermanentId ?? runRequest.workflow_id ?? null,
    workflow_run_id: run.runId,
    webhook_callback_url: run.webhookUrl,
    webhook_failure_reason: run.webhookFailureReason,
    parameters: runRequest.parameters ?? {},
    outputs: view.output ?? null,
    total_steps: run.stepCount,
    total_cost: null,
    workflow_title: runRequest.title ?? run.title,
  };
}

/** The webhook body as an object: the run view merged over the legacy fields of its run type. */
export function webhookPayload(run: RunRow, view: unknown): View {
  const v = (view ?? {}) as View;
  if (run.runType === 'workflow_run') return { ...workflowLegacy(run, v), ...v };
  const legacy = run.runType === 'task_v2' ? taskV2Legacy(run, v) : taskV1Legacy(run, v);
  const { run_request: _omitted, ...rest } = v;
  return { ...legacy, ...rest };
}

/** Compact JSON, as Python's `json.dumps(separators=(",", ":"), ensure_ascii=False)` writes it. */
export const serializePayload = (payload: unknown): string => JSON.stringify(payload);

export function signBody(body: string, key: string): string {
  return createHmac('sha256', key).update(body, 'utf8').digest('hex');
}

/** Headers of one attempt: the signature covers the body bytes only; the timestamp is per attempt. */
export function webhookHeaders(body: string, key: string, deliveryId: string, attempt: number, now = new Date()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-skyvern-signature': signBody(body, key),
    'x-skyvern-timestamp': String(Math.floor(now.getTime() / 1000)),
    'idempotency-key': deliveryId,
    'x-skyport-delivery-id': deliveryId,
    'x-skyport-attempt': String(attempt),
    'user-agent': 'Skyport-Webhooks/1',
  };
}
