import { and, desc, eq, getTableColumns, gt, isNotNull, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import { FINAL_SESSION_STATUSES, type SessionStatus } from '../../domain/browser-sessions.ts';
import type { Db } from '../client.ts';
import { browserSessions, runs } from '../schema.ts';

export type BrowserSessionRow = typeof browserSessions.$inferSelect;
export type NewBrowserSession = typeof browserSessions.$inferInsert;

const notFinal = notInArray(browserSessions.status, [...FINAL_SESSION_STATUSES]);
// Runs still able to use a session they claimed: their worker renews a lease while they execute.
// A claim left by a run that ended, vanished, or whose worker died is free for the next run.
const holderAlive = sql`exists (select 1 from ${runs} r where r.run_id = ${browserSessions.runnableId}
  and (r.status in ('created', 'queued') or (r.status = 'running' and (r.lease_expires_at is null or r.lease_expires_at > now()))))`;

export type ClaimResult = 'claimed' | 'busy' | 'ended' | 'missing';

export function browserSessionsRepo(db: Db) {
  const byId = (id: string) => eq(browserSessions.browserSessionId, id);
  return {
    async insert(row: NewBrowserSession): Promise<BrowserSessionRow> {
      const [created] = await db.insert(browserSessions).values(row).returning();
      return created;
    },

    async get(organizationId: string, id: string): Promise<BrowserSessionRow | undefined> {
      return db.query.browserSessions.findFirst({ where: and(byId(id), eq(browserSessions.organizationId, organizationId), isNull(browserSessions.deletedAt)) });
    },

    /** Worker-side read: jobs carry only the session ID. */
    async getById(id: string): Promise<BrowserSessionRow | undefined> {
      return db.query.browserSessions.findFirst({ where: byId(id) });
    },

    /** Sessions not ended nor deleted, created after `since`, newest first. */
    async listActive(organizationId: string, since: Date): Promise<BrowserSessionRow[]> {
      return db.select().from(browserSessions).where(and(
        eq(browserSessions.organizationId, organizationId), notFinal, isNull(browserSessions.deletedAt), gt(browserSessions.createdAt, since),
      )).orderBy(desc(browserSessions.createdAt));
    },

    async setGenerateProfile(id: string, value: boolean): Promise<BrowserSessionRow | undefined> {
      const [row] = await db.update(browserSessions).set({ generateBrowserProfile: value, modifiedAt: new Date() })
        .where(and(byId(id), notFinal)).returning();
      return row;
    },

    /** created → running once a worker's browser is up; undefined when the session was closed meanwhile. */
    async markRunning(id: string, patch: { browserAddress: string; leaseExpiresAt: Date }): Promise<BrowserSessionRow | undefined> {
      const now = new Date();
      const [row] = await db.update(browserSessions).set({ ...patch, status: 'running', startedAt: now, modifiedAt: now })
        .where(and(byId(id), eq(browserSessions.status, 'created'))).returning();
      return row;
    },

    /**
     * Extends the owning worker's lease; undefined once the session is no longer running (closed by
     * the API, reaped). `held`: a run that can still use it holds it (its timeout waits for that run).
     */
    async renewLease(id: string, until: Date): Promise<(BrowserSessionRow & { held: boolean }) | undefined> {
      const [row] = await db.update(browserSessions).set({ leaseExpiresAt: until })
        .where(and(byId(id), eq(browserSessions.status, 'running')))
        .returning({ ...getTableColumns(browserSessions), held: sql<boolean>`${holderAlive}` });
      return row;
    },

    /** First end wins: moves a not-yet-ended session to a final status and frees everything it held. */
    async end(id: string, status: SessionStatus, opts: { organizationId?: string } = {}): Promise<BrowserSessionRow | undefined> {
      const now = new Date();
      const [row] = await db.update(browserSessions).set({
        status, completedAt: now, modifiedAt: now, leaseExpiresAt: null, browserAddress: null, runnableType: null, runnableId: null,
      }).where(and(byId(id), notFinal, ...(opts.organizationId ? [eq(browserSessions.organizationId, opts.organizationId)] : []))).returning();
      return row;
    },

    /** The worker is stopping the browser: no run may claim it any more (the row ends right after). */
    async markEnding(id: string): Promise<void> {
      await db.update(browserSessions).set({ browserAddress: null, modifiedAt: new Date() }).where(and(byId(id), eq(browserSessions.status, 'running')));
    },

    async saveState(id: string, state: unknown): Promise<void> {
      await db.update(browserSessions).set({ savedState: state, modifiedAt: new Date() }).where(byId(id));
    },

    /**
     * One run at a time: the run takes the session when it is running (and not being stopped) and
     * free, already its own, or held by a run that can no longer use it. Otherwise says why not.
     */
    async claim(id: string, runnableType: string, runnableId: string): Promise<ClaimResult> {
      const [row] = await db.update(browserSessions).set({ runnableType, runnableId, modifiedAt: new Date() })
        .where(and(byId(id), eq(browserSessions.status, 'running'), isNotNull(browserSessions.browserAddress),
          or(isNull(browserSessions.runnableId), eq(browserSessions.runnableId, runnableId), sql`not ${holderAlive}`)))
        .returning({ id: browserSessions.browserSessionId });
      if (row) return 'claimed';
      const current = await db.query.browserSessions.findFirst({ where: byId(id), columns: { status: true } });
      if (!current) return 'missing';
      return (FINAL_SESSION_STATUSES as readonly string[]).includes(current.status) ? 'ended' : 'busy';
    },

    async release(id: string, runnableId: string): Promise<void> {
      await db.update(browserSessions).set({ runnableType: null, runnableId: null, modifiedAt: new Date() })
        .where(and(byId(id), eq(browserSessions.runnableId, runnableId)));
    },

    /** Running sessions whose worker stopped renewing its lease (it died): they end `failed`. */
    async endAbandoned(now: Date): Promise<BrowserSessionRow[]> {
      return db.update(browserSessions).set({
        status: 'failed', completedAt: now, modifiedAt: now, leaseExpiresAt: null, browserAddress: null, runnableType: null, runnableId: null,
      }).where(and(eq(browserSessions.status, 'running'), lt(browserSessions.leaseExpiresAt, now))).returning();
    },

    /** Sessions still waiting for a worker, created before `before`. */
    async listWaiting(before: Date): Promise<BrowserSessionRow[]> {
      return db.select().from(browserSessions).where(and(eq(browserSessions.status, 'created'), lt(browserSessions.createdAt, before)));
    },
  };
}
export type BrowserSessionsRepo = ReturnType<typeof browserSessionsRepo>;
