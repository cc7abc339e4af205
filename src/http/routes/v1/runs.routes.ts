import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorDetail, HTTPValidationError, RunIdParams } from '../../../contracts/common.ts';
import { BulkCancelRunsRequest, BulkCancelRunsResponse, RunListQuery, TaskRunListItem, TaskRunRequest, TaskRunResponse, type RunListQuery as RunListQueryT, type TaskRunRequest as TaskRunRequestT } from '../../../contracts/runs.ts';
import { presentRunListItem } from '../../../services/presenters/run.presenter.ts';
import type { AppServices } from '../../services.ts';
import { defineRoute } from '../define.ts';

export function runsRoutes(app: FastifyInstance, services: AppServices): void {
  defineRoute(app, {
    method: 'POST', url: '/v1/run/tasks', operationId: 'run_task_v1_run_tasks_post', tags: ['Agents'], summary: 'Run a task',
    schema: { body: TaskRunRequest, response: { 200: TaskRunResponse, 400: ErrorDetail, 422: HTTPValidationError } },
    handler: async (req) => {
      const userAgent = req.headers['x-user-agent'] as string | undefined;
      const run = await services.runs.createTaskRun(req.organizationId, req.body as TaskRunRequestT, { userAgent });
      return services.presentRun(run, { justCreated: true });
    },
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/runs/:run_id', operationId: 'get_run_v1_runs__run_id__get', tags: ['Agents'], summary: 'Get a run by id',
    schema: { params: RunIdParams, response: { 200: Type.Unknown(), 404: ErrorDetail } },
    handler: async (req) => services.presentRun(await services.runs.getRun(req.organizationId, req.params.run_id)),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/runs', operationId: 'get_runs_v2_v1_runs_get', tags: ['Agents'], summary: 'List runs',
    schema: { querystring: RunListQuery, response: { 200: Type.Array(TaskRunListItem) } },
    handler: async (req) => (await services.runs.listRuns(req.organizationId, req.query as RunListQueryT)).map(presentRunListItem),
  });

  defineRoute(app, {
    method: 'POST', url: '/v1/runs/:run_id/cancel', operationId: 'cancel_run_v1_runs__run_id__cancel_post', tags: ['Agents'], summary: 'Cancel a run by id',
    schema: { params: RunIdParams, response: { 200: Type.Null(), 404: ErrorDetail } },
    handler: async (req) => { await services.runs.cancel(req.organizationId, req.params.run_id); return null; },
  });

  defineRoute(app, {
    method: 'POST', url: '/v1/runs/cancel', operationId: 'bulk_cancel_runs_v1_runs_cancel_post', tags: ['Agents'], summary: 'Cancel multiple runs',
    schema: { body: BulkCancelRunsRequest, response: { 200: BulkCancelRunsResponse } },
    handler: async (req) => services.runs.bulkCancel(req.organizationId, (req.body as { run_ids: string[] }).run_ids),
  });
}
