import type { WebhookDelivery } from '../../contracts/webhooks.ts';
import type { WebhookAttemptRow, WebhookDeliveryRow } from '../../db/repositories/webhooks.repo.ts';
import { toWireTime, toWireTimeRequired } from '../../domain/time.ts';

export function presentDelivery(d: WebhookDeliveryRow & { attemptRows: WebhookAttemptRow[] }): WebhookDelivery {
  return {
    delivery_id: d.deliveryId,
    run_id: d.runId,
    trigger: d.trigger as WebhookDelivery['trigger'],
    url: d.url,
    status: d.status as WebhookDelivery['status'],
    attempt_count: d.attempts,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    created_at: toWireTimeRequired(d.createdAt),
    modified_at: toWireTimeRequired(d.modifiedAt),
    finished_at: toWireTime(d.finishedAt),
    attempts: d.attemptRows.map((a) => ({
      attempt_number: a.attemptNumber,
      url: a.url,
      outcome: a.outcome as WebhookDelivery['attempts'][number]['outcome'],
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      response_body: a.responseExcerpt,
      error: a.error,
      started_at: toWireTimeRequired(a.startedAt),
      finished_at: toWireTimeRequired(a.finishedAt),
    })),
  };
}
