import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { runs, webhookAttempts, webhookDeliveries } from '../schema.ts';
import type { RunRow } from './runs.repo.ts';

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
export type NewWebhookAttempt = Omit<typeof webhookAttempts.$inferInsert, 'attemptId'>;
export type DeliveryTrigger = 'terminal' | 'replay';

export function webhooksRepo(db: Db) {
  return {
    /**
     * Creates the delivery unless the run already has its `terminal` one (then returns that):
     * a cancel and the worker both reporting the end of one run make a single delivery.
     */
    async createDelivery(row: { deliveryId: string; runId: string; organizationId: string; trigger: DeliveryTrigger; url: string; payload?: string }) {
      const [created] = await db.insert(webhookDeliveries).values({ ...row, status: 'pending' }).onConflictDoNothing().returning();
      if (created) return { delivery: created, created: true };
      const existing = await db.query.webhookDeliveries.findFirst({
        where: and(eq(webhookDeliveries.runId, row.runId), eq(webhookDeliveries.trigger, 'terminal')),
      });
      return { delivery: existing!, created: false };
    },

    async get(deliveryId: string): Promise<WebhookDeliveryRow | undefined> {
      return db.query.webhookDeliveries.findFirst({ where: eq(webhookDeliveries.deliveryId, deliveryId) });
    },

    /** Freezes the body on first use; a concurrent first attempt keeps whichever was stored first. */
    async freezePayload(deliveryId: string, payload: string): Promise<string> {
      const [row] = await db.update(webhookDeliveries).set({ payload })
        .where(and(eq(webhookDeliveries.deliveryId, deliveryId), sql`${webhookDeliveries.payload} is null`))
        .returning({ payload: webhookDeliveries.payload });
      if (row?.payload) return row.payload;
      return (await this.get(deliveryId))!.payload!;
    },

    /**
     * Claims the next attempt of a pending delivery that has attempts left, counting it before it is
     * made (a worker dying mid-POST still used one up). Returns the row with the new count.
     */
    async claimAttempt(deliveryId: string, maxAttempts: number): Promise<WebhookDeliveryRow | undefined> {
      const [row] = await db.update(webhookDeliveries)
        .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, modifiedAt: new Date() })
        .where(and(eq(webhookDeliveries.deliveryId, deliveryId), eq(webhookDeliveries.status, 'pending'), lt(webhookDeliveries.attempts, maxAttempts)))
        .returning();
      return row;
    },

    /** Stores the attempt and moves the delivery on; `final` closes it as delivered or failed. */
    async recordAttempt(row: NewWebhookAttempt, final?: 'delivered' | 'failed'): Promise<void> {
      await db.insert(webhookAttempts).values(row);
      const now = new Date();
      await db.update(webhookDeliveries)
        .set({ lastStatusCode: row.statusCode ?? null, lastError: row.error ?? null, modifiedAt: now, ...(final ? { status: final, finishedAt: now } : {}) })
        .where(eq(webhookDeliveries.deliveryId, row.deliveryId));
    },

    async finish(deliveryId: string, status: 'delivered' | 'failed'): Promise<void> {
      await db.update(webhookDeliveries).set({ status, finishedAt: new Date(), modifiedAt: new Date() })
        .where(eq(webhookDeliveries.deliveryId, deliveryId));
    },

    async listForRun(organizationId: string, runId: string) {
      const deliveries = await db.select().from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.organizationId, organizationId), eq(webhookDeliveries.runId, runId)))
        .orderBy(asc(webhookDeliveries.createdAt));
      const attempts = deliveries.length
        ? await db.select().from(webhookAttempts)
          .where(inArray(webhookAttempts.deliveryId, deliveries.map((d) => d.deliveryId)))
          .orderBy(asc(webhookAttempts.attemptNumber), asc(webhookAttempts.attemptId))
        : [];
      return deliveries.map((d) => ({ ...d, attemptRows: attempts.filter((a) => a.deliveryId === d.deliveryId) }));
    },

    /** Pending deliveries untouched since `before`: their job may have been lost with Redis. */
    async listStalePending(before: Date, limit = 500): Promise<WebhookDeliveryRow[]> {
      return db.select().from(webhookDeliveries)
        .where(and(eq(webhookDeliveries.status, 'pending'), lt(webhookDeliveries.modifiedAt, before)))
        .orderBy(asc(webhookDeliveries.modifiedAt)).limit(limit);
    },

    /** Runs that finished in the window with a webhook URL but no delivery (the process died in between). */
    async listRunsMissingDelivery(finishedAfter: Date, finishedBefore: Date, limit = 500): Promise<RunRow[]> {
      return db.select().from(runs).where(and(
        isNotNull(runs.webhookUrl), isNull(runs.parentRunId), gt(runs.finishedAt, finishedAfter), lt(runs.finishedAt, finishedBefore),
        sql`not exists (select 1 from ${webhookDeliveries} d where d.run_id = ${runs.runId} and d."trigger" = 'terminal')`,
      )).orderBy(desc(runs.finishedAt)).limit(limit);
    },
  };
}
export type WebhooksRepo = ReturnType<typeof webhooksRepo>;
