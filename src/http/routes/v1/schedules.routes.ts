import type { FastifyInstance } from 'fastify';
import { ErrorDetail, HTTPValidationError } from '../../../contracts/common.ts';
import {
  DeleteScheduleResponse, OrganizationScheduleListQuery, OrganizationScheduleListResponse, WorkflowScheduleIdParams,
  WorkflowScheduleListResponse, WorkflowScheduleParams, WorkflowScheduleResponse, WorkflowScheduleUpsertRequest,
  type OrganizationScheduleListQuery as OrganizationScheduleListQueryT, type WorkflowScheduleUpsertRequest as UpsertT,
} from '../../../contracts/schedules.ts';
import type { AppServices } from '../../services.ts';
import { defineRoute } from '../define.ts';

// Every schedule route answers at the documented `/v1/agents/...`, the hidden `/v1/workflows/...`
// twin and the legacy `/api/v1/workflows/...` form the seed docs use.
const BASE = '/v1/agents/:workflow_permanent_id/schedules';
const twins = (suffix: string) => [`/v1/workflows/:workflow_permanent_id/schedules${suffix}`, `/api/v1/workflows/:workflow_permanent_id/schedules${suffix}`];
const errors = { 400: ErrorDetail, 404: ErrorDetail, 422: HTTPValidationError, 501: ErrorDetail };
const tags = ['Schedules'];

export function schedulesRoutes(app: FastifyInstance, services: AppServices): void {
  const { schedules } = services;

  defineRoute(app, {
    method: 'GET', url: '/v1/schedules', aliases: ['/api/v1/schedules'], operationId: 'schedules_list_all', tags,
    summary: 'List all schedules for the organization',
    schema: { querystring: OrganizationScheduleListQuery, response: { 200: OrganizationScheduleListResponse, ...errors } },
    handler: async (req) => schedules.listAll(req.organizationId, req.query as OrganizationScheduleListQueryT),
  });

  defineRoute(app, {
    method: 'POST', url: BASE, aliases: twins(''), operationId: 'schedules_create', tags, summary: 'Create a schedule for an agent',
    schema: { params: WorkflowScheduleParams, body: WorkflowScheduleUpsertRequest, response: { 200: WorkflowScheduleResponse, ...errors } },
    handler: async (req) => schedules.create(req.organizationId, req.params.workflow_permanent_id, req.body as UpsertT),
  });

  defineRoute(app, {
    method: 'GET', url: BASE, aliases: twins(''), operationId: 'schedules_list', tags, summary: 'List schedules for an agent',
    schema: { params: WorkflowScheduleParams, response: { 200: WorkflowScheduleListResponse, ...errors } },
    handler: async (req) => schedules.list(req.organizationId, req.params.workflow_permanent_id),
  });

  defineRoute(app, {
    method: 'GET', url: `${BASE}/:workflow_schedule_id`, aliases: twins('/:workflow_schedule_id'), operationId: 'schedules_get', tags,
    summary: 'Get an agent schedule by id',
    schema: { params: WorkflowScheduleIdParams, response: { 200: WorkflowScheduleResponse, ...errors } },
    handler: async (req) => schedules.get(req.organizationId, req.params.workflow_permanent_id, req.params.workflow_schedule_id),
  });

  defineRoute(app, {
    method: 'PUT', url: `${BASE}/:workflow_schedule_id`, aliases: twins('/:workflow_schedule_id'), operationId: 'schedules_update', tags,
    summary: 'Update an agent schedule',
    schema: { params: WorkflowScheduleIdParams, body: WorkflowScheduleUpsertRequest, response: { 200: WorkflowScheduleResponse, ...errors } },
    handler: async (req) => schedules.update(req.organizationId, req.params.workflow_permanent_id, req.params.workflow_schedule_id, req.body as UpsertT),
  });

  defineRoute(app, {
    method: 'DELETE', url: `${BASE}/:workflow_schedule_id`, aliases: twins('/:workflow_schedule_id'), operationId: 'schedules_delete', tags,
    summary: 'Delete an agent schedule',
    schema: { params: WorkflowScheduleIdParams, response: { 200: DeleteScheduleResponse, ...errors } },
    handler: async (req) => schedules.remove(req.organizationId, req.params.workflow_permanent_id, req.params.workflow_schedule_id),
  });

  // The SDK sends enable/disable with no body and no content type.
  for (const action of ['enable', 'disable'] as const) {
    defineRoute(app, {
      method: 'POST', url: `${BASE}/:workflow_schedule_id/${action}`, aliases: twins(`/:workflow_schedule_id/${action}`),
      operationId: `schedules_${action}`, tags, summary: `${action === 'enable' ? 'Enable' : 'Disable'} an agent schedule`,
      schema: { params: WorkflowScheduleIdParams, response: { 200: WorkflowScheduleResponse, ...errors } },
      handler: async (req) => schedules[action](req.organizationId, req.params.workflow_permanent_id, req.params.workflow_schedule_id),
    });
  }
}
