import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

export const ARTIFACT_TYPES = ['recording', 'audio', 'session_replay', 'eval_score', 'eval_trajectory', 'eval_rubrics',
  'browser_console_log', 'browser_session_action_log', 'skyvern_log', 'skyvern_log_raw', 'screenshot', 'screenshot_llm',
  'screenshot_action', 'screenshot_final', 'screenshot_proxy', 'llm_prompt', 'llm_request', 'llm_response',
  'llm_response_parsed', 'llm_response_rendered', 'visible_elements_id_css_map', 'visible_elements_id_frame_map',
  'visible_elements_tree', 'visible_elements_tree_trimmed', 'visible_elements_tree_in_prompt', 'hashed_href_map',
  'visible_elements_id_xpath_map', 'html', 'html_scrape', 'html_action', 'trace', 'har', 'script_file', 'pdf',
  'step_archive', 'task_archive', 'download'] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

export const ArtifactTypeSchema = Type.Enum([...ARTIFACT_TYPES], { title: 'ArtifactType' });

export const Artifact = Type.Object({
  artifact_id: Type.String(),
  artifact_type: ArtifactTypeSchema,
  uri: Type.String(),
  bundle_key: Type.Optional(Nullable(Type.String())),
  checksum: Type.Optional(Nullable(Type.String())),
  file_size: Type.Optional(Nullable(Type.Integer())),
  task_id: Type.Optional(Nullable(Type.String())),
  step_id: Type.Optional(Nullable(Type.String())),
  workflow_run_id: Type.Optional(Nullable(Type.String())),
  workflow_run_block_id: Type.Optional(Nullable(Type.String())),
  run_id: Type.Optional(Nullable(Type.String())),
  observer_cruise_id: Type.Optional(Nullable(Type.String())),
  observer_thought_id: Type.Optional(Nullable(Type.String())),
  ai_suggestion_id: Type.Optional(Nullable(Type.String())),
  browser_session_id: Type.Optional(Nullable(Type.String())),
  signed_url: Type.Optional(Nullable(Type.String())),
  archived: Type.Optional(Type.Boolean()),
  organization_id: Type.String(),
  created_at: Type.String(),
  modified_at: Type.String(),
}, { title: 'Artifact' });
export type Artifact = Static<typeof Artifact>;

export const RunArtifactsQuery = Type.Object({ artifact_type: Type.Optional(Type.Array(ArtifactTypeSchema)) });
export const ArtifactIdParams = Type.Object({ artifact_id: Type.String() });
export const ArtifactContentQuery = Type.Object({
  expiry: Type.Optional(Type.String()), kid: Type.Optional(Type.String()), sig: Type.Optional(Type.String()),
});
