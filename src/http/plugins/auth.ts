import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthError } from '../../domain/errors.ts';
import type { OrganizationsService } from '../../services/organizations.service.ts';

declare module 'fastify' {
  interface FastifyRequest { organizationId: string }
  interface FastifyContextConfig { public?: boolean }
}

/** Every route needs `x-api-key` unless its config says `public: true`. */
export function registerAuth(app: FastifyInstance, organizations: OrganizationsService): void {
  app.decorateRequest('organizationId', '');
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.routeOptions.config?.public) return;
    if (!request.routeOptions.url) return; // 404s answer without asking for a key
    if (request.routeOptions.url.startsWith('/docs')) return; // Swagger UI's own routes
    const key = request.headers['x-api-key'];
    if (!key && request.headers.authorization) throw new AuthError('Invalid authentication method');
    const org = await organizations.authenticate(Array.isArray(key) ? key[0] : key);
    request.organizationId = org.organizationId;
  });
}
