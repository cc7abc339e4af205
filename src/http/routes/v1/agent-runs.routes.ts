// Workflow runs: start one, retry one, list them, and the block-by-block timeline of any run.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorDetail, HTTPValidationError, RunIdParams } from '../../../contracts/common.ts';
import {
  RunAgentQuery, WorkflowRun, WorkflowRunIdParams, WorkflowRunListQuery, WorkflowRunRequest, WorkflowRunResponse, WorkflowRunTimeline,
  WorkflowRunsByIdQuery, type WorkflowRunRequest as WorkflowRunRequestT,
} from '../../../contracts/workflow-runs.ts';
import { WorkflowIdParams } from '../../../contracts/workflows.ts';
import type { RunRow } from '../../../db/repositories/runs.repo.ts';
import { presentWorkflowRun } from '../../../services/presenters/workflow-run.presenter.ts';
import { parseMaxStepsOverride } from '../../../services/workflow-runs.service.ts';
import type { AppServices } from '../../services.ts';
import { defineRoute, type RouteRequest } from '../define.ts';

const tags = ['Runs'];

/** The run-start headers (`x-max-steps-override`, `x-user-agent`); shared with the script run route. */
export const startOptions = (req: RouteRequest) => ({
  maxStepsOverride: parseMaxStepsOverride(req.headers['x-max-steps-override']),
  userAgent: (req.headers['x-user-agent'] as string | undefined) ?? null,
});

export function agentRunsRoutes(app: FastifyInstance, services: AppServices): void {
  const { workflowRuns } = services;
  const presentList = async (list: RunRow[]) => {
    const titles = await workflowRuns.workflowTitles(list);
    return list.map((run) => presentWorkflowRun(run, titles.get(run.workflowId ?? '') ?? null));
  };

  defineRoute(app, {
    method: 'POST', url: '/v1/run/agents', aliases: ['/v1/run/workflows'], operationId: 'run_workflow_v1_run_agents_post', tags, summary: 'Run an agent',
    // `template` (run a global template) is accepted for compatibility; this server has no templates of its own.
    schema: { querystring: RunAgentQuery, body: WorkflowRunRequest, response: { 200: WorkflowRunResponse, 400: ErrorDetail, 404: ErrorDetail, 422: HTTPValidationError } },
    handler: async (req) => {
      const run = await workflowRuns.start(req.organizationId, req.body as WorkflowRunRequestT, startOptions(req));
      return services.presentRun(run, { justCreated: true });
    },
  });

  defineRoute(app, {
    method: 'POST', url: '/v1/agents/runs/:workflow_run_id/retry', aliases: ['/v1/workflows/runs/:workflow_run_id/retry'],
    operationId: 'retry_workflow_run_v1_workflows_runs__workflow_run_id__retry_post', tags, summary: 'Retry a finished agent run',
    schema: { params: WorkflowRunIdParams, response: { 200: WorkflowRunResponse, 400: ErrorDetail, 404: ErrorDetail } },
    handler: async (req) => {
      const run = await workflowRuns.retry(req.organizationId, req.params.workflow_run_id, startOptions(req));
      return services.presentRun(run, { justCreated: true });
    },
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/agents/runs', aliases: ['/v1/workflows/runs', '/api/v1/workflows/runs'],
    operationId: 'get_workflow_runs_v1_workflows_runs_get', tags, summary: 'List agent runs',
    schema: { querystring: WorkflowRunListQuery, response: { 200: Type.Array(WorkflowRun), 422: HTTPValidationError } },
    // Only this route's own filters: `tags`, dates… sent here are not validated, so they are not passed on.
    handler: async (req) => {
      const { page, page_size, status, search_key, error_code } = req.query;
      return presentList(await workflowRuns.list(req.organizationId, { page, page_size, status, search_key, error_code }));
    },
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/agents/:workflow_id/runs', aliases: ['/v1/workflows/:workflow_id/runs'],
    operationId: 'get_workflow_runs_by_id_v1_workflows__workflow_id__runs_get', tags, summary: "List one agent's runs",
    schema: { params: WorkflowIdParams, querystring: WorkflowRunsByIdQuery, response: { 200: Type.Array(WorkflowRun), 404: ErrorDetail, 422: HTTPValidationError } },
    handler: async (req) => presentList(await workflowRuns.list(req.organizationId, req.query, req.params.workflow_id)),
  });

  defineRoute(app, {
    method: 'GET', url: '/v1/runs/:run_id/timeline', operationId: 'get_run_timeline_v1_runs__run_id__timeline_get', tags, summary: 'Get run timeline',
    schema: { params: RunIdParams, response: { 200: Type.Array(WorkflowRunTimeline), 400: ErrorDetail, 404: ErrorDetail } },
    handler: async (req) => services.workflowTimeline.timeline(req.organizationId, req.params.run_id),
  });
}
