import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { steps } from '../schema.ts';

export type StepRow = typeof steps.$inferSelect;
export type NewStep = typeof steps.$inferInsert;

export function stepsRepo(db: Db) {
  return {
    async insert(row: NewStep): Promise<StepRow> {
      const [created] = await db.insert(steps).values(row).returning();
      return created;
    },
    async update(stepId: string, patch: Partial<Omit<NewStep, 'stepId'>>): Promise<void> {
      await db.update(steps).set({ ...patch, modifiedAt: new Date() }).where(eq(steps.stepId, stepId));
    },
    async listForRun(runId: string): Promise<StepRow[]> {
      return db.select().from(steps).where(eq(steps.runId, runId)).orderBy(asc(steps.order), asc(steps.createdAt));
    },
  };
}
export type StepsRepo = ReturnType<typeof stepsRepo>;
