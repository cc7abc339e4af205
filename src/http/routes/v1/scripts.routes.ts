// Cached scripts: the SDK's routes (documented, as in Skyvern's contract) and the dashboard's
// (hidden, as Skyvern keeps them out of its document). Every route also answers with a trailing
// slash (the app ignores trailing slashes), which is Skyvern's second registration of each.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorDetail, HTTPValidationError } from '../../../contracts/common.ts';
import { WorkflowRunResponse } from '../../../contracts/workflow-runs.ts';
import {
  ClearCacheResponse, CreateScriptRequest, CreateScriptResponse, DeployScriptRequest, Script, ScriptBlocksResponse,
  ScriptFileContent, ScriptFilesQuery, ScriptIdParams, ScriptListQuery, ScriptRunsQuery, ScriptRunsResponse, ScriptVersionListResponse,
  ScriptVersionParams, WorkflowScriptParams, WorkflowScriptsListResponse,
  type CreateScriptRequest as CreateT, type DeployScriptRequest as DeployT, type RunScriptRequest as RunT, type ScriptListQuery as ListQueryT,
  type ScriptRunsQuery as RunsQueryT,
} from '../../../contracts/scripts.ts';
import { validationError } from '../../../domain/errors.ts';
import type { AppServices } from '../../services.ts';
import { defineRoute } from '../define.ts';
import { startOptions } from './agent-runs.routes.ts';

const tags = ['Scripts'];

/** The run route's optional body: `{ parameters?: object | null }` (422 naming the field otherwise). */
function runBody(body: unknown): RunT {
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw validationError(['body'], 'Input should be a valid object', 'object_type');
  const { parameters } = body as { parameters?: unknown };
  if (parameters !== undefined && parameters !== null && (typeof parameters !== 'object' || Array.isArray(parameters))) {
    throw validationError(['body', 'parameters'], 'Input should be a valid dictionary', 'dict_type');
  }
  return { parameters: (parameters as Record<string, unknown> | null | undefined) ?? null };
}
const errors = { 400: ErrorDetail, 404: ErrorDetail, 422: HTTPValidationError };

export function scriptsRoutes(app: FastifyInstance, services: AppServices): void {
  const { scripts, scriptViews } = services;

  defineRoute(app, {
    method: 'GET', url: '/v1/scripts', operationId: 'get_scripts_v1_scripts_get', tags, summary: 'Get all scripts',
    schema: { querystring: ScriptListQuery, response: { 200: Type.Array(Script), ...errors } },
    handler: async (req) => scripts.list(req.organizationId, req.query as ListQueryT),
  });

  defineRoute(app, {
    method: 'POST', url: '/v1/scripts', operationId: 'create_script_v1_scripts_post', tags, summary: 'Create script',
    schema: { body: CreateScriptRequest, response: { 200: CreateScriptResponse, ...errors } },
    handler: async (req) => scripts.create(req.organizationId, req.body as CreateT),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/scripts/:script_id', operationId: 'get_script_v1_scripts__script_id__get', tags, summary: 'Get script by ID',
    schema: { params: ScriptIdParams, response: { 200: Script, ...errors } },
    handler: async (req) => scripts.get(req.organizationId, req.params.script_id),
  });

  defineRoute(app, {
    method: 'POST', url: '/v1/scripts/:script_id/deploy', operationId: 'deploy_script_v1_scripts__script_id__deploy_post', tags,
    summary: 'Deploy script',
    schema: { params: ScriptIdParams, body: DeployScriptRequest, response: { 200: CreateScriptResponse, ...errors } },
    handler: async (req) => scripts.deploy(req.organizationId, req.params.script_id, req.body as DeployT),
  });

  // Skyvern answers 400 "Not implemented" here; ours starts the script's workflow in code mode.
  // Callers may send no body at all (no content type either), which a body schema would refuse,
  // so the optional body is checked by hand.
  defineRoute(app, {
    method: 'POST', url: '/v1/scripts/:script_id/run', operationId: 'run_script_v1_scripts__script_id__run_post', tags, summary: 'Run script',
    schema: { params: ScriptIdParams, response: { 200: WorkflowRunResponse, ...errors } },
    handler: async (req) => {
      const run = await scripts.run(req.organizationId, req.params.script_id, runBody(req.body), startOptions(req));
      return services.presentRun(run, { justCreated: true });
    },
  });

  // ---- dashboard routes, hidden like Skyvern's ----

  defineRoute(app, {
    method: 'GET', url: '/v1/scripts/workflows/:workflow_permanent_id', operationId: 'list_workflow_scripts', tags, hidden: true,
    schema: { params: WorkflowScriptParams, response: { 200: WorkflowScriptsListResponse, ...errors } },
    handler: async (req) => scriptViews.listForWorkflow(req.organizationId, req.params.workflow_permanent_id),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/scripts/:script_id/versions', operationId: 'get_script_versions', tags, hidden: true,
    schema: { params: ScriptIdParams, response: { 200: ScriptVersionListResponse, ...errors } },
    handler: async (req) => scriptViews.versions(req.organizationId, req.params.script_id),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/scripts/:script_id/versions/:version', operationId: 'get_script_version_code', tags, hidden: true,
    schema: { params: ScriptVersionParams, response: { 200: ScriptBlocksResponse, ...errors } },
    handler: async (req) => scriptViews.versionCode(req.organizationId, req.params.script_id, req.params.version),
  });

  // Ours: every file of a version as text (Skyvern only serves block code and main.py).
  defineRoute(app, {
    method: 'GET', url: '/v1/scripts/:script_id/files', operationId: 'get_script_files', tags, hidden: true,
    schema: { params: ScriptIdParams, querystring: ScriptFilesQuery, response: { 200: Type.Array(ScriptFileContent), ...errors } },
    handler: async (req) => scriptViews.files(req.organizationId, req.params.script_id, (req.query as { version?: number }).version),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/scripts/:script_id/runs', operationId: 'get_script_runs', tags, hidden: true,
    schema: { params: ScriptIdParams, querystring: ScriptRunsQuery, response: { 200: ScriptRunsResponse, ...errors } },
    handler: async (req) => scriptViews.runs(req.organizationId, req.params.script_id, req.query as RunsQueryT),
  });

  defineRoute(app, {
    method: 'DELETE', url: '/v1/scripts/:workflow_permanent_id/cache', operationId: 'clear_workflow_cache', tags, hidden: true,
    schema: { params: WorkflowScriptParams, response: { 200: ClearCacheResponse, ...errors } },
    handler: async (req) => scriptViews.clearCache(req.organizationId, req.params.workflow_permanent_id),
  });
}
