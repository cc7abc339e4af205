// Script rows to the JSON Skyvern's SDK and dashboard parse. Skyvern's `Script` is one revision
// (its script table holds a row per version), so its times and `deleted_at` are the revision's.
import type { CreateScriptResponse, Script, ScriptFileContent, ScriptRunSummary, ScriptVersionSummary } from '../../contracts/scripts.ts';
import type { RunRow } from '../../db/repositories/runs.repo.ts';
import type { ScriptRevisionMeta, ScriptRevisionRow } from '../../db/repositories/scripts.repo.ts';
import { buildFileTree, storedFileBytes, type StoredScriptFile } from '../../domain/script-files.ts';
import { toWireTime, toWireTimeRequired } from '../../domain/time.ts';

type RevisionFields = Pick<ScriptRevisionRow, 'scriptRevisionId' | 'scriptId' | 'organizationId' | 'runId' | 'version' | 'createdAt' | 'modifiedAt' | 'deletedAt'>;

export function presentScript(revision: RevisionFields): Script {
  return {
    script_revision_id: revision.scriptRevisionId,
    script_id: revision.scriptId,
    organization_id: revision.organizationId,
    run_id: revision.runId,
    version: revision.version,
    created_at: toWireTimeRequired(revision.createdAt),
    modified_at: toWireTimeRequired(revision.modifiedAt),
    deleted_at: toWireTime(revision.deletedAt),
  };
}

/** The answer to a create or deploy: the new version and the tree of every file it holds. */
export function presentCreateScriptResponse(revision: ScriptRevisionRow): CreateScriptResponse {
  return {
    script_id: revision.scriptId,
    version: revision.version,
    run_id: revision.runId,
    file_count: revision.files.length,
    file_tree: buildFileTree(revision.files),
    created_at: toWireTimeRequired(revision.createdAt),
  };
}

export function presentVersionSummary(revision: ScriptRevisionMeta): ScriptVersionSummary {
  return {
    version: revision.version,
    script_revision_id: revision.scriptRevisionId,
    created_at: toWireTimeRequired(revision.createdAt),
    run_id: revision.runId,
    file_count: revision.fileCount,
    blocks: Object.keys(revision.blocks ?? {}),
  };
}

export function presentScriptRunSummary(run: RunRow): ScriptRunSummary {
  return {
    workflow_run_id: run.runId,
    run_id: run.runId,
    status: run.status,
    started_at: toWireTime(run.startedAt),
    finished_at: toWireTime(run.finishedAt),
    created_at: toWireTimeRequired(run.createdAt),
    failure_reason: run.failureReason,
    ai_fallback_triggered: run.scriptRun?.ai_fallback_triggered === true,
    script_revision_id: run.scriptRun?.script_revision_id ?? null,
  };
}

/** Uploads are checked to be UTF-8 text; engine-written files are too (a stray byte shows as U+FFFD). */
export const fileText = (file: StoredScriptFile): string => storedFileBytes(file).toString('utf8');

export function presentFileContent(file: StoredScriptFile): ScriptFileContent {
  return { path: file.path, content: fileText(file), mime_type: file.mime_type, size: file.size, content_hash: file.content_hash };
}
