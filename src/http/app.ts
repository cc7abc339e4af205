import Fastify, { LogController, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from '../log/logger.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerBodyParsers } from './plugins/body-parsers.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerInputGuards } from './plugins/input-guards.ts';
import { validatorCompiler } from './plugins/validation.ts';
import { markOptionalBodies, OPENAPI_INFO } from './openapi-info.ts';
import { agentRunsRoutes } from './routes/v1/agent-runs.routes.ts';
import { agentsRoutes } from './routes/v1/agents.routes.ts';
import { artifactsRoutes } from './routes/v1/artifacts.routes.ts';
import { runsRoutes } from './routes/v1/runs.routes.ts';
import { serverRoutes } from './routes/v1/server.routes.ts';
import { webhooksRoutes } from './routes/v1/webhooks.routes.ts';
import { schedulesRoutes } from './routes/v1/schedules.routes.ts';
import { browserSessionsRoutes } from './routes/v1/browser-sessions.routes.ts';
import { browserProfilesRoutes } from './routes/v1/browser-profiles.routes.ts';
import { credentialsRoutes } from './routes/v1/credentials.routes.ts';
import { runTagsRoutes } from './routes/v1/run-tags.routes.ts';
import { scriptsRoutes } from './routes/v1/scripts.routes.ts';
import type { AppServices } from './services.ts';
import { registerViewer } from '../ui/plugin.ts';
import type { ViewerDeps } from '../ui/types.ts';

export interface AppOptions {
  logger: Logger;
  bodyLimitBytes: number;
  extraRoutes?: ((app: FastifyInstance, services: AppServices) => void)[];
  /** The run viewer's pages (src/ui/), on the same port. */
  viewer?: ViewerDeps;
}

/** Builds the API without listening, so tests can `inject` into it. */
export async function buildApp(services: AppServices, opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.bodyLimitBytes,
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    ajv: { customOptions: { strict: false } },
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  // Responses are built by presenters; the schemas document them but must never drop a field.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerBodyParsers(app);
  registerErrorHandling(app);
  await app.register(swagger, { openapi: OPENAPI_INFO, transformObject: markOptionalBodies as never });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-frame-options', 'DENY');
    return payload;
  });
  registerAuth(app, services.organizations);
  registerInputGuards(app);
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  serverRoutes(app, services);
  runsRoutes(app, services);
  artifactsRoutes(app, services);
  webhooksRoutes(app, services);
  schedulesRoutes(app, services);
  agentsRoutes(app, services);
  agentRunsRoutes(app, services);
  browserSessionsRoutes(app, services);
  browserProfilesRoutes(app, services);
  credentialsRoutes(app, services);
  runTagsRoutes(app, services);
  scriptsRoutes(app, services);
  for (const register of opts.extraRoutes ?? []) register(app, services);
  if (opts.viewer) await registerViewer(app, opts.viewer);
  return app;
}
