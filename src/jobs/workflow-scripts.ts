// Code runs on Postgres: which script a workflow run replays (pinned by `POST /v1/scripts/{id}/run`,
// else the workflow's script for its rendered cache key), `script_run` on the run row, and the new
// script version written when the run ends well. A version keeps every block module of the one
// before it (blocks this run did not reach stay cached: progressive caching) and replaces the
// modules of blocks the agent did or repaired.
import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { ScriptRevisionRow } from '../db/repositories/scripts.repo.ts';
import { storedFileBytes, toStoredFile, type ScriptRunRef, type StoredScriptFile } from '../domain/script-files.ts';
import type { WorkflowCreateYamlRequest } from '../domain/workflow/index.ts';
import { normalizeRunWith, type BlockScripts, type RunWith } from '../engine/scripts/ports.ts';
import type { CachedBlockScript, StoredBlockScript } from '../engine/scripts/types.ts';
import { renderTemplate } from '../engine/workflow/template/index.ts';
import type { Logger } from '../log/logger.ts';
import type { WorkerDeps } from './worker-deps.ts';

export interface WorkflowScripts extends BlockScripts {
  /** After the run: write the next script version if blocks were (re)generated and the outcome allows it. */
  finish(status: string): Promise<void>;
}

interface Loaded {
  scriptId: string;
  revision: ScriptRevisionRow;
  modules: Map<string, CachedBlockScript>;
}

export async function workflowScripts(
  deps: WorkerDeps, run: RunRow, workflow: { workflowPermanentId: string; request: unknown },
  request: Record<string, unknown>, parameters: Record<string, unknown>, log: Logger,
): Promise<WorkflowScripts> {
  const settings = workflow.request as WorkflowCreateYamlRequest & Record<string, unknown>;
  const runWith: RunWith = normalizeRunWith(request.run_with ?? settings.run_with);
  const aiFallback = (request.ai_fallback as boolean | null | undefined) ?? (settings.ai_fallback as boolean | undefined) ?? true;
  const cacheKey = typeof settings.cache_key === 'string' && settings.cache_key.trim() ? settings.cache_key : 'default';
  const cacheKeyValue = renderCacheKey(cacheKey, parameters, log);
  const repo = deps.repos.scripts;
  const pinned = (run.scriptRun as ScriptRunRef | null)?.script_id;

  let loaded: Loaded | undefined;
  if (runWith === 'code') {
    const script = pinned
      ? await repo.getScript(run.organizationId, pinned)
      : await repo.findForWorkflow(run.organizationId, workflow.workflowPermanentId, cacheKeyValue);
    const revision = script ? await repo.latestRevision(script.scriptId) : undefined;
    if (script && revision) {
      loaded = { scriptId: script.scriptId, revision, modules: modulesOf(revision) };
      await setScriptRun(deps, run.runId, { script_id: script.scriptId, script_revision_id: revision.scriptRevisionId, ai_fallback_triggered: false });
      log.info({ script_id: script.scriptId, version: revision.version, blocks: [...loaded.modules.keys()] }, 'code run: replaying cached blocks');
    } else {
      log.info({ cache_key: cacheKeyValue }, 'code run: nothing cached yet; the agent runs and its actions become the script');
    }
  }

  const kept = new Map<string, { source: string; stored: StoredBlockScript }>();
  let fellBack = false;
  return {
    runWith,
    aiFallback,
    cached: (label) => loaded?.modules.get(label),
    keep(label, source, stored) { kept.set(label, { source, stored }); },
    async fellBack() {
      if (fellBack || !loaded) return;
      fellBack = true;
      await setScriptRun(deps, run.runId, { script_id: loaded.scriptId, script_revision_id: loaded.revision.scriptRevisionId, ai_fallback_triggered: true });
    },
    async finish(status) {
      const generate = status === 'completed' || (status === 'terminated' && settings.generate_script_on_terminal === true);
      if (!generate || kept.size === 0) return;
      const script = loaded
        ? { scriptId: loaded.scriptId }
        : await repo.ensureForWorkflow(run.organizationId, workflow.workflowPermanentId, cacheKey, cacheKeyValue);
      const previous = loaded?.revision ?? (await repo.latestRevision(script.scriptId));
      const files = new Map<string, StoredScriptFile>((previous?.files as StoredScriptFile[] | undefined ?? []).map((f) => [f.path, f]));
      const blocks: Record<string, unknown> = { ...((previous?.blocks as Record<string, unknown> | undefined) ?? {}) };
      let changed = false;
      for (const [label, { source, stored }] of kept) {
        const file = toStoredFile(stored.path, Buffer.from(source, 'utf8'), 'text/typescript');
        if (files.get(stored.path)?.content_hash === file.content_hash) continue;
        files.set(stored.path, file);
        blocks[label] = stored;
        changed = true;
      }
      if (!changed) return;
      const revision = await repo.addRevision({ scriptId: script.scriptId, organizationId: run.organizationId, runId: run.runId, files: [...files.values()], blocks });
      log.info({ script_id: script.scriptId, version: revision.version, blocks: [...kept.keys()] }, 'script version written');
    },
  };
}

function modulesOf(revision: ScriptRevisionRow): Map<string, CachedBlockScript> {
  const files = new Map((revision.files as StoredScriptFile[]).map((f) => [f.path, f]));
  const modules = new Map<string, CachedBlockScript>();
  // Blocks the engine generated are listed with their file; uploaded scripts name blocks by file: blocks/<label>.ts.
  for (const [label, entry] of Object.entries((revision.blocks as Record<string, StoredBlockScript> | null) ?? {})) {
    const file = files.get(entry.path);
    if (file) modules.set(label, { label, path: file.path, source: storedFileBytes(file).toString('utf8'), stored: entry.actions ? entry : undefined });
  }
  for (const file of files.values()) {
    const match = /^blocks\/([^/]+)\.(?:ts|js|mjs|cjs)$/.exec(file.path);
    if (match && !modules.has(match[1]!)) modules.set(match[1]!, { label: match[1]!, path: file.path, source: storedFileBytes(file).toString('utf8') });
  }
  return modules;
}

/** Skyvern renders `cache_key` with the run's parameters, so one workflow can keep a script per site or account. */
function renderCacheKey(cacheKey: string, parameters: Record<string, unknown>, log: Logger): string {
  if (!cacheKey.includes('{')) return cacheKey;
  try {
    return renderTemplate(cacheKey, parameters) || 'default';
  } catch (error) {
    log.warn({ err: (error as Error).message, cache_key: cacheKey }, 'cache_key did not render; using it as written');
    return cacheKey;
  }
}

async function setScriptRun(deps: WorkerDeps, runId: string, ref: ScriptRunRef): Promise<void> {
  await deps.repos.runs.update(runId, { scriptRun: ref });
}
