// Code runs of skyvern-1.0 task runs on Postgres. A task's script has no workflow: it is found by
// its cache key value, `task:` + a hash of what makes it the same task (engine, start url, prompt,
// data_extraction_schema), and holds one module, `blocks/task.ts`. A `run_with: "code"` run replays
// it (`script_run` set as it starts); every run that ends `completed` with the agent having acted
// writes the module the agent's actions make, as a new version when its content changed.
// skyvern-2.0 runs are agent-only (no script is read or written).
import { createHash } from 'node:crypto';
import type { TaskRunRequest } from '../contracts/runs.ts';
import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { ScriptRevisionRow } from '../db/repositories/scripts.repo.ts';
import { hasSchema } from '../engine/agent/decide.ts';
import { normalizeRunWith, type BlockCodeRequest } from '../engine/scripts/ports.ts';
import { moduleOfRun } from '../engine/scripts/run-with-script.ts';
import type { CachedBlockScript } from '../engine/scripts/types.ts';
import { TASK_SCRIPT_LABEL, type TaskOutcome } from '../engine/task/execute-task.ts';
import type { Logger } from '../log/logger.ts';
import { modulesOf, setScriptRun, writeNextVersion } from './script-versions.ts';
import type { WorkerDeps } from './worker-deps.ts';

/** `cache_key` of every task script (its value tells the tasks apart). */
export const TASK_CACHE_KEY = 'task';

export interface TaskScripts {
  /** For the engine (`TaskInput.code`). */
  code: BlockCodeRequest;
  /** After the run: write the next script version if the agent made (or repaired) the module. */
  finish(outcome: TaskOutcome): Promise<void>;
}

/** Same engine, start page, prompt and schema: the same task, so the same script. */
export function taskCacheKeyValue(request: Pick<TaskRunRequest, 'engine' | 'url' | 'prompt' | 'data_extraction_schema'>): string {
  const identity = JSON.stringify([request.engine ?? 'skyvern-1.0', request.url ?? null, request.prompt, request.data_extraction_schema ?? null]);
  return `${TASK_CACHE_KEY}:${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
}

export async function taskScripts(deps: WorkerDeps, run: RunRow, log: Logger): Promise<TaskScripts | undefined> {
  const request = run.request as TaskRunRequest & Record<string, unknown>;
  if (request.engine === 'skyvern-2.0') return undefined;
  const runWith = normalizeRunWith(request.run_with);
  // Not in the task contract; a request that carries `ai_fallback: false` anyway is honoured.
  const aiFallback = request.ai_fallback !== false;
  const cacheKeyValue = taskCacheKeyValue(request);
  const repo = deps.repos.scripts;

  let loaded: { scriptId: string; revision: ScriptRevisionRow; module: CachedBlockScript } | undefined;
  if (runWith === 'code') {
    const script = await repo.findForTask(run.organizationId, cacheKeyValue);
    const revision = script ? await repo.latestRevision(script.scriptId) : undefined;
    const module = revision ? modulesOf(revision).get(TASK_SCRIPT_LABEL) : undefined;
    if (script && revision && module) {
      loaded = { scriptId: script.scriptId, revision, module };
      await setScriptRun(deps, run.runId, { script_id: script.scriptId, script_revision_id: revision.scriptRevisionId, ai_fallback_triggered: false });
      log.info({ script_id: script.scriptId, version: revision.version }, 'code run: replaying the cached task script');
    } else {
      log.info({ cache_key: cacheKeyValue }, 'code run: nothing cached yet; the agent runs and its actions become the script');
    }
  }

  let fellBack = false;
  return {
    code: {
      script: loaded?.module,
      aiFallback,
      // Task requests have no navigation_payload: the typed values come from the prompt, which is part of the cache key.
      parameters: {},
      record: true,
      async onFallback() {
        if (fellBack || !loaded) return;
        fellBack = true;
        await setScriptRun(deps, run.runId, { script_id: loaded.scriptId, script_revision_id: loaded.revision.scriptRevisionId, ai_fallback_triggered: true });
      },
    },
    async finish(outcome) {
      if (outcome.status !== 'completed') return;
      // The module extracts when the task did: with a schema, or when the agent reported data (the task's output).
      const extract = hasSchema(request.data_extraction_schema) || present(outcome.output);
      const module = moduleOfRun({ label: TASK_SCRIPT_LABEL, blockType: 'task', runId: run.runId, code: outcome.code, parameters: {}, extract });
      if (!module) return;
      if ('uncacheable' in module) {
        log.info({ reason: module.uncacheable }, 'task not cached');
        return;
      }
      const script = loaded ? { scriptId: loaded.scriptId } : await repo.ensureForTask(run.organizationId, TASK_CACHE_KEY, cacheKeyValue);
      await writeNextVersion(deps, {
        scriptId: script.scriptId, organizationId: run.organizationId, runId: run.runId, previous: loaded?.revision,
        kept: new Map([[TASK_SCRIPT_LABEL, module]]), log,
      });
    },
  };
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && !(typeof value === 'object' && Object.keys(value).length === 0);
}
