// Postgres holds every fact a user can ask about; Redis only holds work in flight.
import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { ScriptRunRef } from '../domain/script-files.ts';

const ts = (name: string) => timestamp(name, { precision: 6, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();
const modifiedAt = () => ts('modified_at').notNull().defaultNow();

export const serverSettings = pgTable('server_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const organizations = pgTable('organizations', {
  organizationId: text('organization_id').primaryKey(),
  organizationName: text('organization_name').notNull(),
  /** Runs of this organization that may execute at once; null = the server default. */
  maxConcurrentRuns: integer('max_concurrent_runs'),
  createdAt: createdAt(),
  modifiedAt: modifiedAt(),
});

export const apiKeys = pgTable('api_keys', {
  apiKeyId: text('api_key_id').primaryKey(),
  organizationId: text('organization_id').notNull().references(() => organizations.organizationId),
  /** sha256 of the key: what authentication compares. */
  keyHash: text('key_hash').notNull(),
  /** The key encrypted with the server secret: webhooks are signed with the plain key (Skyvern's contract). */
  keyEncrypted: text('key_encrypted').notNull(),
  valid: boolean('valid').notNull().default(true),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('api_keys_hash_idx').on(t.keyHash)]);

export const runs = pgTable('runs', {
  runId: text('run_id').primaryKey(),
  organizationId: text('organization_id').notNull().references(() => organizations.organizationId),
  runType: text('run_type').notNull(),
  status: text('status').notNull(),
  title: text('title'),
  /** The accepted request body, echoed back as `run_request`. */
  request: jsonb('request').notNull(),
  output: jsonb('output'),
  failureReason: text('failure_reason'),
  errors: jsonb('errors'),
  stepCount: integer('step_count').notNull().default(0),
  /** Executions started; a worker that died mid-run leaves attempts > 1 behind. */
  attempts: integer('attempts').notNull().default(0),
  maxSteps: integer('max_steps'),
  maxElapsedMinutes: integer('max_elapsed_minutes'),
  webhookUrl: text('webhook_url'),
  webhookFailureReason: text('webhook_failure_reason'),
  workflowId: text('workflow_id'),
  workflowPermanentId: text('workflow_permanent_id'),
  parentRunId: text('parent_run_id'),
  scheduleId: text('schedule_id'),
  triggerType: text('trigger_type'),
  browserSessionId: text('browser_session_id'),
  browserProfileId: text('browser_profile_id'),
  /** The caller's `x-user-agent` header: the user agent the run's pages present. */
  userAgent: text('user_agent'),
  /** Until when the executing worker promises to be alive; past it the run is owed again. */
  leaseExpiresAt: ts('lease_expires_at'),
  inputTokens: integer('input_tokens').notNull().default(0),
  outputTokens: integer('output_tokens').notNull().default(0),
  costUsd: doublePrecision('cost_usd').notNull().default(0),
  /** The cached script a `run_with: code` run uses (set at submit or by the engine); null for agent runs. */
  scriptRun: jsonb('script_run').$type<ScriptRunRef>(),
  createdAt: createdAt(),
  modifiedAt: modifiedAt(),
  queuedAt: ts('queued_at'),
  startedAt: ts('started_at'),
  finishedAt: ts('finished_at'),
}, (t) => [
  index('runs_org_created_idx').on(t.organizationId, t.createdAt),
  index('runs_active_idx').on(t.status, t.modifiedAt).where(sql`status in ('created','queued','running','paused')`),
  index('runs_wpid_idx').on(t.workflowPermanentId, t.createdAt),
  // The webhook reconciler looks for recently finished runs whose delivery was never created.
  index('runs_webhook_finished_idx').on(t.finishedAt).where(sql`webhook_url is not null`),
  // A script's runs and success rate (dashboard) are read by the script they used.
  index('runs_script_idx').on(sql`(script_run->>'script_id')`, t.createdAt).where(sql`script_run is not null`),
]);

export const steps = pgTable('steps', {
  stepId: text('step_id').primaryKey(),
  runId: text('run_id').notNull().references(() => runs.runId, { onDelete: 'cascade' }),
  organizationId: text('organization_id').notNull(),
  /** Task a workflow block ran as, when the step belongs to a block. */
  blockRunId: text('block_run_id'),
  order: integer('order').notNull(),
  retryIndex: integer('retry_index').notNull().default(0),
  status: text('status').notNull(),
  /** What the step did: actions chosen, their results, page URL, notes for the next prompt. */
  output: jsonb('output'),
  inputTokens: integer('input_tokens').notNull().default(0),
  outputTokens: integer('output_tokens').notNull().default(0),
  costUsd: doublePrecision('cost_usd').notNull().default(0),
  createdAt: createdAt(),
  modifiedAt: modifiedAt(),
}, (t) => [index('steps_run_idx').on(t.runId, t.order)]);

export const artifacts = pgTable('artifacts', {
  artifactId: text('artifact_id').primaryKey(),
  organizationId: text('organization_id').notNull(),
  runId: text('run_id').notNull().references(() => runs.runId, { onDelete: 'cascade' }),
  stepId: text('step_id'),
  blockRunId: text('block_run_id'),
  artifactType: text('artifact_type').notNull(),
  /** Where the store keeps it (`file://…` locally). */
  uri: text('uri').notNull(),
  fileSize: integer('file_size'),
  checksum: text('checksum'),
  createdAt: createdAt(),
  modifiedAt: modifiedAt(),
}, (t) => [index('artifacts_run_idx').on(t.runId, t.createdAt)]);

export * from './schema/webhooks.ts';
export * from './schema/workflows.ts';
export * from './schema/schedules.ts';
export * from './schema/credentials.ts';
export * from './schema/browser-sessions.ts';
export * from './schema/tags.ts';
export * from './schema/scripts.ts';
