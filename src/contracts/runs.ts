// Wire shapes of the runs API, named like the contract's components.
import { Type, type Static } from 'typebox';
import { RUN_ENGINES, RUN_STATUSES, RUN_TYPES } from '../domain/run-status.ts';
import { AnyObject, Nullable, StringMap } from './common.ts';

export const RunStatusSchema = Type.Enum([...RUN_STATUSES], { title: 'RunStatus' });
export const RunEngineSchema = Type.Enum([...RUN_ENGINES], { title: 'RunEngine' });
export const RunTypeSchema = Type.Enum([...RUN_TYPES], { title: 'RunType' });

export const PROXY_LOCATIONS = ['RESIDENTIAL', 'US-CA', 'US-NY', 'US-TX', 'US-FL', 'US-WA', 'RESIDENTIAL_ES', 'RESIDENTIAL_IE',
  'RESIDENTIAL_GB', 'RESIDENTIAL_IN', 'RESIDENTIAL_JP', 'RESIDENTIAL_FR', 'RESIDENTIAL_DE', 'RESIDENTIAL_NZ', 'RESIDENTIAL_ZA',
  'RESIDENTIAL_AR', 'RESIDENTIAL_AU', 'RESIDENTIAL_BR', 'RESIDENTIAL_TR', 'RESIDENTIAL_CA', 'RESIDENTIAL_MX', 'RESIDENTIAL_IT',
  'RESIDENTIAL_NL', 'RESIDENTIAL_PH', 'RESIDENTIAL_KR', 'RESIDENTIAL_SA', 'RESIDENTIAL_ISP', 'NONE'] as const;

export const GeoTarget = Type.Object({
  country: Type.String(),
  subdivision: Type.Optional(Nullable(Type.String())),
  city: Type.Optional(Nullable(Type.String())),
});

export const ProxyLocationInput = Nullable(Type.Union([
  Type.Enum([...PROXY_LOCATIONS], { title: 'ProxyLocation' }),
  GeoTarget,
  AnyObject,
]));

export const TaskRunRequest = Type.Object({
  prompt: Type.String(),
  url: Type.Optional(Nullable(Type.String())),
  engine: Type.Optional(RunEngineSchema),
  title: Type.Optional(Nullable(Type.String())),
  proxy_location: Type.Optional(ProxyLocationInput),
  data_extraction_schema: Type.Optional(Nullable(Type.Union([AnyObject, Type.Array(Type.Unknown()), Type.String()]))),
  error_code_mapping: Type.Optional(Nullable(StringMap)),
  max_steps: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  webhook_url: Type.Optional(Nullable(Type.String())),
  totp_identifier: Type.Optional(Nullable(Type.String())),
  totp_url: Type.Optional(Nullable(Type.String())),
  browser_session_id: Type.Optional(Nullable(Type.String())),
  browser_profile_id: Type.Optional(Nullable(Type.String())),
  start_fresh_browser: Type.Optional(Type.Boolean()),
  model: Type.Optional(Nullable(AnyObject)),
  extra_http_headers: Type.Optional(Nullable(StringMap)),
  cdp_connect_headers: Type.Optional(Nullable(StringMap)),
  publish_workflow: Type.Optional(Type.Boolean()),
  include_action_history_in_verification: Type.Optional(Nullable(Type.Boolean())),
  max_screenshot_scrolls: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
  browser_address: Type.Optional(Nullable(Type.String())),
  run_with: Type.Optional(Nullable(Type.String())),
}, { title: 'TaskRunRequest' });
export type TaskRunRequest = Static<typeof TaskRunRequest>;

export const FileInfo = Type.Object({
  url: Type.String(),
  checksum: Type.Optional(Nullable(Type.String())),
  filename: Type.Optional(Nullable(Type.String())),
  file_size: Type.Optional(Nullable(Type.Integer())),
  modified_at: Type.Optional(Nullable(Type.String())),
  artifact_id: Type.Optional(Nullable(Type.String())),
}, { title: 'FileInfo' });

export const ScriptRunResponse = Type.Object({
  ai_fallback_triggered: Type.Boolean(),
  script_id: Type.Optional(Nullable(Type.String())),
  script_revision_id: Type.Optional(Nullable(Type.String())),
});
export type ScriptRunResponse = Static<typeof ScriptRunResponse>;

const OutputValue = Nullable(Type.Union([AnyObject, Type.Array(Type.Unknown()), Type.String()]));

/** Fields every run response has (Skyvern's BaseRunResponse). */
export const baseRunResponseFields = {
  run_id: Type.String(),
  status: RunStatusSchema,
  output: Type.Optional(OutputValue),
  downloaded_files: Type.Optional(Nullable(Type.Array(FileInfo))),
  recording_url: Type.Optional(Nullable(Type.String())),
  recording_archived: Type.Optional(Type.Boolean()),
  screenshot_urls: Type.Optional(Nullable(Type.Array(Type.String()))),
  failure_reason: Type.Optional(Nullable(Type.String())),
  created_at: Type.String(),
  modified_at: Type.String(),
  queued_at: Type.Optional(Nullable(Type.String())),
  started_at: Type.Optional(Nullable(Type.String())),
  finished_at: Type.Optional(Nullable(Type.String())),
  app_url: Type.Optional(Nullable(Type.String())),
  browser_session_id: Type.Optional(Nullable(Type.String())),
  browser_profile_id: Type.Optional(Nullable(Type.String())),
  max_screenshot_scrolls: Type.Optional(Nullable(Type.Integer())),
  script_run: Type.Optional(Nullable(ScriptRunResponse)),
  errors: Type.Optional(Nullable(Type.Array(AnyObject))),
  step_count: Type.Optional(Nullable(Type.Integer())),
};

export const TaskRunResponse = Type.Object({
  ...baseRunResponseFields,
  run_type: Type.Enum(['task_v1', 'task_v2', 'task_v3', 'openai_cua', 'anthropic_cua', 'ui_tars', 'yutori_navigator']),
  run_request: Type.Optional(Nullable(AnyObject)),
}, { title: 'TaskRunResponse' });
export type TaskRunResponse = Static<typeof TaskRunResponse>;

export const TaskRunListItem = Type.Object({
  task_run_id: Type.String(),
  run_id: Type.String(),
  task_run_type: RunTypeSchema,
  status: Type.String(),
  title: Type.Optional(Nullable(Type.String())),
  started_at: Type.Optional(Nullable(Type.String())),
  finished_at: Type.Optional(Nullable(Type.String())),
  created_at: Type.String(),
  workflow_permanent_id: Type.Optional(Nullable(Type.String())),
  workflow_deleted: Type.Optional(Type.Boolean()),
  script_run: Type.Optional(Nullable(Type.Boolean())),
  trigger_type: Type.Optional(Nullable(Type.String())),
}, { title: 'TaskRunListItem' });
export type TaskRunListItem = Static<typeof TaskRunListItem>;

export const RunListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
  status: Type.Optional(Type.Array(RunStatusSchema)),
  search_key: Type.Optional(Type.String({ minLength: 3 })),
  run_type: Type.Optional(Type.Array(RunTypeSchema)),
  workflow_permanent_id: Type.Optional(Type.Array(Type.String(), { maxItems: 50 })),
  tags: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })),
});
export type RunListQuery = Static<typeof RunListQuery>;

export const BulkCancelRunsRequest = Type.Object({
  run_ids: Type.Array(Type.String(), { maxItems: 100 }),
}, { title: 'BulkCancelRunsRequest' });

export const BulkCancelRunsResponse = Type.Object({
  cancelled: Type.Array(Type.String()),
  failed: Type.Array(Type.String()),
}, { title: 'BulkCancelRunsResponse' });
export type BulkCancelRunsResponse = Static<typeof BulkCancelRunsResponse>;
