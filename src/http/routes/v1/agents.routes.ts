// Workflow ("agent") definitions: create, update (a new version), read, list, versions, delete.
// Skyvern's `/v1/workflows/...` twins and the legacy `/api/v1/workflows` forms answer too, hidden.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorDetail, HTTPValidationError } from '../../../contracts/common.ts';
import {
  CreateWorkflowQuery, TemplateQuery, Workflow, WorkflowGetQuery, WorkflowIdParams, WorkflowListQuery, WorkflowRequest, WpidParams,
  type WorkflowListQuery as WorkflowListQueryT, type WorkflowRequest as WorkflowRequestT,
} from '../../../contracts/workflows.ts';
import { validationError } from '../../../domain/errors.ts';
import { presentWorkflow } from '../../../services/presenters/workflow.presenter.ts';
import type { AppServices } from '../../services.ts';
import { defineRoute, type RouteRequest } from '../define.ts';

const tags = ['Agents'];

/** `Idempotency-Key`: 1 to 255 visible ASCII characters. */
function idempotencyKey(req: RouteRequest): string | undefined {
  const key = req.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw validationError(['header', 'Idempotency-Key'], 'Idempotency-Key must contain 1 to 255 visible ASCII bytes.');
  }
  return key;
}

/** Legacy routes take the YAML document itself as the body. */
const rawYaml = (body: unknown): WorkflowRequestT =>
  (typeof body === 'string' ? { yaml_definition: body } : (body ?? {})) as WorkflowRequestT;

export function agentsRoutes(app: FastifyInstance, services: AppServices): void {
  const { workflows } = services;

  defineRoute(app, {
    method: 'POST', url: '/v1/agents', aliases: ['/v1/workflows'], operationId: 'create_workflow_v1_agents_post', tags, summary: 'Create a new agent',
    schema: { querystring: CreateWorkflowQuery, body: WorkflowRequest, response: { 200: Workflow, 422: HTTPValidationError } },
    handler: async (req) => presentWorkflow(await workflows.create(req.organizationId, req.body as WorkflowRequestT, {
      folderId: req.query.folder_id, idempotencyKey: idempotencyKey(req),
    })),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/agents', aliases: ['/v1/workflows', '/api/v1/workflows'], operationId: 'get_workflows_v1_workflows_get', tags, summary: 'Get agents',
    schema: { querystring: WorkflowListQuery, response: { 200: Type.Array(Workflow), 422: HTTPValidationError } },
    handler: async (req) => (await workflows.list(req.organizationId, req.query as WorkflowListQueryT)).map(presentWorkflow),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/agents/:workflow_permanent_id', aliases: ['/v1/workflows/:workflow_permanent_id', '/api/v1/workflows/:workflow_permanent_id'],
    operationId: 'get_workflow_v1_workflows__workflow_permanent_id__get', tags, summary: 'Get an agent by id',
    schema: { params: WpidParams, querystring: WorkflowGetQuery, response: { 200: Workflow, 404: ErrorDetail, 422: HTTPValidationError } },
    handler: async (req) => presentWorkflow(await workflows.get(req.organizationId, req.params.workflow_permanent_id, req.query.version)),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/agents/:workflow_permanent_id/versions', aliases: ['/v1/workflows/:workflow_permanent_id/versions'],
    operationId: 'get_workflow_versions_v1_workflows__workflow_permanent_id__versions_get', tags, summary: 'Get every version of an agent',
    schema: { params: WpidParams, querystring: TemplateQuery, response: { 200: Type.Array(Workflow), 404: ErrorDetail } },
    handler: async (req) => (await workflows.versions(req.organizationId, req.params.workflow_permanent_id)).map(presentWorkflow),
  });

  defineRoute(app, {
    method: 'POST', url: '/v1/agents/:workflow_id', aliases: ['/v1/workflows/:workflow_id'],
    operationId: 'update_workflow_v1_agents__workflow_id__post', tags, summary: 'Update an agent (creates a new version)',
    schema: { params: WorkflowIdParams, body: WorkflowRequest, response: { 200: Workflow, 404: ErrorDetail, 422: HTTPValidationError } },
    handler: async (req) => presentWorkflow(await workflows.update(req.organizationId, req.params.workflow_id, req.body as WorkflowRequestT)),
  });

  defineRoute(app, {
    method: 'POST', url: '/v1/agents/:workflow_id/delete', aliases: ['/v1/workflows/:workflow_id/delete'],
    operationId: 'delete_workflow_v1_agents__workflow_id__delete_post', tags, summary: 'Delete an agent (every version)',
    schema: { params: WorkflowIdParams, response: { 200: Type.Null(), 404: ErrorDetail } },
    handler: async (req) => { await workflows.delete(req.organizationId, req.params.workflow_id); return null; },
  });

  defineRoute(app, {
    method: 'POST', url: '/v1/agents/:workflow_permanent_id/browser_session/reset_profile',
    aliases: ['/v1/agents/:workflow_permanent_id/browser_session/refresh'],
    operationId: 'reset_workflow_browser_profile', tags, summary: 'Reset persisted browser profile',
    schema: { params: WpidParams, response: { 204: Type.Null(), 404: ErrorDetail } },
    handler: async (req, reply) => {
      await workflows.resetBrowserState(req.organizationId, req.params.workflow_permanent_id);
      return reply.status(204).send();
    },
  });

  // Legacy raw-YAML forms (old SDK, n8n/Zapier).
  defineRoute(app, {
    method: 'POST', url: '/api/v1/workflows', hidden: true, operationId: 'legacy_create_workflow',
    handler: async (req) => presentWorkflow(await workflows.create(req.organizationId, rawYaml(req.body), { idempotencyKey: idempotencyKey(req) })),
  });
  defineRoute(app, {
    method: 'PUT', url: '/api/v1/workflows/:workflow_id', hidden: true, operationId: 'legacy_update_workflow',
    handler: async (req) => presentWorkflow(await workflows.update(req.organizationId, req.params.workflow_id, rawYaml(req.body))),
  });
  defineRoute(app, {
    method: 'DELETE', url: '/api/v1/workflows/:workflow_id', hidden: true, operationId: 'legacy_delete_workflow',
    handler: async (req) => { await workflows.delete(req.organizationId, req.params.workflow_id); return null; },
  });
}
