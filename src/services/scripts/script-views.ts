// What the dashboard reads about scripts (routes Skyvern keeps out of its document): a workflow's
// scripts with run stats, a script's versions, the runs that used it, a version's code, and
// clearing a workflow's cache. Run stats come from `runs.script_run`, which the engine maintains.
import type {
  ClearCacheResponse, ScriptBlocksResponse, ScriptFileContent, ScriptRunsQuery, ScriptRunsResponse, ScriptVersionListResponse,
  WorkflowScriptSummary, WorkflowScriptsListResponse,
} from '../../contracts/scripts.ts';
import type { ScriptRevisionRow, ScriptsRepo } from '../../db/repositories/scripts.repo.ts';
import type { WorkflowsRepo } from '../../db/repositories/workflows.repo.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { toWireTimeRequired } from '../../domain/time.ts';
import { workflowNotFound } from '../workflows.service.ts';
import { fileText, presentFileContent, presentScriptRunSummary, presentVersionSummary } from './script.presenter.ts';
import { scriptNotFound } from './scripts.service.ts';

export interface ScriptViewsDeps {
  scripts: ScriptsRepo;
  workflows: Pick<WorkflowsRepo, 'latest'>;
}

/** The entry file a version's "main script" is, first match wins. */
const MAIN_FILES = ['main.ts', 'main.js', 'main.mjs', 'main.cjs'];
/** Skyvern averages fallbacks over the newest 20 runs. */
const FALLBACK_SAMPLE = 20;

export function scriptViews(deps: ScriptViewsDeps) {
  const { scripts } = deps;

  async function requireWorkflow(organizationId: string, wpid: string): Promise<void> {
    if (!(await deps.workflows.latest(organizationId, wpid))) throw workflowNotFound(wpid);
  }

  async function requireScript(organizationId: string, scriptId: string): Promise<void> {
    if (!(await scripts.getScript(organizationId, scriptId))) throw scriptNotFound(scriptId);
  }

  /** A live version of a live script of this organization: the given one, else the newest. */
  async function requireRevision(organizationId: string, scriptId: string, version?: number): Promise<ScriptRevisionRow> {
    await requireScript(organizationId, scriptId);
    const revision = version === undefined ? await scripts.latestRevision(scriptId) : await scripts.revisionByVersion(scriptId, version);
    if (!revision) throw new NotFoundError(version === undefined ? `Script ${scriptId} has no version` : `Script version ${version} not found`);
    return revision;
  }

  return {
    /** One row per cache key value, most recently changed first; scripts without a version are left out, as in Skyvern. */
    async listForWorkflow(organizationId: string, wpid: string): Promise<WorkflowScriptsListResponse> {
      await requireWorkflow(organizationId, wpid);
      const rows = (await scripts.listForWorkflow(organizationId, wpid)).filter((r) => r.latest && r.versionCount > 0);
      const stats = await scripts.runStats(organizationId, rows.map((r) => r.script.scriptId));
      return {
        scripts: rows.map(({ script, latest, versionCount }): WorkflowScriptSummary => {
          const s = stats.get(script.scriptId);
          return {
            script_id: script.scriptId,
            cache_key: script.cacheKey ?? '',
            cache_key_value: script.cacheKeyValue ?? '',
            status: 'published',
            latest_version: latest!.version,
            version_count: versionCount,
            total_runs: s?.total ?? 0,
            success_rate: s && s.total > 0 ? s.completed / s.total : null,
            is_pinned: false,
            latest_run_id: s?.latestRunId ?? null,
            created_at: toWireTimeRequired(script.createdAt),
            modified_at: toWireTimeRequired(script.modifiedAt),
          };
        }),
      };
    },

    async versions(organizationId: string, scriptId: string): Promise<ScriptVersionListResponse> {
      await requireScript(organizationId, scriptId);
      return { versions: (await scripts.listRevisionMeta(scriptId)).map(presentVersionSummary) };
    },

    /** A version's code as Skyvern's code tab reads it: each block label's file and the entry file. */
    async versionCode(organizationId: string, scriptId: string, version: number): Promise<ScriptBlocksResponse> {
      const revision = await requireRevision(organizationId, scriptId, version);
      const byPath = new Map(revision.files.map((f) => [f.path, f]));
      const blocks: Record<string, string> = {};
      for (const [label, ref] of Object.entries(revision.blocks ?? {})) {
        const file = byPath.get((ref as { path?: string } | null)?.path ?? '');
        if (file) blocks[label] = fileText(file);
      }
      const main = MAIN_FILES.map((p) => byPath.get(p)).find(Boolean);
      return { blocks, main_script: main ? fileText(main) : null, script_id: scriptId, version: revision.version };
    },

    async files(organizationId: string, scriptId: string, version?: number): Promise<ScriptFileContent[]> {
      return (await requireRevision(organizationId, scriptId, version)).files.map(presentFileContent);
    },

    async runs(organizationId: string, scriptId: string, q: ScriptRunsQuery): Promise<ScriptRunsResponse> {
      const revision = q.version === undefined ? undefined : await requireRevision(organizationId, scriptId, q.version);
      if (!revision) await requireScript(organizationId, scriptId);
      const { runs, statusCounts } = await scripts.runsUsing(organizationId, scriptId, { limit: Math.max(q.page_size ?? 50, FALLBACK_SAMPLE), scriptRevisionId: revision?.scriptRevisionId });
      const total = Object.values(statusCounts).reduce((a, b) => a + b, 0);
      const sample = runs.slice(0, FALLBACK_SAMPLE);
      const fellBack = sample.filter((r) => r.scriptRun?.ai_fallback_triggered === true).length;
      return {
        runs: runs.slice(0, q.page_size ?? 50).map(presentScriptRunSummary),
        total_count: total,
        status_counts: statusCounts,
        avg_fallbacks_per_run: sample.length ? Math.round((fellBack / sample.length) * 100) / 100 : null,
      };
    },

    /** Soft-deletes the workflow's scripts: its next code run generates a script anew. */
    async clearCache(organizationId: string, wpid: string): Promise<ClearCacheResponse> {
      await requireWorkflow(organizationId, wpid);
      const deleted = await scripts.softDeleteForWorkflow(organizationId, wpid);
      return { deleted_count: deleted, message: `Successfully cleared ${deleted} cached script(s) for workflow ${wpid}` };
    },
  };
}
export type ScriptViews = ReturnType<typeof scriptViews>;
