import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, FastifySchemaCompiler, HTTPMethods, RouteOptions } from 'fastify';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RouteRequest = FastifyRequest & { params: any; query: any; body: any };

export interface RouteSpec {
  method: HTTPMethods;
  url: string;
  /** Extra paths answering the same way (Skyvern's hidden twins, legacy `/api/v1` forms); kept out of the document. */
  aliases?: string[];
  operationId: string;
  summary?: string;
  tags?: string[];
  schema?: Omit<FastifySchema, 'operationId' | 'summary' | 'tags'>;
  public?: boolean;
  /** Answered but left out of the document (Skyvern's hidden routes). */
  hidden?: boolean;
  /** Top-level body fields whose NUL bytes the service strips itself (the input guard lets those through). */
  nulStrippedFields?: string[];
  /** Replaces the app's validator for this route (e.g. a body whose shape depends on one of its fields). */
  validatorCompiler?: FastifySchemaCompiler<unknown>;
  // Schemas validate the request before the handler runs; handlers cast to the contract's static types.
  handler: (request: RouteRequest, reply: FastifyReply) => Promise<unknown>;
}

/** Registers a route and its aliases; only the main path appears in /openapi.json. */
export function defineRoute(app: FastifyInstance, spec: RouteSpec): void {
  const base: Omit<RouteOptions, 'url'> = {
    method: spec.method,
    config: { public: spec.public ?? false, ...(spec.nulStrippedFields ? { nulStrippedFields: spec.nulStrippedFields } : {}) },
    handler: spec.handler as RouteOptions['handler'],
    ...(spec.validatorCompiler ? { validatorCompiler: spec.validatorCompiler } : {}),
  };
  app.route({ ...base, url: spec.url, schema: { ...spec.schema, operationId: spec.operationId, summary: spec.summary, tags: spec.tags, ...(spec.hidden ? { hide: true } : {}) } as FastifySchema });
  for (const alias of spec.aliases ?? []) {
    app.route({ ...base, url: alias, schema: { ...spec.schema, hide: true } as FastifySchema });
  }
}
