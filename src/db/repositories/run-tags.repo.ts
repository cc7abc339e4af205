// Run tags as events (see schema/tags.ts): reads of current tags and history, writes that
// supersede in the same transaction, and the SQL condition run lists use to filter by tags.
import { and, desc, eq, gte, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { generateId, ID_PREFIX } from '../../domain/ids.ts';
import type { TagFilterGroup, TagInput } from '../../domain/run-tags.ts';
import type { Db } from '../client.ts';
import { runs, runTagEvents } from '../schema.ts';

export type RunTagEventRow = typeof runTagEvents.$inferSelect;

export interface TagChange {
  set: TagInput[];
  /** `key` deletes that group's tag; a null key with a value deletes that standalone label. */
  remove: { key?: string | null; value?: string | null }[];
  source: string;
  setBy: string;
}

const current = and(eq(runTagEvents.eventType, 'set'), isNull(runTagEvents.supersededAt));

/** The rows a tag replaces: the key's current value, or the same standalone label. */
function sameSlot(runId: string, tag: { key?: string | null; value?: string | null }): SQL {
  const slot = tag.key ? eq(runTagEvents.key, tag.key) : and(isNull(runTagEvents.key), eq(runTagEvents.value, tag.value ?? ''));
  return and(eq(runTagEvents.runId, runId), current, slot)!;
}

/** A condition on `runs` rows: every group must match one of the run's current tags. */
export function runTagFilterSql(groups: TagFilterGroup[]): SQL | undefined {
  if (groups.length === 0) return undefined;
  const conditions = groups.map((g) => {
    const match = g.kind === 'label' ? sql`e.value = ${g.value}`
      : g.values === '*' ? sql`e.key = ${g.key}`
        : sql`e.key = ${g.key} and e.value in (${sql.join(g.values.map((v) => sql`${v}`), sql`, `)})`;
    return sql`exists (select 1 from run_tag_events e where e.run_id = ${runs.runId} and e.event_type = 'set' and e.superseded_at is null and ${match})`;
  });
  return and(...conditions);
}

export function runTagsRepo(db: Db) {
  return {
    async current(runIds: string[]): Promise<RunTagEventRow[]> {
      if (runIds.length === 0) return [];
      return db.select().from(runTagEvents).where(and(inArray(runTagEvents.runId, runIds), current)).orderBy(runTagEvents.setAt);
    },

    async history(runId: string, q: { limit: number; since?: Date; key?: string }): Promise<RunTagEventRow[]> {
      const where: SQL[] = [eq(runTagEvents.runId, runId)];
      if (q.since) where.push(gte(runTagEvents.setAt, q.since));
      if (q.key) where.push(eq(runTagEvents.key, q.key));
      return db.select().from(runTagEvents).where(and(...where)).orderBy(desc(runTagEvents.setAt)).limit(q.limit);
    },

    /** Applies deletions, then sets, in one transaction; setting an unchanged tag records nothing. */
    async apply(runId: string, organizationId: string, change: TagChange): Promise<void> {
      await db.transaction(async (tx) => {
        // Writers of one run's tags take turns, so two racing sets of a key cannot both stay current.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${runId}))`);
        const now = new Date();
        const event = (tag: { key?: string | null; value: string }, eventType: 'set' | 'delete') => ({
          tagEventId: generateId(ID_PREFIX.runTagEvent), runId, organizationId, key: tag.key ?? null, value: tag.value,
          eventType, source: change.source, setBy: change.setBy, setAt: now,
        });
        for (const tag of change.remove) {
          const gone = await tx.update(runTagEvents).set({ supersededAt: now }).where(sameSlot(runId, tag)).returning();
          for (const row of gone) await tx.insert(runTagEvents).values(event({ key: row.key, value: row.value }, 'delete'));
        }
        for (const tag of change.set) {
          const [existing] = await tx.select().from(runTagEvents).where(sameSlot(runId, tag)).limit(1);
          if (existing && existing.value === tag.value) continue;
          if (existing) await tx.update(runTagEvents).set({ supersededAt: now }).where(eq(runTagEvents.tagEventId, existing.tagEventId));
          await tx.insert(runTagEvents).values(event(tag, 'set'));
        }
      });
    },
  };
}
export type RunTagsRepo = ReturnType<typeof runTagsRepo>;
