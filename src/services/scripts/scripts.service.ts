// Cached scripts through Skyvern's SDK routes: list, read, upload (create), deploy a new version,
// and run one. A script attached to a workflow is that workflow's cached code for one cache key
// value; uploading again for the same workflow adds a version instead of a second script.
import type { CreateScriptRequest, CreateScriptResponse, DeployScriptRequest, RunScriptRequest, Script, ScriptListQuery } from '../../contracts/scripts.ts';
import type { RunRow, RunsRepo } from '../../db/repositories/runs.repo.ts';
import type { ScriptRevisionRow, ScriptRow, ScriptsRepo } from '../../db/repositories/scripts.repo.ts';
import type { WorkflowsRepo } from '../../db/repositories/workflows.repo.ts';
import { NotFoundError, validationError } from '../../domain/errors.ts';
import type { StoredScriptFile } from '../../domain/script-files.ts';
import type { StartOptions, WorkflowRunsService } from '../workflow-runs.service.ts';
import { workflowNotFound } from '../workflows.service.ts';
import { presentCreateScriptResponse, presentScript } from './script.presenter.ts';
import { checkRevisionLimits, prepareUploadedFiles, type ScriptSourceChecker } from './script-uploads.ts';

/**
 * Uploads land under the plain key: rendering a workflow's cache key template needs a run's
 * parameters, which an upload does not have.
 */
export const UPLOAD_CACHE_KEY = 'default';
export const UPLOAD_CACHE_KEY_VALUE = 'default';

export interface ScriptsDeps {
  scripts: ScriptsRepo;
  workflows: Pick<WorkflowsRepo, 'latest' | 'byId'>;
  runs: Pick<RunsRepo, 'get'>;
  workflowRuns: Pick<WorkflowRunsService, 'start'>;
  checkSource: ScriptSourceChecker;
}

export const scriptNotFound = (scriptId: string) => new NotFoundError(`Script not found. script_id=${scriptId}`);

export function scriptsService(deps: ScriptsDeps) {
  const { scripts } = deps;

  async function requireScript(organizationId: string, scriptId: string): Promise<ScriptRow> {
    const script = await scripts.getScript(organizationId, scriptId);
    if (!script) throw scriptNotFound(scriptId);
    return script;
  }

  /** `workflow_id` is the permanent id; a version id (`w_…`) of this organization is accepted too. */
  async function requireWorkflowPermanentId(organizationId: string, workflowId: string): Promise<string> {
    const latest = await deps.workflows.latest(organizationId, workflowId);
    if (latest) return latest.workflowPermanentId;
    const version = await deps.workflows.byId(workflowId);
    if (version && version.organizationId === organizationId && (await deps.workflows.latest(organizationId, version.workflowPermanentId))) {
      return version.workflowPermanentId;
    }
    throw workflowNotFound(workflowId);
  }

  /** Keeps the previous version's files and replaces (or adds) the uploaded paths: Skyvern's deploy. */
  function mergeFiles(previous: readonly StoredScriptFile[], uploaded: readonly StoredScriptFile[]): StoredScriptFile[] {
    const byPath = new Map(uploaded.map((f) => [f.path, f]));
    const merged = previous.map((f) => byPath.get(f.path) ?? f);
    const kept = new Set(previous.map((f) => f.path));
    return [...merged, ...uploaded.filter((f) => !kept.has(f.path))];
  }

  return {
    /** Every live script's newest version, newest first (Skyvern's order). */
    async list(organizationId: string, q: ScriptListQuery): Promise<Script[]> {
      const rows = await scripts.listMetaForOrganization(organizationId, q.page ?? 1, q.page_size ?? 10);
      return rows.map((r) => presentScript(r.latest));
    },

    async get(organizationId: string, scriptId: string): Promise<Script> {
      await requireScript(organizationId, scriptId);
      const latest = await scripts.latestRevision(scriptId);
      if (!latest) throw scriptNotFound(scriptId);
      return presentScript(latest);
    },

    async create(organizationId: string, body: CreateScriptRequest): Promise<CreateScriptResponse> {
      if (body.run_id && !(await deps.runs.get(organizationId, body.run_id))) throw new NotFoundError(`Run_id ${body.run_id} not found`);
      const wpid = body.workflow_id ? await requireWorkflowPermanentId(organizationId, body.workflow_id) : null;
      // Files first: a refused upload leaves no script behind.
      const files = await prepareUploadedFiles(body.files ?? [], deps.checkSource);
      const script = wpid
        ? await scripts.ensureForWorkflow(organizationId, wpid, UPLOAD_CACHE_KEY, UPLOAD_CACHE_KEY_VALUE)
        : await scripts.createScript({ organizationId });
      const revision = await scripts.addRevision({ scriptId: script.scriptId, organizationId, runId: body.run_id ?? null, files, blocks: {} });
      return presentCreateScriptResponse(revision);
    },

    /**
     * A new version: the previous version's files with the uploaded ones replacing same-path files
     * (others are added), its generating run and its block map carried over, as Skyvern deploys.
     */
    async deploy(organizationId: string, scriptId: string, body: DeployScriptRequest): Promise<CreateScriptResponse> {
      await requireScript(organizationId, scriptId);
      const uploaded = await prepareUploadedFiles(body.files, deps.checkSource);
      const previous: ScriptRevisionRow | undefined = await scripts.latestRevision(scriptId);
      const files = mergeFiles(previous?.files ?? [], uploaded);
      checkRevisionLimits(files);
      const revision = await scripts.addRevision({ scriptId, organizationId, runId: previous?.runId ?? null, files, blocks: previous?.blocks ?? {} });
      return presentCreateScriptResponse(revision);
    },

    /**
     * Starts a run of the script's workflow in code mode, pinned to this script (`script_run` is in
     * the row before the run is queued, so the engine never has to guess which script to use).
     */
    async run(organizationId: string, scriptId: string, body: RunScriptRequest | undefined, opts: StartOptions): Promise<RunRow> {
      const script = await requireScript(organizationId, scriptId);
      if (!script.workflowPermanentId && script.cacheKey === 'task') {
        throw validationError(['path', 'script_id'], `Script ${scriptId} is a task run's script: run the same task (POST /v1/run/tasks) with run_with "code" to replay it.`);
      }
      if (!script.workflowPermanentId) {
        throw validationError(['path', 'script_id'],
          `Script ${scriptId} is not attached to a workflow: scripts run as part of a workflow run. Create it with workflow_id (POST /v1/scripts), then run it here or run the workflow with run_with "code".`);
      }
      if (!(await scripts.latestRevision(scriptId))) throw validationError(['path', 'script_id'], `Script ${scriptId} has no version to run yet`);
      return deps.workflowRuns.start(organizationId, { workflow_id: script.workflowPermanentId, parameters: body?.parameters ?? {}, run_with: 'code' }, {
        ...opts, scriptRun: { script_id: scriptId, script_revision_id: null, ai_fallback_triggered: false },
      });
    },
  };
}
export type ScriptsService = ReturnType<typeof scriptsService>;
