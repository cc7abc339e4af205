import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { artifacts } from '../schema.ts';

export type ArtifactRow = typeof artifacts.$inferSelect;
export type NewArtifact = typeof artifacts.$inferInsert;

export function artifactsRepo(db: Db) {
  return {
    async insert(row: NewArtifact): Promise<ArtifactRow> {
      const [created] = await db.insert(artifacts).values(row).returning();
      return created;
    },
    async get(organizationId: string, artifactId: string): Promise<ArtifactRow | undefined> {
      return db.query.artifacts.findFirst({ where: and(eq(artifacts.artifactId, artifactId), eq(artifacts.organizationId, organizationId)) });
    },
    async getById(artifactId: string): Promise<ArtifactRow | undefined> {
      return db.query.artifacts.findFirst({ where: eq(artifacts.artifactId, artifactId) });
    },
    async listForRun(organizationId: string, runId: string, types?: string[]): Promise<ArtifactRow[]> {
      const where = [eq(artifacts.organizationId, organizationId), eq(artifacts.runId, runId)];
      if (types?.length) where.push(inArray(artifacts.artifactType, types));
      return db.select().from(artifacts).where(and(...where)).orderBy(asc(artifacts.createdAt));
    },
    async latestOfTypes(runId: string, types: string[], limit: number): Promise<ArtifactRow[]> {
      return db.select().from(artifacts)
        .where(and(eq(artifacts.runId, runId), inArray(artifacts.artifactType, types)))
        .orderBy(desc(artifacts.createdAt)).limit(limit);
    },
  };
}
export type ArtifactsRepo = ReturnType<typeof artifactsRepo>;
