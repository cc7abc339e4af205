import { Redis, type RedisOptions } from 'ioredis';

/**
 * Producers fail fast when Redis is away (the run is already in Postgres and the reconciler
 * enqueues it later); workers and subscribers wait and reconnect instead.
 */
export function createRedis(url: string, role: 'producer' | 'worker' | 'subscriber'): Redis {
  const opts: RedisOptions = {
    maxRetriesPerRequest: role === 'producer' ? 1 : null,
    enableOfflineQueue: role !== 'producer',
    retryStrategy: (times) => Math.min(200 * times, 2000),
    lazyConnect: false,
  };
  const redis = new Redis(url, opts);
  // Connection errors are retried by ioredis; an unhandled 'error' event would crash the process.
  redis.on('error', () => {});
  return redis;
}
