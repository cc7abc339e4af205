import type { FastifyInstance } from 'fastify';
import type { MetricsEndpoint } from './endpoint.ts';

/** `GET /metrics` on the API: `public` skips the x-api-key check, the endpoint checks its own token. */
export function metricsRoute(endpoint: MetricsEndpoint) {
  return (app: FastifyInstance) => {
    app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      const answer = await endpoint.answer(request.headers.authorization);
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    });
  };
}
