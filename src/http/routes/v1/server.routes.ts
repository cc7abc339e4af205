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
  // Readiness: database, Redis, and the LLM configuration problems found at start-up.
  defineRoute(app, {
    method: 'GET', url: '/health', operationId: 'health', public: true, hidden: true,
    handler: async (_req, reply) => {
      const report = await services.health.check();
      return reply.status(report.ok ? 200 : 503).send(report);
    },
  });
}
