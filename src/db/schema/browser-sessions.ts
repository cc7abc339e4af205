// Persistent browser sessions (`pbs_…`: a Chromium kept alive by one worker and reachable over
// CDP, shared by the runs that name it) and browser profiles (`bp_…`: saved browser state that
// seeds new sessions and runs).
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { organizations } from '../schema.ts';

const ts = (name: string) => timestamp(name, { precision: 6, mode: 'date' });

export const browserSessions = pgTable('browser_sessions', {
  browserSessionId: text('browser_session_id').primaryKey(),
  organizationId: text('organization_id').notNull().references(() => organizations.organizationId),
  /** `created` → `running` → `completed` | `failed` | `timeout`. */
  status: text('status').notNull(),
  timeoutMinutes: integer('timeout_minutes').notNull(),
  /** The CDP endpoint of the session's browser, once a worker has started it. */
  browserAddress: text('browser_address'),
  /** The run currently driving the session (one at a time). */
  runnableType: text('runnable_type'),
  runnableId: text('runnable_id'),
  browserProfileId: text('browser_profile_id'),
  generateBrowserProfile: boolean('generate_browser_profile').notNull().default(false),
  /**
   * Playwright storage state captured when the session ended (only with generate_browser_profile or
   * when it started from a profile): what `POST /v1/browser_profiles` copies from a closed session.
   */
  savedState: jsonb('saved_state'),
  /** The accepted create request. */
  request: jsonb('request').notNull(),
  /** Until when the owning worker promises to be alive. */
  leaseExpiresAt: ts('lease_expires_at'),
  startedAt: ts('started_at'),
  completedAt: ts('completed_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
  modifiedAt: ts('modified_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
}, (t) => [index('browser_sessions_org_created_idx').on(t.organizationId, t.createdAt)]);

export const browserProfiles = pgTable('browser_profiles', {
  browserProfileId: text('browser_profile_id').primaryKey(),
  organizationId: text('organization_id').notNull().references(() => organizations.organizationId),
  name: text('name').notNull(),
  description: text('description'),
  /** Playwright storage state: cookies and localStorage per origin. */
  state: jsonb('state'),
  sourceBrowserSessionId: text('source_browser_session_id'),
  sourceWorkflowRunId: text('source_workflow_run_id'),
  /** Non-essential request fields kept to echo back (proxy_location, proxy_session_id). */
  settings: jsonb('settings').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  modifiedAt: ts('modified_at').notNull().defaultNow(),
  deletedAt: ts('deleted_at'),
}, (t) => [uniqueIndex('browser_profiles_org_name_idx').on(t.organizationId, t.name).where(sql`deleted_at is null`)]);
