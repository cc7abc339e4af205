// Wire shapes of the workflow ("agent") definition API, titled like the contract's components.
// The definition itself is checked by `domain/workflow` (precise per-block errors), so the body
// schema here only says where it goes.
import { Type, type Static } from 'typebox';
import { AnyObject, Nullable, StringMap } from './common.ts';
import { ProxyLocationInput } from './runs.ts';

export const WORKFLOW_STATUSES = ['published', 'draft', 'auto_generated', 'importing', 'import_failed'] as const;
export const WorkflowStatusSchema = Type.Enum([...WORKFLOW_STATUSES], { title: 'WorkflowStatus' });

export const WorkflowRequest = Type.Object({
  json_definition: Type.Optional(Nullable(AnyObject)),
  yaml_definition: Type.Optional(Nullable(Type.String())),
}, { title: 'WorkflowRequest' });
export type WorkflowRequest = Static<typeof WorkflowRequest>;

const opt = Type.Optional;
const str = () => opt(Nullable(Type.String()));
const bool = () => opt(Type.Boolean());

export const Workflow = Type.Object({
  workflow_id: Type.String(),
  organization_id: Type.String(),
  title: Type.String(),
  workflow_permanent_id: Type.String(),
  agent_id: Type.String(),
  version: Type.Integer(),
  is_saved_task: Type.Boolean(),
  is_template: bool(),
  description: str(),
  workflow_definition: AnyObject,
  proxy_location: opt(ProxyLocationInput),
  webhook_callback_url: str(),
  totp_verification_url: str(),
  totp_identifier: str(),
  persist_browser_session: bool(),
  reuse_browser_session: bool(),
  mask_secrets: bool(),
  pin_saved_session_ip: bool(),
  browser_profile_id: str(),
  browser_profile_key: str(),
  model: opt(Nullable(AnyObject)),
  status: opt(WorkflowStatusSchema),
  max_screenshot_scrolls: opt(Nullable(Type.Integer())),
  max_elapsed_time_minutes: opt(Nullable(Type.Integer())),
  extra_http_headers: opt(Nullable(StringMap)),
  cdp_connect_headers: opt(Nullable(StringMap)),
  run_with: opt(Type.String()),
  ai_fallback: bool(),
  cache_key: str(),
  adaptive_caching: bool(),
  enable_self_healing: bool(),
  code_version: opt(Nullable(Type.Integer())),
  generate_script_on_terminal: bool(),
  run_sequentially: opt(Nullable(Type.Boolean())),
  sequential_key: str(),
  folder_id: str(),
  import_error: str(),
  created_by: str(),
  edited_by: str(),
  copilot_authored: bool(),
  created_at: Type.String(),
  modified_at: Type.String(),
  deleted_at: str(),
}, { title: 'Workflow' });
export type Workflow = Static<typeof Workflow>;

export const WorkflowListQuery = Type.Object({
  page: opt(Type.Integer({ minimum: 1, default: 1 })),
  page_size: opt(Type.Integer({ minimum: 1, default: 10 })),
  only_saved_tasks: opt(Type.Boolean({ default: false })),
  only_workflows: opt(Type.Boolean({ default: false })),
  only_templates: opt(Type.Boolean({ default: false })),
  search_key: opt(Type.String()),
  title: opt(Type.String()),
  folder_id: opt(Type.String()),
  status: opt(Type.Array(WorkflowStatusSchema)),
  tags: opt(Type.Array(Type.String(), { maxItems: 20 })),
  template: opt(Type.Boolean({ default: false })),
});
export type WorkflowListQuery = Static<typeof WorkflowListQuery>;

export const WorkflowGetQuery = Type.Object({
  version: opt(Type.Integer()),
  template: opt(Type.Boolean({ default: false })),
});

export const TemplateQuery = Type.Object({ template: opt(Type.Boolean({ default: false })) });
export const CreateWorkflowQuery = Type.Object({ folder_id: opt(Type.String()) });
export const WpidParams = Type.Object({ workflow_permanent_id: Type.String() });
export const WorkflowIdParams = Type.Object({ workflow_id: Type.String() });
