// Models wrap JSON in code fences, add a sentence before it, leave trailing commas
// or use single quotes. This turns such replies into a value, and checks it against
// the caller's JSON Schema, returning a message the model can act on when it can't.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { jsonrepair } from 'jsonrepair';

export type JsonParseOutcome = { ok: true; value: unknown } | { ok: false; error: string };

/** Parse a model reply that should be a JSON object or array. */
export function parseModelJson(reply: string): JsonParseOutcome {
  const candidate = extractJsonText(reply);
  if (candidate === undefined) return { ok: false, error: 'the reply contains no JSON object or array' };
  let value: unknown;
  try {
    value = JSON.parse(candidate);
  } catch {
    try {
      value = JSON.parse(jsonrepair(candidate));
    } catch (error) {
      return { ok: false, error: `the reply is not valid JSON (${(error as Error).message})` };
    }
  }
  if (value === null || typeof value !== 'object') {
    return { ok: false, error: 'the reply is not a JSON object or array' };
  }
  return { ok: true, value };
}

/** The part of the reply that should be JSON: a fenced block's body, or the span from the first { or [ to the last } or ]. */
export function extractJsonText(reply: string): string | undefined {
  const fenced = /```[a-zA-Z0-9_-]*[ \t]*\r?\n?([\s\S]*?)(?:```|$)/.exec(reply);
  const text = (fenced ? fenced[1]! : reply).trim();
  const start = text.search(/[[{]/);
  if (start < 0) return undefined;
  const closer = text[start] === '{' ? '}' : ']';
  const end = text.lastIndexOf(closer);
  // No closer at all: hand jsonrepair the tail, it can close truncated output.
  return end > start ? text.slice(start, end + 1) : text.slice(start);
}

/** Compiles and caches JSON Schemas; one per client, no shared state between clients. */
export class JsonSchemaChecker {
  private readonly ajv: Ajv;
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor() {
    // strict: false because callers' schemas may carry descriptive keywords ajv doesn't know.
    this.ajv = new Ajv({ strict: false, allErrors: true });
    const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
    addFormats(this.ajv);
  }

  /** Throws when the schema itself is invalid (a programming error, not the model's). */
  compile(schema: object): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  check(schema: object, value: unknown): { ok: true } | { ok: false; error: string } {
    const validate = this.compile(schema);
    if (validate(value)) return { ok: true };
    const details = this.ajv.errorsText(validate.errors, { dataVar: 'reply', separator: '; ' });
    return { ok: false, error: `the JSON does not match the required schema: ${details}` };
  }
}
