// Run tags: set/remove on one workflow run, its tag history, and batch reads for run lists.
import type { FastifyInstance } from 'fastify';
import { ErrorDetail, HTTPValidationError } from '../../../contracts/common.ts';
import {
  RunTagHistoryQuery, RunTagHistoryResponse, RunTagParams, RunTagsBatchQuery, RunTagsBatchRequest, RunTagsBatchResponse, RunTagsResponse, TagApplyRequest,
  type RunTagHistoryQuery as RunTagHistoryQueryT, type TagApplyRequest as TagApplyRequestT,
} from '../../../contracts/run-tags.ts';
import { WorkflowRunIdParams } from '../../../contracts/workflow-runs.ts';
import type { AppServices } from '../../services.ts';
import { defineRoute } from '../define.ts';

const tags = ['Tags'];

export function runTagsRoutes(app: FastifyInstance, services: AppServices): void {
  const { runTags } = services;

  defineRoute(app, {
    method: 'POST', url: '/v1/runs/:workflow_run_id/tags', operationId: 'apply_run_tags_v1_runs__workflow_run_id__tags_post', tags, summary: 'Apply run tags',
    schema: { params: WorkflowRunIdParams, body: TagApplyRequest, response: { 200: RunTagsResponse, 404: ErrorDetail, 422: HTTPValidationError } },
    handler: async (req) => runTags.apply(req.organizationId, req.params.workflow_run_id, req.body as TagApplyRequestT),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/runs/:workflow_run_id/tags', operationId: 'get_run_tags_v1_runs__workflow_run_id__tags_get', tags, summary: 'Get run tags',
    schema: { params: WorkflowRunIdParams, response: { 200: RunTagsResponse, 404: ErrorDetail, 422: HTTPValidationError } },
    handler: async (req) => runTags.get(req.organizationId, req.params.workflow_run_id),
  });

  defineRoute(app, {
    method: 'DELETE', url: '/v1/runs/:workflow_run_id/tags/:key', operationId: 'delete_run_tag_v1_runs__workflow_run_id__tags__key__delete', tags, summary: 'Delete a run tag',
    schema: { params: RunTagParams, response: { 200: RunTagsResponse, 404: ErrorDetail, 422: HTTPValidationError } },
    handler: async (req) => runTags.deleteKey(req.organizationId, req.params.workflow_run_id, req.params.key),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/runs/:workflow_run_id/tags/history', operationId: 'get_run_tag_history_v1_runs__workflow_run_id__tags_history_get', tags, summary: 'Get run tag history',
    schema: { params: WorkflowRunIdParams, querystring: RunTagHistoryQuery, response: { 200: RunTagHistoryResponse, 404: ErrorDetail, 422: HTTPValidationError } },
    handler: async (req) => runTags.history(req.organizationId, req.params.workflow_run_id, req.query as RunTagHistoryQueryT),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/run-tags', operationId: 'batch_get_run_tags_v1_run_tags_get', tags, summary: 'Batch get run tags',
    schema: { querystring: RunTagsBatchQuery, response: { 200: RunTagsBatchResponse, 400: ErrorDetail, 422: HTTPValidationError } },
    handler: async (req) => runTags.batch(req.organizationId, ((req.query as { workflow_run_ids?: string | null }).workflow_run_ids ?? '').split(',')),
  });

  defineRoute(app, {
    method: 'POST', url: '/v1/run-tags', operationId: 'batch_get_run_tags_post_v1_run_tags_post', tags, summary: 'Batch get run tags',
    schema: { body: RunTagsBatchRequest, response: { 200: RunTagsBatchResponse, 400: ErrorDetail, 422: HTTPValidationError } },
    handler: async (req) => runTags.batch(req.organizationId, (req.body as { workflow_run_ids?: string[] }).workflow_run_ids ?? []),
  });
}
