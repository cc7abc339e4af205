// Wire shapes of cached scripts, named like Skyvern's OpenAPI components (`Script`,
// `CreateScriptRequest`, `FileNode`…) and, for the dashboard routes Skyvern keeps out of its
// document, like its pydantic models (`WorkflowScriptsListResponse`, `ScriptRunsResponse`…).
import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';

const opt = Type.Optional;
const time = () => Type.String({ format: 'date-time' });

export const ScriptFileCreate = Type.Object({
  path: Type.String({ description: 'File path relative to script root' }),
  content: Type.String({ description: 'File content, base64 unless `encoding` says utf-8' }),
  encoding: opt(Type.Enum(['base64', 'utf-8'], { default: 'base64' })),
  mime_type: opt(Nullable(Type.String())),
}, { title: 'ScriptFileCreate' });
export type ScriptFileCreate = Static<typeof ScriptFileCreate>;

export const CreateScriptRequest = Type.Object({
  /** A workflow_permanent_id: the script becomes that workflow's cached script. */
  workflow_id: opt(Nullable(Type.String())),
  run_id: opt(Nullable(Type.String())),
  files: opt(Nullable(Type.Array(ScriptFileCreate))),
}, { title: 'CreateScriptRequest' });
export type CreateScriptRequest = Static<typeof CreateScriptRequest>;

export const DeployScriptRequest = Type.Object({
  files: Type.Array(ScriptFileCreate),
}, { title: 'DeployScriptRequest' });
export type DeployScriptRequest = Static<typeof DeployScriptRequest>;

/** Directories carry `children`; files carry size, mime type and hash. Declared one level deep (the document stays `$ref`-free). */
export const FileNode = Type.Object({
  type: Type.String({ description: "'file' or 'directory'" }),
  size: opt(Nullable(Type.Integer())),
  mime_type: opt(Nullable(Type.String())),
  content_hash: opt(Nullable(Type.String())),
  created_at: time(),
  children: opt(Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'name → FileNode' }))),
}, { title: 'FileNode' });
/** The recursive form of `FileNode` (the schema above declares `children` loosely). */
export type FileNode = Omit<Static<typeof FileNode>, 'children'> & { children?: Record<string, FileNode> | null };

export const CreateScriptResponse = Type.Object({
  script_id: Type.String(),
  version: Type.Integer(),
  run_id: opt(Nullable(Type.String())),
  file_count: Type.Integer(),
  file_tree: Type.Record(Type.String(), FileNode),
  created_at: time(),
}, { title: 'CreateScriptResponse' });
export type CreateScriptResponse = Omit<Static<typeof CreateScriptResponse>, 'file_tree'> & { file_tree: Record<string, FileNode> };

export const Script = Type.Object({
  script_revision_id: Type.String(),
  script_id: Type.String(),
  organization_id: Type.String(),
  run_id: opt(Nullable(Type.String())),
  version: Type.Integer(),
  created_at: time(),
  modified_at: time(),
  deleted_at: opt(Nullable(time())),
}, { title: 'Script' });
export type Script = Static<typeof Script>;

export const ScriptListQuery = Type.Object({
  page: opt(Type.Integer({ minimum: 1, default: 1 })),
  page_size: opt(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
});
export type ScriptListQuery = Static<typeof ScriptListQuery>;

export const ScriptIdParams = Type.Object({ script_id: Type.String() });
export const ScriptVersionParams = Type.Object({ script_id: Type.String(), version: Type.Integer({ minimum: 1 }) });
export const WorkflowScriptParams = Type.Object({ workflow_permanent_id: Type.String() });

/**
 * `POST /v1/scripts/{id}/run`: Skyvern takes no body; ours may carry the workflow run's parameters.
 * Checked by the route itself (the body may be absent altogether), so not declared in the document.
 */
export const RunScriptRequest = Type.Object({
  parameters: opt(Nullable(Type.Record(Type.String(), Type.Unknown()))),
}, { title: 'RunScriptRequest' });
export type RunScriptRequest = Static<typeof RunScriptRequest>;

// ---- dashboard routes (hidden in Skyvern's document) ----

export const WorkflowScriptSummary = Type.Object({
  script_id: Type.String(),
  cache_key: Type.String(),
  cache_key_value: Type.String(),
  status: Type.Enum(['published', 'pending']),
  latest_version: Type.Integer(),
  version_count: Type.Integer(),
  total_runs: Type.Integer(),
  /** Completed runs / runs that used the script; null before its first run. */
  success_rate: Nullable(Type.Number()),
  is_pinned: Type.Boolean(),
  /** Ours: the newest run that used the script. */
  latest_run_id: Nullable(Type.String()),
  created_at: time(),
  modified_at: time(),
}, { title: 'WorkflowScriptSummary' });
export type WorkflowScriptSummary = Static<typeof WorkflowScriptSummary>;

export const WorkflowScriptsListResponse = Type.Object({
  scripts: Type.Array(WorkflowScriptSummary),
}, { title: 'WorkflowScriptsListResponse' });
export type WorkflowScriptsListResponse = Static<typeof WorkflowScriptsListResponse>;

export const ScriptVersionSummary = Type.Object({
  version: Type.Integer(),
  script_revision_id: Type.String(),
  created_at: time(),
  run_id: Nullable(Type.String()),
  /** Ours: how many files the version has and which block labels it covers. */
  file_count: Type.Integer(),
  blocks: Type.Array(Type.String()),
}, { title: 'ScriptVersionSummary' });
export type ScriptVersionSummary = Static<typeof ScriptVersionSummary>;

export const ScriptVersionListResponse = Type.Object({
  versions: Type.Array(ScriptVersionSummary),
}, { title: 'ScriptVersionListResponse' });
export type ScriptVersionListResponse = Static<typeof ScriptVersionListResponse>;

/** A version's code: each block label's file and the entry file (`main.ts`/`main.js`), as Skyvern's code tab reads it. */
export const ScriptBlocksResponse = Type.Object({
  blocks: Type.Record(Type.String(), Type.String()),
  main_script: Nullable(Type.String()),
  script_id: Nullable(Type.String()),
  version: Nullable(Type.Integer()),
}, { title: 'ScriptBlocksResponse' });
export type ScriptBlocksResponse = Static<typeof ScriptBlocksResponse>;

export const ScriptRunsQuery = Type.Object({
  page_size: opt(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  version: opt(Type.Integer({ minimum: 1 })),
});
export type ScriptRunsQuery = Static<typeof ScriptRunsQuery>;

export const ScriptRunSummary = Type.Object({
  workflow_run_id: Type.String(),
  /** Ours: the same id under the name the run endpoints use. */
  run_id: Type.String(),
  status: Type.String(),
  started_at: Nullable(time()),
  finished_at: Nullable(time()),
  created_at: time(),
  failure_reason: Nullable(Type.String()),
  ai_fallback_triggered: Type.Boolean(),
  script_revision_id: Nullable(Type.String()),
}, { title: 'ScriptRunSummary' });
export type ScriptRunSummary = Static<typeof ScriptRunSummary>;

export const ScriptRunsResponse = Type.Object({
  runs: Type.Array(ScriptRunSummary),
  total_count: Type.Integer(),
  status_counts: Type.Record(Type.String(), Type.Integer()),
  /** Share of the last 20 runs in which the script fell back to the agent (we keep no per-episode records). */
  avg_fallbacks_per_run: Nullable(Type.Number()),
}, { title: 'ScriptRunsResponse' });
export type ScriptRunsResponse = Static<typeof ScriptRunsResponse>;

export const ScriptFilesQuery = Type.Object({
  version: opt(Type.Integer({ minimum: 1 })),
});

export const ScriptFileContent = Type.Object({
  path: Type.String(),
  content: Type.String({ description: 'UTF-8 text' }),
  mime_type: Type.String(),
  size: Type.Integer(),
  content_hash: Type.String(),
}, { title: 'ScriptFileContent' });
export type ScriptFileContent = Static<typeof ScriptFileContent>;

export const ClearCacheResponse = Type.Object({
  deleted_count: Type.Integer(),
  message: Type.String(),
}, { title: 'ClearCacheResponse' });
export type ClearCacheResponse = Static<typeof ClearCacheResponse>;
