// Wire shapes of webhook replays (Skyvern's contract) and of our delivery log (our addition).
import { Type, type Static } from 'typebox';
import { Nullable, StringMap } from './common.ts';

export const RetryRunWebhookRequest = Nullable(Type.Object({
  webhook_url: Type.Optional(Nullable(Type.String())),
}, { title: 'RetryRunWebhookRequest' }));
export type RetryRunWebhookRequest = Static<typeof RetryRunWebhookRequest>;

export const RunWebhookReplayResponse = Type.Object({
  run_id: Type.String(),
  run_type: Type.String(),
  default_webhook_url: Type.Optional(Nullable(Type.String())),
  target_webhook_url: Type.Optional(Nullable(Type.String())),
  /** The exact JSON text that was signed and sent. */
  payload: Type.String(),
  headers: StringMap,
  status_code: Type.Optional(Nullable(Type.Integer())),
  latency_ms: Type.Optional(Nullable(Type.Integer())),
  response_body: Type.Optional(Nullable(Type.String())),
  error: Type.Optional(Nullable(Type.String())),
}, { title: 'RunWebhookReplayResponse' });
export type RunWebhookReplayResponse = Static<typeof RunWebhookReplayResponse>;

export const WebhookDeliveryAttempt = Type.Object({
  attempt_number: Type.Integer(),
  url: Type.String(),
  outcome: Type.Union([Type.Literal('delivered'), Type.Literal('retrying'), Type.Literal('failed')]),
  status_code: Nullable(Type.Integer()),
  latency_ms: Nullable(Type.Integer()),
  response_body: Nullable(Type.String()),
  error: Nullable(Type.String()),
  started_at: Type.String(),
  finished_at: Type.String(),
}, { title: 'WebhookDeliveryAttempt' });

export const WebhookDelivery = Type.Object({
  delivery_id: Type.String(),
  run_id: Type.String(),
  trigger: Type.Union([Type.Literal('terminal'), Type.Literal('replay')]),
  url: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempt_count: Type.Integer(),
  last_status_code: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  created_at: Type.String(),
  modified_at: Type.String(),
  finished_at: Nullable(Type.String()),
  attempts: Type.Array(WebhookDeliveryAttempt),
}, { title: 'WebhookDelivery' });
export type WebhookDelivery = Static<typeof WebhookDelivery>;
