// What the entry points use: one ProcessMetrics per process, and an endpoint per process role
// that adds the cluster-wide counts read through that role's own connections.
import type { StatsRepo } from '../db/repositories/stats.repo.ts';
import { createQueueStats } from '../queue/queue-stats.ts';
import { createClusterMetrics } from './cluster-metrics.ts';
import { createMetricsEndpoint, type MetricsEndpoint } from './endpoint.ts';
import type { ProcessMetrics } from './process-metrics.ts';
import { serveMetrics, type MetricsServer } from './server.ts';

export { createProcessMetrics, type ProcessMetrics } from './process-metrics.ts';
export { metricsRoute } from './route.ts';
export type { MetricsEndpoint } from './endpoint.ts';
export type { MetricsServer } from './server.ts';

export interface ExposedMetrics { endpoint: MetricsEndpoint; close(): Promise<void> }

/** Without a token (metrics off) it answers 404 and opens nothing. */
export function exposeMetrics(
  settings: { token: string | undefined; redisUrl: string; queuePrefix: string },
  stats: StatsRepo,
  metrics: ProcessMetrics | undefined,
): ExposedMetrics {
  if (!settings.token || !metrics) return { endpoint: createMetricsEndpoint(undefined), close: async () => {} };
  const queues = createQueueStats(settings.redisUrl, settings.queuePrefix);
  const cluster = createClusterMetrics({ runCounts: stats.runCounts, openSessionCounts: stats.openSessionCounts, queues: queues.snapshot });
  return { endpoint: createMetricsEndpoint(settings.token, { process: metrics, cluster }), close: () => queues.close() };
}

/** A worker-only process's own `/metrics` (WORKER_METRICS_PORT): same endpoint, same token rule. */
export async function serveWorkerMetrics(
  settings: { token: string | undefined; redisUrl: string; queuePrefix: string; host: string; port: number },
  stats: StatsRepo,
  metrics: ProcessMetrics | undefined,
): Promise<MetricsServer> {
  const exposed = exposeMetrics(settings, stats, metrics);
  const server = await serveMetrics(exposed.endpoint, settings.host, settings.port).catch(async (err) => { await exposed.close(); throw err; });
  return { port: server.port, async close() { await server.close(); await exposed.close(); } };
}
