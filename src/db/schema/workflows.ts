// Workflows ("agents"): one immutable row per version, the block executions of workflow runs
// (what the timeline shows), and the browser state a `persist_browser_session` workflow carries
// from one run to the next. Runs themselves live in `runs` (run_type `workflow_run`).
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations, runs } from '../schema.ts';

const ts = (name: string) => timestamp(name, { precision: 6, mode: 'date' });

export const workflows = pgTable('workflows', {
  /** `w_…`: this version. */
  workflowId: text('workflow_id').primaryKey(),
  organizationId: text('organization_id').notNull().references(() => organizations.organizationId),
  /** `wpid_…`: shared by every version; what users address. */
  workflowPermanentId: text('workflow_permanent_id').notNull(),
  version: integer('version').notNull(),
  title: text('title').notNull(),
  status: text('status').notNull(),
  isSavedTask: boolean('is_saved_task').notNull().default(false),
  isTemplate: boolean('is_template').notNull().default(false),
  folderId: text('folder_id'),
  /** The parsed create/update request (defaults filled): what runs execute. */
  request: jsonb('request').notNull(),
  /** The response form of the definition, built once at save time so its ids stay stable. */
  definition: jsonb('definition').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  modifiedAt: ts('modified_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
}, (t) => [
  uniqueIndex('workflows_wpid_version_idx').on(t.workflowPermanentId, t.version),
  index('workflows_org_created_idx').on(t.organizationId, t.createdAt),
]);

export const workflowRunBlocks = pgTable('workflow_run_blocks', {
  /** `wrb_…`: one execution of one block (a loop body block has one per iteration). */
  workflowRunBlockId: text('workflow_run_block_id').primaryKey(),
  runId: text('run_id').notNull().references(() => runs.runId, { onDelete: 'cascade' }),
  organizationId: text('organization_id').notNull(),
  /** The loop or conditional this execution ran under (timeline nesting). */
  parentBlockRunId: text('parent_block_run_id'),
  blockType: text('block_type').notNull(),
  label: text('label').notNull(),
  status: text('status').notNull(),
  output: jsonb('output'),
  continueOnFailure: boolean('continue_on_failure').notNull().default(false),
  failureReason: text('failure_reason'),
  /** `tsk_…` of the agent task a task-like block ran as. */
  taskId: text('task_id'),
  loopValues: jsonb('loop_values'),
  currentValue: text('current_value'),
  currentIndex: integer('current_index'),
  /** Rendered block fields shown in the timeline (goals, url, prompt, branch taken…). */
  details: jsonb('details'),
  createdAt: ts('created_at').notNull().defaultNow(),
  modifiedAt: ts('modified_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
}, (t) => [index('workflow_run_blocks_run_idx').on(t.runId, t.createdAt)]);

export const workflowBrowserStates = pgTable('workflow_browser_states', {
  organizationId: text('organization_id').notNull(),
  workflowPermanentId: text('workflow_permanent_id').notNull(),
  /** Playwright `storageState()`: cookies and localStorage per origin. */
  storageState: jsonb('storage_state').notNull(),
  /** The completed run that saved it. */
  runId: text('run_id'),
  modifiedAt: ts('modified_at').notNull().default(sql`now()`),
}, (t) => [primaryKey({ columns: [t.organizationId, t.workflowPermanentId] })]);
