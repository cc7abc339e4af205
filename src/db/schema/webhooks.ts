// Webhook deliveries and every attempt at them: what a user asks when a receiver says it saw
// nothing. One `terminal` delivery per run (a unique index makes creating it idempotent, so a
// cancel racing the worker still sends one); each `retry_webhook` call is its own `replay`.
import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { runs } from '../schema.ts';

const ts = (name: string) => timestamp(name, { precision: 6, mode: 'date' });

export const webhookDeliveries = pgTable('webhook_deliveries', {
  /** Also sent as the idempotency header: the same on every retry, so receivers can drop duplicates. */
  deliveryId: text('delivery_id').primaryKey(),
  runId: text('run_id').notNull().references(() => runs.runId, { onDelete: 'cascade' }),
  organizationId: text('organization_id').notNull(),
  /** `terminal` (the run finished) or `replay` (POST /v1/runs/{id}/retry_webhook). */
  trigger: text('trigger').notNull(),
  url: text('url').notNull(),
  /** `pending` until delivered or given up (`delivered` | `failed`). */
  status: text('status').notNull(),
  /** The exact body, frozen at the first attempt so every retry sends (and signs) the same bytes. */
  payload: text('payload'),
  attempts: integer('attempts').notNull().default(0),
  lastStatusCode: integer('last_status_code'),
  lastError: text('last_error'),
  createdAt: ts('created_at').notNull().defaultNow(),
  modifiedAt: ts('modified_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
}, (t) => [
  uniqueIndex('webhook_deliveries_terminal_idx').on(t.runId).where(sql`"trigger" = 'terminal'`),
  index('webhook_deliveries_run_idx').on(t.runId, t.createdAt),
  index('webhook_deliveries_pending_idx').on(t.modifiedAt).where(sql`status = 'pending'`),
]);

export const webhookAttempts = pgTable('webhook_attempts', {
  attemptId: bigserial('attempt_id', { mode: 'number' }).primaryKey(),
  deliveryId: text('delivery_id').notNull().references(() => webhookDeliveries.deliveryId, { onDelete: 'cascade' }),
  runId: text('run_id').notNull(),
  organizationId: text('organization_id').notNull(),
  attemptNumber: integer('attempt_number').notNull(),
  url: text('url').notNull(),
  /** `delivered`, `retrying` (another attempt follows) or `failed` (given up). */
  outcome: text('outcome').notNull(),
  /** Receiver's HTTP status; null when no response came (refused target, timeout, network error). */
  statusCode: integer('status_code'),
  latencyMs: integer('latency_ms'),
  /** First 2 KB of the receiver's answer. */
  responseExcerpt: text('response_excerpt'),
  error: text('error'),
  startedAt: ts('started_at').notNull(),
  finishedAt: ts('finished_at').notNull().defaultNow(),
}, (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attemptNumber)]);
