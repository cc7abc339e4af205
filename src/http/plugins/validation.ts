import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import type { ValidationIssue } from '../../domain/errors.ts';
import { withInputBounds } from './input-guards.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// Bodies are validated as written (a number is not a string), the way Skyvern's models reject
// wrong types; query strings and headers arrive as text, so they are coerced.
const bodyAjv = addFormats(new Ajv({ allErrors: true, coerceTypes: false, useDefaults: true, strict: false }));
const textAjv = addFormats(new Ajv({ allErrors: true, coerceTypes: 'array', useDefaults: true, strict: false }));

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : textAjv;
  // Integers bounded to their int4 columns and `page_size` capped, for validation only.
  return ajv.compile(withInputBounds(schema, httpPart) as object) as never;
};

const PART_LOC: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

function describe(e: ErrorObject): { msg: string; type: string } {
  switch (e.keyword) {
    case 'required': return { msg: 'Field required', type: 'missing' };
    case 'type': return { msg: `Input should be a valid ${e.params.type}`, type: `${e.params.type}_type` };
    case 'enum': return { msg: `Input should be ${(e.params.allowedValues as unknown[]).map((v) => `'${v}'`).join(', ')}`, type: 'enum' };
    case 'anyOf': return { msg: 'Input does not match any allowed type', type: 'union_type' };
    case 'additionalProperties': return { msg: `Extra inputs are not permitted: ${e.params.additionalProperty}`, type: 'extra_forbidden' };
    default: return { msg: e.message ?? 'Invalid value', type: `${e.keyword}_error` };
  }
}

/**
 * Turns Ajv errors into Skyvern's `{"loc","msg","type"}` items. A nullable field (`anyOf [T, null]`)
 * fails both branches; the branch that explains the problem best (not the `null` one) is kept.
 */
export function toValidationIssues(errors: ErrorObject[], httpPart: string): ValidationIssue[] {
  const root = PART_LOC[httpPart] ?? httpPart;
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const byPath = new Map<string, ValidationIssue>();
  for (const e of errors) {
    const segments = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    if (e.keyword === 'required') segments.push(e.params.missingProperty as string);
    const loc = [root, ...segments];
    const key = loc.join('\u0000');
    const isNullBranch = e.keyword === 'type' && e.params.type === 'null';
    if (isNullBranch && anyOfPaths.has(e.instancePath)) continue;
    const existing = byPath.get(key);
    // Prefer a concrete reason (type, enum, range) over the generic anyOf summary.
    if (existing && (e.keyword === 'anyOf' || existing.type !== 'union_type')) continue;
    byPath.set(key, { loc, ...describe(e) });
  }
  return [...byPath.values()];
}
