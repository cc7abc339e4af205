import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.ts';

// `$client` is the pg pool itself, for the few hot queries written as prepared statements.
export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export interface Database { db: Db; pool: pg.Pool; close(): Promise<void> }

export function openDatabase(url: string, maxConnections = 20): Database {
  // Timestamps are naive UTC: every session works in UTC so `now()` agrees with the values we write.
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, options: '-c timezone=UTC' });
  // An idle client losing its connection (Postgres restart) must not crash the process.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}
