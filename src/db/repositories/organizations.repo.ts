import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { apiKeys, organizations, serverSettings } from '../schema.ts';

export type OrganizationRow = typeof organizations.$inferSelect;

export function organizationsRepo(db: Db) {
  return {
    async create(row: { organizationId: string; organizationName: string }): Promise<OrganizationRow> {
      const [created] = await db.insert(organizations).values(row).returning();
      return created;
    },
    async get(organizationId: string): Promise<OrganizationRow | undefined> {
      return db.query.organizations.findFirst({ where: eq(organizations.organizationId, organizationId) });
    },
    async first(): Promise<OrganizationRow | undefined> {
      return db.query.organizations.findFirst({ orderBy: organizations.createdAt });
    },
    async addApiKey(row: { apiKeyId: string; organizationId: string; keyHash: string; keyEncrypted: string }) {
      await db.insert(apiKeys).values(row).onConflictDoNothing();
    },
    async findKeyByHash(keyHash: string) {
      return db.query.apiKeys.findFirst({ where: eq(apiKeys.keyHash, keyHash) });
    },
    async latestValidKey(organizationId: string) {
      const rows = await db.select().from(apiKeys)
        .where(and(eq(apiKeys.organizationId, organizationId), eq(apiKeys.valid, true)))
        .orderBy(apiKeys.createdAt).limit(50);
      return rows.at(-1);
    },
    /** Returns the stored value, inserting `value` first when none exists (race-safe). */
    async settingOrInsert(key: string, value: string): Promise<string> {
      await db.insert(serverSettings).values({ key, value }).onConflictDoNothing();
      const row = await db.query.serverSettings.findFirst({ where: eq(serverSettings.key, key) });
      return row!.value;
    },
  };
}
export type OrganizationsRepo = ReturnType<typeof organizationsRepo>;
