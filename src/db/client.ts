import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.ts';

// `$client` is the pg pool itself, for the few hot queries written as prepared statements.
export type Db = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export interface Database { db: Db; pool: pg.Pool; close(): Promise<void> }

export interface DatabaseTimeouts {
  /** Giving up on a new connection (a server that accepts TCP and never answers). 0 = wait forever. */
  connectMs?: number;
  /** Giving up on a query's answer (a server that froze mid-session). 0 = wait forever (migrations). */
  queryMs?: number;
}

export function openDatabase(url: string, maxConnections = 20, timeouts: DatabaseTimeouts = {}): Database {
  // Timestamps are naive UTC: every session works in UTC so `now()` agrees with the values we write.
  // Bounded waits turn a hung database into errors the API answers with 503 instead of requests
  // that never return; TCP keep-alive notices a peer that vanished.
  const pool = new pg.Pool({
    connectionString: url, max: maxConnections, options: '-c timezone=UTC', keepAlive: true,
    connectionTimeoutMillis: timeouts.connectMs ?? 0, query_timeout: timeouts.queryMs || undefined,
  });
  // An idle client losing its connection (Postgres restart) must not crash the process.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}
