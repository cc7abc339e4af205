// Run tags as an event log: setting a tag supersedes the previous value of its key (or the same
// standalone label); deleting supersedes without a successor. Current tags = unsuperseded sets.
import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { runs } from '../schema.ts';

const ts = (name: string) => timestamp(name, { precision: 6, mode: 'date' });

export const runTagEvents = pgTable('run_tag_events', {
  /** `rtge_…`. */
  tagEventId: text('tag_event_id').primaryKey(),
  runId: text('run_id').notNull().references(() => runs.runId, { onDelete: 'cascade' }),
  organizationId: text('organization_id').notNull(),
  /** Null for a standalone label. */
  key: text('key'),
  value: text('value').notNull(),
  /** `set` | `delete`. */
  eventType: text('event_type').notNull(),
  /** `run_metadata` | `api`. */
  source: text('source').notNull(),
  setBy: text('set_by').notNull(),
  setAt: ts('set_at').notNull().defaultNow(),
  supersededAt: ts('superseded_at'),
}, (t) => [
  index('run_tag_events_run_idx').on(t.runId, t.setAt),
  index('run_tag_events_current_idx').on(t.organizationId, t.key, t.value).where(sql`event_type = 'set' and superseded_at is null`),
]);
