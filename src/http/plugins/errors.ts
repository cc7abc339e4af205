import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, ValidationFailed } from '../../domain/errors.ts';
import { toValidationIssues } from './validation.ts';

// One error handler for the whole API: validation → 422 `{"detail":[…]}`, known errors →
// `{"detail": "..."}` with their status, anything else → 500 without internals.
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
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.status(status).send({ detail: error.message });
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ detail: 'Internal server error' });
  });

  app.setNotFoundHandler((request, reply) => reply.status(404).send({ detail: 'Not Found' }));
}
