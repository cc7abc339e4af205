import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { AppServices } from '../../services.ts';
import { defineRoute } from '../define.ts';

export function serverRoutes(app: FastifyInstance, services: AppServices): void {
  defineRoute(app, {
    method: 'GET', url: '/v1/version', aliases: ['/api/v1/version'], operationId: 'get_version_v1_version_get', tags: ['Server'],
    summary: 'Get server version', public: true,
    schema: { response: { 200: Type.Record(Type.String(), Type.String()) } },
    handler: async () => services.health.version(),
  });
  defineRoute(app, {
    method: 'GET', url: '/api/v1/heartbeat', operationId: 'heartbeat', public: true, hidden: true,
    handler: async (_req, reply) => reply.header('content-type', 'text/plain').send('Server is running.'),
  });
  // Liveness: answers while the process serves; checks no dependency (an outage must not restart it).
  defineRoute(app, {
    method: 'GET', url: '/health', operationId: 'health', public: true, hidden: true,
    handler: async () => services.health.live(),
  });
  // Readiness: Postgres, Redis and the artifact store answer; 503 names the ones that did not.
  defineRoute(app, {
    method: 'GET', url: '/health/ready', operationId: 'health_ready', public: true, hidden: true,
    handler: async (_req, reply) => {
      const report = await services.health.ready();
      return reply.status(report.ok ? 200 : 503).header('cache-control', 'no-store').send(report);
    },
  });
}
