import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, ValidationFailed } from '../../domain/errors.ts';
import { toValidationIssues } from './validation.ts';

const RETRY_AFTER_SECONDS = 5;
// Connection-level failures of pg and ioredis (their own errors, or the socket's under them).
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
const UNREACHABLE_MESSAGES = [
  /^Connection terminated/, // pg: "…unexpectedly", "…due to connection timeout"
  /timeout exceeded when trying to connect/, // pg-pool
  /^Query read timeout$/, // pg query_timeout: the server stopped answering mid-session
  /Client has encountered a connection error and is not queryable/, // pg
  /^Connection is closed\.?$/, // ioredis
  /Stream isn't writeable and enableOfflineQueue options is false/, // ioredis, producer connection
  /Reached the max retries per request limit/, // ioredis MaxRetriesPerRequestError
  /the database system is (starting up|shutting down|in recovery mode)/,
];

/**
 * Postgres or Redis cannot be reached: a socket error, a pool timeout, an administrator shutdown
 * (57P01-57P03), a connection exception (class 08), too many connections (53300), or ioredis'
 * closed-connection errors. Follows `cause` (drizzle wraps driver errors) and AggregateError's list.
 */
export function isBackendUnavailable(error: unknown): boolean {
  const queue: unknown[] = [error];
  for (let i = 0; i < queue.length && i < 20; i++) {
    const e = queue[i] as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown } | null;
    if (!e || typeof e !== 'object') continue;
    const code = typeof e.code === 'string' ? e.code : '';
    if (UNREACHABLE_CODES.has(code) || /^57P0[123]$/.test(code) || /^08...$/.test(code) || code === '53300') return true;
    if (e.name === 'MaxRetriesPerRequestError') return true;
    if (typeof e.message === 'string' && UNREACHABLE_MESSAGES.some((re) => re.test(e.message as string))) return true;
    if (e.cause) queue.push(e.cause);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
  }
  return false;
}

// One error handler for the whole API: validation → 422 `{"detail":[…]}`, known errors →
// `{"detail": "..."}` with their status, Postgres/Redis unreachable → 503 + Retry-After,
// anything else → 500 without internals.
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError & { validationContext?: string }, request, reply) => {
    if (error.validation) {
      return reply.status(422).send({ detail: toValidationIssues(error.validation as never, error.validationContext ?? 'body') });
    }
    if (error instanceof ValidationFailed) return reply.status(422).send({ detail: error.issues });
    if (error instanceof AppError) return reply.status(error.status).send({ detail: error.detail ?? error.message });
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
      return reply.status(422).send({ detail: [{ loc: ['body'], msg: `JSON decode error: ${error.message}`, type: 'json_invalid' }] });
    }
    if (isBackendUnavailable(error)) {
      request.log.warn({ err: error }, 'backing service unavailable');
      return reply.status(503).header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ detail: 'Service temporarily unavailable: the database or queue cannot be reached. Retry shortly.' });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.status(status).send({ detail: error.message });
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ detail: 'Internal server error' });
  });

  app.setNotFoundHandler((request, reply) => reply.status(404).send({ detail: 'Not Found' }));
}
