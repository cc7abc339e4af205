// Code runs on Postgres: which script a workflow run replays (pinned by `POST /v1/scripts/{id}/run`,
// else the workflow's script for its rendered cache key), `script_run` on the run row, and the new
// script version written when the run ends well. A version keeps every block module of the one
// before it (blocks this run did not reach stay cached: progressive caching) and replaces the
// modules of blocks the agent did or repaired.
import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { ScriptRevisionRow } from '../db/repositories/scripts.repo.ts';
import type { ScriptRunRef } from '../domain/script-files.ts';
import type { WorkflowCreateYamlRequest } from '../domain/workflow/index.ts';
import { normalizeRunWith, type BlockScripts, type RunWith } from '../engine/scripts/ports.ts';
import type { CachedBlockScript } from '../engine/scripts/types.ts';
import { renderTemplate } from '../engine/workflow/template/index.ts';
import type { Logger } from '../log/logger.ts';
import { modulesOf, setScriptRun, writeNextVersion, type KeptModules } from './script-versions.ts';
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

  const kept: KeptModules = new Map();
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
      await writeNextVersion(deps, { scriptId: script.scriptId, organizationId: run.organizationId, runId: run.runId, previous: loaded?.revision, kept, log });
    },
  };
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
