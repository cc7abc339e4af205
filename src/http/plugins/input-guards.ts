// Input that is valid JSON/text but that Postgres or the stack cannot take: NUL bytes and lone
// surrogates (text and jsonb refuse them), nesting deep enough to overflow recursive code, and
// integers wider than the int4 columns behind them. Checked once here for every route, so a
// user's input answers 422 instead of reaching the database and coming back as a 500.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationFailed, type ValidationIssue } from '../../domain/errors.ts';
import { MAX_JSON_DEPTH, valueTooDeep } from '../../domain/input-limits.ts';

declare module 'fastify' {
  interface FastifyContextConfig { nulStrippedFields?: string[] }
}

export const INT4_MAX = 2_147_483_647;
export const INT4_MIN = -2_147_483_648;
/** `page_size` where the contract declares no maximum (Skyvern's own list limit for runs and schedules). */
export const MAX_PAGE_SIZE = 100;

type Loc = (string | number)[];

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function stringProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'String contains an invalid character: NUL (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'String contains an invalid character: an unpaired surrogate';
  return undefined;
}

/** The first string (value or key) Postgres would refuse, with where it sits; iterative. */
export function findUnstorableString(value: unknown, root: Loc, nulStripped: readonly string[] = []): ValidationIssue | undefined {
  const stack: [unknown, Loc][] = [[value, root]];
  if (nulStripped.length && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const k of nulStripped) if (typeof copy[k] === 'string') copy[k] = (copy[k] as string).replace(/\u0000/g, '');
    stack[0] = [copy, root];
  }
  while (stack.length > 0) {
    const [v, loc] = stack.pop()!;
    if (typeof v === 'string') {
      const msg = stringProblem(v);
      if (msg) return { loc, msg, type: 'string_unstorable' };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], [...loc, i]]);
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const msg = stringProblem(k);
        if (msg) return { loc: [...loc, k], msg: `Key: ${msg}`, type: 'string_unstorable' };
        stack.push([child, [...loc, k]]);
      }
    }
  }
  return undefined;
}

/**
 * Integer bounds for the validators (not the documented schema): every `integer` without its own
 * bounds fits int4, and a query's `page_size` without a maximum is capped at `MAX_PAGE_SIZE`.
 * Returns a copy; the route's schema object (and so the OpenAPI document) is left as written.
 */
export function withInputBounds(schema: unknown, httpPart?: string): unknown {
  const visit = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) return node.map((n) => visit(n));
    if (typeof node !== 'object' || node === null) return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === 'properties' && typeof v === 'object' && v !== null
        ? Object.fromEntries(Object.entries(v).map(([name, s]) => [name, visit(s, name)]))
        : k === 'default' || k === 'const' || k === 'enum' || k === 'examples' ? v : visit(v);
    }
    const types = Array.isArray(out.type) ? out.type : [out.type];
    if (types.includes('integer')) {
      if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = INT4_MAX;
      if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = INT4_MIN;
      if (httpPart === 'querystring' && key === 'page_size' && (out.maximum as number) > MAX_PAGE_SIZE) out.maximum = MAX_PAGE_SIZE;
    }
    return out;
  };
  return visit(schema);
}

/** Checks path, query and body of every request before its schema does. */
export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const issue = findUnstorableString(request.params, ['path'])
      ?? findUnstorableString(request.query, ['query'])
      ?? findUnstorableString(request.body, ['body'], request.routeOptions.config?.nulStrippedFields);
    if (issue) throw new ValidationFailed([issue]);
    if (typeof request.body === 'object' && request.body !== null && valueTooDeep(request.body)) {
      throw new ValidationFailed([{ loc: ['body'], msg: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, type: 'json_too_deep' }]);
    }
  });
}
