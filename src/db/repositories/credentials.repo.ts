import { and, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { browserProfiles, credentials } from '../schema.ts';

export type CredentialRow = typeof credentials.$inferSelect;
export type NewCredential = typeof credentials.$inferInsert;
export type CredentialPatch = Partial<Pick<NewCredential, 'name' | 'credentialType' | 'vaultType' | 'secretSealed' | 'publicInfo' | 'settings'>>;

export interface CredentialListQuery {
  organizationId: string;
  page: number;
  pageSize: number;
  vaultType?: string;
  credentialType?: string;
  search?: string;
}

const live = isNull(credentials.deletedAt);
/** Public fields a search also looks at (never the sealed part). */
const SEARCHABLE_INFO = ['username', 'secret_label', 'brand', 'last_four'];
const escapeLike = (s: string) => `%${s.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;

export function credentialsRepo(db: Db) {
  return {
    async insert(row: NewCredential): Promise<CredentialRow> {
      const [created] = await db.insert(credentials).values(row).returning();
      return created;
    },

    /** A live credential of this organization (deleted ones are gone for every caller). */
    async get(organizationId: string, credentialId: string): Promise<CredentialRow | undefined> {
      return db.query.credentials.findFirst({
        where: and(eq(credentials.credentialId, credentialId), eq(credentials.organizationId, organizationId), live),
      });
    },

    /** Newest first; `search` matches the name and what responses show (username, label, brand, last four). */
    async list(q: CredentialListQuery): Promise<CredentialRow[]> {
      const where: SQL[] = [eq(credentials.organizationId, q.organizationId), live];
      if (q.vaultType) where.push(eq(credentials.vaultType, q.vaultType));
      if (q.credentialType) where.push(eq(credentials.credentialType, q.credentialType));
      if (q.search) {
        const like = escapeLike(q.search);
        where.push(or(sql`${credentials.name} ilike ${like}`, ...SEARCHABLE_INFO.map((field) => sql`${credentials.publicInfo}->>${field} ilike ${like}`))!);
      }
      return db.select().from(credentials).where(and(...where))
        .orderBy(desc(credentials.createdAt), desc(credentials.credentialId))
        .limit(q.pageSize).offset((q.page - 1) * q.pageSize);
    },

    async update(organizationId: string, credentialId: string, patch: CredentialPatch): Promise<CredentialRow | undefined> {
      const [row] = await db.update(credentials).set({ ...patch, modifiedAt: new Date() })
        .where(and(eq(credentials.credentialId, credentialId), eq(credentials.organizationId, organizationId), live)).returning();
      return row;
    },

    /** A credential may link a browser profile of its own organization only. */
    async profileExists(organizationId: string, browserProfileId: string): Promise<boolean> {
      const rows = await db.select({ id: browserProfiles.browserProfileId }).from(browserProfiles)
        .where(and(eq(browserProfiles.browserProfileId, browserProfileId), eq(browserProfiles.organizationId, organizationId), isNull(browserProfiles.deletedAt))).limit(1);
      return rows.length > 0;
    },

    async softDelete(organizationId: string, credentialId: string): Promise<boolean> {
      const now = new Date();
      const rows = await db.update(credentials).set({ deletedAt: now, modifiedAt: now })
        .where(and(eq(credentials.credentialId, credentialId), eq(credentials.organizationId, organizationId), live))
        .returning({ id: credentials.credentialId });
      return rows.length > 0;
    },
  };
}
export type CredentialsRepo = ReturnType<typeof credentialsRepo>;
