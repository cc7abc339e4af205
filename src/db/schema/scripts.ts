// Cached scripts: code that replays a workflow without the model. A script is the stable identity
// (per workflow and rendered cache key); each upload, deploy or regeneration adds an immutable
// revision holding the files themselves (small text files, so jsonb rather than the artifact store).
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { StoredScriptFile } from '../../domain/script-files.ts';
import { organizations } from '../schema.ts';

const ts = (name: string) => timestamp(name, { precision: 6, mode: 'date' });

export const scripts = pgTable('scripts', {
  /** `s_…`: what users address; shared by every version. */
  scriptId: text('script_id').primaryKey(),
  organizationId: text('organization_id').notNull().references(() => organizations.organizationId),
  /** The workflow whose runs use this script; null for a task run's script (and one uploaded on its own). */
  workflowPermanentId: text('workflow_permanent_id'),
  /** The workflow's cache key template (e.g. `default`) when the script was made. */
  cacheKey: text('cache_key'),
  /** The rendered cache key: one live script per workflow and value (per organization and value for task scripts). */
  cacheKeyValue: text('cache_key_value'),
  createdAt: ts('created_at').notNull().defaultNow(),
  modifiedAt: ts('modified_at').notNull().defaultNow(),
  /** Soft delete (clearing a workflow's cache): runs keep pointing at the script they used. */
  deletedAt: ts('deleted_at'),
}, (t) => [
  uniqueIndex('scripts_workflow_key_idx').on(t.organizationId, t.workflowPermanentId, t.cacheKeyValue)
    .where(sql`deleted_at is null and workflow_permanent_id is not null`),
  // Task runs' scripts: one live script per organization and `task:<hash>` cache key value.
  uniqueIndex('scripts_task_key_idx').on(t.organizationId, t.cacheKeyValue)
    .where(sql`deleted_at is null and workflow_permanent_id is null`),
  index('scripts_org_created_idx').on(t.organizationId, t.createdAt).where(sql`deleted_at is null`),
]);

export const scriptRevisions = pgTable('script_revisions', {
  /** `sr_…`: one immutable version. */
  scriptRevisionId: text('script_revision_id').primaryKey(),
  scriptId: text('script_id').notNull().references(() => scripts.scriptId),
  organizationId: text('organization_id').notNull(),
  /** 1, 2, … per script; never reused, even after a revision is deleted. */
  version: integer('version').notNull(),
  /** The run whose execution generated this version; null for uploads. */
  runId: text('run_id'),
  files: jsonb('files').$type<StoredScriptFile[]>().notNull(),
  /** Block label → where its code lives (`ScriptBlockRef`); written by the engine. */
  blocks: jsonb('blocks').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: ts('created_at').notNull().defaultNow(),
  modifiedAt: ts('modified_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
}, (t) => [
  uniqueIndex('script_revisions_script_version_idx').on(t.scriptId, t.version),
]);
