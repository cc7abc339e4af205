// Wire shapes of workflow runs: the run request, the run response, run list items and the timeline.
import { Type, type Static } from 'typebox';
import { AnyObject, Nullable, StringMap } from './common.ts';
import { ProxyLocationInput, RunStatusSchema, ScriptRunResponse, baseRunResponseFields } from './runs.ts';

const opt = Type.Optional;
const str = () => opt(Nullable(Type.String()));

export const BROWSER_SEED_SOURCES = ['override', 'picked', 'own_memory', 'credential', 'fresh', 'degraded_fresh'] as const;
const BrowserSeedSource = Type.Enum([...BROWSER_SEED_SOURCES], { title: 'BrowserSeedSource' });
export const TRIGGER_TYPES = ['manual', 'mcp', 'api', 'scheduled', 'webhook'] as const;

/** `agent_id` or its alias `workflow_id` (the service insists on one of them). */
export const WorkflowRunRequest = Type.Object({
  agent_id: str(),
  workflow_id: str(),
  parameters: opt(Nullable(AnyObject)),
  title: str(),
  proxy_location: opt(ProxyLocationInput),
  webhook_url: str(),
  totp_url: str(),
  totp_identifier: str(),
  browser_session_id: str(),
  reuse_browser_session: opt(Nullable(Type.Boolean())),
  browser_profile_id: str(),
  start_fresh_browser: opt(Type.Boolean()),
  max_screenshot_scrolls: opt(Nullable(Type.Integer())),
  max_elapsed_time_minutes: opt(Nullable(Type.Integer({ minimum: 1, maximum: 480 }))),
  extra_http_headers: opt(Nullable(StringMap)),
  cdp_connect_headers: opt(Nullable(StringMap)),
  browser_address: str(),
  ai_fallback: opt(Nullable(Type.Boolean())),
  run_with: str(),
  run_metadata: opt(Nullable(StringMap)),
}, { title: 'WorkflowRunRequest' });
export type WorkflowRunRequest = Static<typeof WorkflowRunRequest>;

export const RunAgentQuery = Type.Object({ template: opt(Type.Boolean({ default: false })) });

export const WorkflowRunResponse = Type.Object({
  ...baseRunResponseFields,
  run_type: Type.Literal('workflow_run'),
  run_with: opt(Type.String()),
  ai_fallback: opt(Nullable(Type.Boolean())),
  script_id: str(),
  browser_seed_source: opt(Nullable(BrowserSeedSource)),
  run_request: opt(Nullable(AnyObject)),
}, { title: 'WorkflowRunResponse' });
export type WorkflowRunResponse = Static<typeof WorkflowRunResponse>;

export const WorkflowRun = Type.Object({
  workflow_run_id: Type.String(),
  workflow_id: Type.String(),
  workflow_permanent_id: Type.String(),
  organization_id: Type.String(),
  status: RunStatusSchema,
  browser_session_id: str(),
  browser_profile_id: str(),
  browser_seed_source: opt(Nullable(BrowserSeedSource)),
  browser_sink_profile_id: str(),
  start_fresh_browser: opt(Nullable(Type.Boolean())),
  reuse_browser_session: opt(Nullable(Type.Boolean())),
  debug_session_id: str(),
  extra_http_headers: opt(Nullable(StringMap)),
  cdp_connect_headers: opt(Nullable(StringMap)),
  proxy_location: opt(ProxyLocationInput),
  webhook_callback_url: str(),
  webhook_failure_reason: str(),
  totp_verification_url: str(),
  totp_identifier: str(),
  failure_reason: str(),
  failure_category: opt(Nullable(Type.Array(AnyObject))),
  retried_from_workflow_run_id: str(),
  fallback_attempt: opt(Nullable(Type.Integer())),
  parent_workflow_run_id: str(),
  workflow_title: str(),
  max_screenshot_scrolls: opt(Nullable(Type.Integer())),
  max_elapsed_time_minutes: opt(Nullable(Type.Integer())),
  browser_address: str(),
  run_with: str(),
  script_run: opt(Nullable(ScriptRunResponse)),
  job_id: str(),
  depends_on_workflow_run_id: str(),
  sequential_key: str(),
  sequential_credential_id: str(),
  ai_fallback: opt(Nullable(Type.Boolean())),
  code_gen: opt(Nullable(Type.Boolean())),
  trigger_type: opt(Nullable(Type.Enum([...TRIGGER_TYPES]))),
  workflow_schedule_id: str(),
  ignore_inherited_workflow_system_prompt: opt(Type.Boolean()),
  copilot_session_id: str(),
  credits_used: opt(Type.Integer()),
  cached_credits_used: opt(Type.Integer()),
  queued_at: str(),
  started_at: str(),
  finished_at: str(),
  created_at: Type.String(),
  modified_at: Type.String(),
}, { title: 'WorkflowRun' });
export type WorkflowRun = Static<typeof WorkflowRun>;

export const WorkflowRunListQuery = Type.Object({
  page: opt(Type.Integer({ minimum: 1, default: 1 })),
  page_size: opt(Type.Integer({ minimum: 1, default: 10 })),
  status: opt(Type.Array(RunStatusSchema)),
  search_key: opt(Type.String({ maxLength: 500 })),
  error_code: opt(Type.String({ maxLength: 500 })),
});
export type WorkflowRunListQuery = Static<typeof WorkflowRunListQuery>;

export const WorkflowRunsByIdQuery = Type.Object({
  ...WorkflowRunListQuery.properties,
  created_at_start: opt(Type.String()),
  created_at_end: opt(Type.String()),
  tags: opt(Type.Array(Type.String(), { maxItems: 20 })),
  include_child_runs: opt(Type.Boolean({ default: false })),
});
export type WorkflowRunsByIdQuery = Static<typeof WorkflowRunsByIdQuery>;

export const WorkflowRunIdParams = Type.Object({ workflow_run_id: Type.String() });

/** One execution of a block, as the timeline shows it (fields beyond these are optional in the contract). */
export const WorkflowRunBlock = Type.Object({
  workflow_run_block_id: Type.String(),
  workflow_run_id: Type.String(),
  organization_id: Type.String(),
  block_type: Type.String(),
  created_at: Type.String(),
  modified_at: Type.String(),
}, { title: 'WorkflowRunBlock', additionalProperties: true });

export const WorkflowRunTimeline = Type.Object({
  type: Type.Enum(['thought', 'block']),
  block: opt(Nullable(WorkflowRunBlock)),
  thought: opt(Nullable(AnyObject)),
  children: opt(Type.Array(Type.Unknown())),
  created_at: Type.String(),
  modified_at: Type.String(),
}, { title: 'WorkflowRunTimeline' });
