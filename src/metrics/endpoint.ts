import { createHash, timingSafeEqual } from 'node:crypto';
import { Registry } from 'prom-client';
import type { ClusterMetrics } from './cluster-metrics.ts';
import type { ProcessMetrics } from './process-metrics.ts';

export interface MetricsAnswer { status: number; headers: Record<string, string>; body: string }

/** `GET /metrics` without a web framework, so the API route and the worker's own server answer alike. */
export interface MetricsEndpoint { answer(authorization: string | undefined): Promise<MetricsAnswer> }

const digest = (s: string) => createHash('sha256').update(s).digest();
const text = (status: number, body: string, headers: Record<string, string> = {}): MetricsAnswer =>
  ({ status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers }, body });

/**
 * Off (404) without a token. With one, only `Authorization: Bearer <token>` is let in: digests
 * compared in constant time, so neither the token nor its length leaks through timing.
 */
export function createMetricsEndpoint(token: string | undefined, metrics?: { process: ProcessMetrics; cluster: ClusterMetrics }): MetricsEndpoint {
  if (!token || !metrics) return { answer: async () => text(404, 'Not Found') };
  const expected = digest(token);
  const registry = Registry.merge([metrics.process.registry, metrics.cluster.registry]);
  return {
    async answer(authorization) {
      const given = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')?.[1];
      if (!given || !timingSafeEqual(digest(given), expected)) return text(401, 'Unauthorized', { 'www-authenticate': 'Bearer realm="metrics"' });
      await metrics.cluster.refresh();
      return { status: 200, headers: { 'content-type': registry.contentType }, body: await registry.metrics() };
    },
  };
}
