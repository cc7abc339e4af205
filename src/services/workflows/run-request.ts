// A workflow run request, checked and completed with the workflow's own settings (what the run
// inherits when the request leaves a field out), ready to be stored and echoed as `run_request`.
import { ValidationFailed, type ValidationIssue } from '../../domain/errors.ts';
import { normalizeHttpUrl, validateBrowserAddress } from '../../domain/urls.ts';
import type { WorkflowCreateYamlRequest } from '../../domain/workflow/index.ts';
import type { WorkflowRunRequest } from '../../contracts/workflow-runs.ts';

/** Skyvern's default and ceiling for a workflow run's wall time (§2.9). */
export const DEFAULT_WORKFLOW_MAX_ELAPSED_MINUTES = 240;

export function requireWorkflowPermanentId(body: WorkflowRunRequest): string {
  const wpid = body.agent_id ?? body.workflow_id;
  if (!wpid) throw new ValidationFailed([{ loc: ['body', 'agent_id'], msg: 'Field required', type: 'missing' }]);
  return wpid;
}

function collect(issues: ValidationIssue[], fn: () => string): string | undefined {
  try { return fn(); } catch (e) { if (e instanceof ValidationFailed) { issues.push(...e.issues); return undefined; } throw e; }
}

/** Validates URLs and combinations, then fills what the run inherits from the workflow. */
export function completeRunRequest(body: WorkflowRunRequest, workflow: WorkflowCreateYamlRequest): Record<string, unknown> {
  const issues: ValidationIssue[] = [];
  const url = (field: 'webhook_url' | 'totp_url') => {
    const value = body[field];
    return value ? collect(issues, () => normalizeHttpUrl(value, ['body', field])) : value;
  };
  const webhookUrl = url('webhook_url');
  const totpUrl = url('totp_url');
  if (body.browser_address) collect(issues, () => validateBrowserAddress(body.browser_address!, ['body', 'browser_address']));
  if (body.start_fresh_browser && (body.browser_session_id || body.browser_profile_id || body.browser_address)) {
    issues.push({ loc: ['body', 'start_fresh_browser'], msg: 'start_fresh_browser cannot be combined with browser_session_id, browser_profile_id or browser_address', type: 'value_error' });
  }
  if (issues.length) throw new ValidationFailed(issues);

  const { agent_id: _agentId, ...rest } = body;
  return {
    ...rest,
    workflow_id: body.agent_id ?? body.workflow_id,
    parameters: body.parameters ?? {},
    title: body.title ?? workflow.title,
    // The request default is RESIDENTIAL, so the workflow's value only applies to an explicit null.
    proxy_location: body.proxy_location === undefined ? 'RESIDENTIAL' : (body.proxy_location ?? workflow.proxy_location ?? null),
    webhook_url: webhookUrl ?? workflow.webhook_callback_url ?? null,
    totp_url: totpUrl ?? workflow.totp_verification_url ?? null,
    totp_identifier: body.totp_identifier ?? workflow.totp_identifier ?? null,
    extra_http_headers: body.extra_http_headers ?? workflow.extra_http_headers ?? null,
    cdp_connect_headers: body.cdp_connect_headers ?? workflow.cdp_connect_headers ?? null,
    browser_profile_id: body.browser_profile_id ?? workflow.browser_profile_id ?? null,
    max_elapsed_time_minutes: body.max_elapsed_time_minutes ?? workflow.max_elapsed_time_minutes ?? null,
    max_screenshot_scrolls: body.max_screenshot_scrolls ?? workflow.max_screenshot_scrolls ?? null,
    run_with: body.run_with ?? workflow.run_with ?? 'agent',
    ai_fallback: body.ai_fallback ?? workflow.ai_fallback ?? null,
    start_fresh_browser: body.start_fresh_browser ?? false,
  };
}
