import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ErrorDetail, HTTPValidationError, RunIdParams } from '../../../contracts/common.ts';
import { RetryRunWebhookRequest, RunWebhookReplayResponse, WebhookDelivery } from '../../../contracts/webhooks.ts';
import type { AppServices } from '../../services.ts';
import { defineRoute } from '../define.ts';

export function webhooksRoutes(app: FastifyInstance, services: AppServices): void {
  // The SDK sends an empty JSON body here; the body parser turns it into `{}`.
  defineRoute(app, {
    method: 'POST', url: '/v1/runs/:run_id/retry_webhook', operationId: 'retry_run_webhook_v1_runs__run_id__retry_webhook_post',
    tags: ['Runs'], summary: 'Replay a run webhook',
    schema: { params: RunIdParams, body: RetryRunWebhookRequest, response: { 200: RunWebhookReplayResponse, 400: ErrorDetail, 404: ErrorDetail, 422: HTTPValidationError } },
    handler: async (req) => {
      const body = req.body as { webhook_url?: string | null } | null | undefined;
      return services.webhooks.replay(req.organizationId, req.params.run_id, body?.webhook_url);
    },
  });

  // Our addition (not in Skyvern's document): every delivery of a run and each attempt at it.
  defineRoute(app, {
    method: 'GET', url: '/v1/runs/:run_id/webhook_deliveries', operationId: 'list_run_webhook_deliveries', hidden: true,
    schema: { params: RunIdParams, response: { 200: Type.Array(WebhookDelivery), 404: ErrorDetail } },
    handler: async (req) => services.webhooks.listDeliveries(req.organizationId, req.params.run_id),
  });
}
