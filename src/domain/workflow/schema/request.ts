// The create/update request (`WorkflowCreateYAMLRequest`) and its `workflow_definition`
// (`WorkflowDefinitionYAML`), as sent in `json_definition` or `yaml_definition`.
import { Type, type Static } from 'typebox';
import { Flag, JsonObject, Nullable, PROXY_LOCATIONS, StringMap } from './common.ts';
import type { BlockYaml } from './blocks.ts';
import type { ParameterYaml } from './parameters.ts';

// `parameters` and `blocks` are checked element by element by the parser (discriminated by
// `parameter_type` / `block_type`), so here they are plain arrays; the static type below
// substitutes the real element types.
export const WorkflowDefinitionYamlSchema = Type.Object({
  version: Nullable(Type.Integer()),
  parameters: Type.Array(Type.Unknown()),
  blocks: Type.Array(Type.Unknown()),
  finally_block_label: Nullable(Type.String()),
  error_code_mapping: Nullable(StringMap),
  workflow_system_prompt: Nullable(Type.String()),
  completion_contract: Nullable(JsonObject),
});

export type WorkflowDefinitionYaml = Omit<Static<typeof WorkflowDefinitionYamlSchema>, 'parameters' | 'blocks'> & {
  parameters: ParameterYaml[];
  blocks: BlockYaml[];
};

export const WORKFLOW_STATUSES = ['published', 'draft', 'auto_generated', 'importing', 'import_failed'] as const;

/** `proxy_location`: a ProxyLocation name, a GeoTarget object (`{country, subdivision?, city?}`), or null. */
export const ProxyLocationFieldSchema = Type.Union([Type.Enum([...PROXY_LOCATIONS]), JsonObject]);

export const WorkflowCreateYamlRequestSchema = Type.Object({
  title: Type.String(),
  description: Nullable(Type.String()),
  proxy_location: Nullable(ProxyLocationFieldSchema),
  webhook_callback_url: Nullable(Type.String()),
  totp_verification_url: Nullable(Type.String()),
  totp_identifier: Nullable(Type.String()),
  persist_browser_session: Flag(false),
  reuse_browser_session: Flag(false),
  mask_secrets: Nullable(Type.Boolean()),
  pin_saved_session_ip: Flag(false),
  browser_profile_id: Nullable(Type.String()),
  browser_profile_key: Nullable(Type.String()),
  model: Nullable(JsonObject),
  workflow_definition: WorkflowDefinitionYamlSchema,
  is_saved_task: Flag(false),
  max_screenshot_scrolls: Nullable(Type.Integer()),
  max_elapsed_time_minutes: Nullable(Type.Integer({ minimum: 1, maximum: 480 })),
  extra_http_headers: Nullable(StringMap),
  cdp_connect_headers: Nullable(StringMap),
  status: Type.Optional(Type.Enum([...WORKFLOW_STATUSES], { default: 'published' })),
  run_with: Type.Optional(Type.String({ default: 'agent' })),
  ai_fallback: Flag(true),
  cache_key: Type.Optional(Type.Union([Type.String(), Type.Null()], { default: 'default' })),
  adaptive_caching: Flag(false),
  enable_self_healing: Nullable(Type.Boolean()),
  code_version: Nullable(Type.Integer({ minimum: 1, maximum: 2 })),
  generate_script_on_terminal: Flag(false),
  run_sequentially: Flag(false),
  sequential_key: Nullable(Type.String()),
  folder_id: Nullable(Type.String()),
});

export type WorkflowCreateYamlRequest = Omit<Static<typeof WorkflowCreateYamlRequestSchema>, 'workflow_definition'> & {
  workflow_definition: WorkflowDefinitionYaml;
};
