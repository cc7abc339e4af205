import type { FastifyInstance } from 'fastify';
import { ValidationFailed } from '../../domain/errors.ts';
import { jsonTextTooDeep, MAX_JSON_DEPTH } from '../../domain/input-limits.ts';

// The SDKs send `Content-Type: application/json` with an EMPTY body on some calls
// (create_browser_session(), retry_run_webhook()); that means `{}`, not an error.
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, {});
    // Checked on the text, before anything recursive (parse, clone, validation) sees the value.
    if (jsonTextTooDeep(text)) {
      return done(new ValidationFailed([{ loc: ['body'], msg: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, type: 'json_too_deep' }]), undefined);
    }
    try { done(null, JSON.parse(text)); } catch (err) {
      const e = err as Error & { statusCode?: number; code?: string };
      e.statusCode = 422; e.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
      done(e, undefined);
    }
  });
  // Legacy `/api/v1/workflows` takes raw YAML bodies.
  app.addContentTypeParser(['application/x-yaml', 'application/yaml', 'text/yaml', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
}
