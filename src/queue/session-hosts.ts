import type { Redis } from 'ioredis';

// Which worker process holds each running browser session. A run in a session executes on that
// worker (run-worker.ts forwards it to the worker's own queue): the session's Chromium writes
// downloads to, and reads uploads from, its own host's disk, which a worker elsewhere cannot see.
// The entry lives as long as the session's lease, so a dead worker's entries vanish with it.
const key = (prefix: string, sessionId: string) => `${prefix}:browser-session-host:${sessionId}`;

export interface SessionHosts {
  /** Records (or refreshes) that `hostId` holds the session, for `ttlMs`. */
  register(sessionId: string, hostId: string, ttlMs: number): Promise<void>;
  /** The holding worker's host ID, or undefined when none is recorded (ended, or Redis lost it). */
  hostOf(sessionId: string): Promise<string | undefined>;
  forget(sessionId: string): Promise<void>;
}

export function createSessionHosts(redis: Redis, prefix: string): SessionHosts {
  return {
    async register(sessionId, hostId, ttlMs) { await redis.set(key(prefix, sessionId), hostId, 'PX', Math.max(1000, Math.round(ttlMs))); },
    async hostOf(sessionId) { return (await redis.get(key(prefix, sessionId))) ?? undefined; },
    async forget(sessionId) { await redis.del(key(prefix, sessionId)); },
  };
}
