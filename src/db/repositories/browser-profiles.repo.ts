import { and, desc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { browserProfiles } from '../schema.ts';

export type BrowserProfileRow = typeof browserProfiles.$inferSelect;
export type NewBrowserProfile = typeof browserProfiles.$inferInsert;
export type BrowserProfilePatch = Partial<Pick<NewBrowserProfile, 'name' | 'description' | 'settings'>>;

export interface ProfileListQuery { organizationId: string; page: number; pageSize: number; includeDeleted: boolean; searchKey?: string | null }

const live = isNull(browserProfiles.deletedAt);
const escapeLike = (s: string) => `%${s.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;

/** Postgres unique violation (the live-name index), bare or wrapped by Drizzle. */
function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === '23505') return true;
  }
  return false;
}

export function browserProfilesRepo(db: Db) {
  const byId = (organizationId: string, id: string) => and(eq(browserProfiles.browserProfileId, id), eq(browserProfiles.organizationId, organizationId));
  return {
    /** 'duplicate' when the organization already has a live profile of that name. */
    async insert(row: NewBrowserProfile): Promise<BrowserProfileRow | 'duplicate'> {
      try {
        const [created] = await db.insert(browserProfiles).values(row).returning();
        return created;
      } catch (err) {
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },

    async get(organizationId: string, id: string, opts: { includeDeleted?: boolean } = {}): Promise<BrowserProfileRow | undefined> {
      return db.query.browserProfiles.findFirst({ where: and(byId(organizationId, id), ...(opts.includeDeleted ? [] : [live])) });
    },

    async list(q: ProfileListQuery): Promise<BrowserProfileRow[]> {
      const where: SQL[] = [eq(browserProfiles.organizationId, q.organizationId)];
      if (!q.includeDeleted) where.push(live);
      if (q.searchKey) {
        const like = escapeLike(q.searchKey);
        where.push(or(sql`${browserProfiles.name} ilike ${like}`, sql`${browserProfiles.description} ilike ${like}`)!);
      }
      return db.select().from(browserProfiles).where(and(...where))
        .orderBy(desc(browserProfiles.createdAt), desc(browserProfiles.browserProfileId))
        .limit(q.pageSize).offset((q.page - 1) * q.pageSize);
    },

    async update(organizationId: string, id: string, patch: BrowserProfilePatch): Promise<BrowserProfileRow | undefined | 'duplicate'> {
      try {
        const [row] = await db.update(browserProfiles).set({ ...patch, modifiedAt: new Date() }).where(and(byId(organizationId, id), live)).returning();
        return row;
      } catch (err) {
        if (isUniqueViolation(err)) return 'duplicate';
        throw err;
      }
    },

    async softDelete(organizationId: string, id: string): Promise<boolean> {
      const now = new Date();
      const rows = await db.update(browserProfiles).set({ deletedAt: now, modifiedAt: now }).where(and(byId(organizationId, id), live))
        .returning({ id: browserProfiles.browserProfileId });
      return rows.length > 0;
    },
  };
}
export type BrowserProfilesRepo = ReturnType<typeof browserProfilesRepo>;
