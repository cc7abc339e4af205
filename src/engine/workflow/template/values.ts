// Moving values in and out of the Jinja runtime.
//
// Safety rests on one rule: a template only ever sees plain data. @huggingface/jinja keeps
// objects as Maps and resolves attributes through its own tables (never through JS property
// lookup), so `__proto__`, `constructor` & co. resolve to nothing — but it *does* wrap any JS
// function found in the context as a callable. `toTemplateData` therefore strips functions,
// class instances' accessors, symbols and cycles before anything reaches the runtime.
import { Environment } from '@huggingface/jinja';

/** The runtime's value objects (not exported by the library; we only read `type` and `value`). */
export type RuntimeValue = { type: string; value: unknown; toString(): string };

const MAX_DEPTH = 64;

/** Deep copy of `value` as JSON-like data: no functions, no prototypes, no cycles. */
export function toTemplateData(value: unknown, depth = 0, ancestors: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined; // function, symbol, undefined
  if (depth >= MAX_DEPTH || ancestors.has(value)) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return null;
  ancestors.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) {
      return [...value].map((item) => toTemplateData(item, depth + 1, ancestors) ?? null);
    }
    if (value instanceof Map) {
      return plainObject([...value.entries()].map(([k, v]) => [String(k), v]), depth, ancestors);
    }
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function' && Object.getPrototypeOf(value) !== Object.prototype) {
      return toTemplateData(toJSON.call(value), depth + 1, ancestors);
    }
    // Own enumerable data properties only: accessors are never invoked.
    const entries = Object.entries(Object.getOwnPropertyDescriptors(value))
      .filter(([, d]) => d.enumerable && 'value' in d)
      .map(([k, d]) => [k, d.value] as [string, unknown]);
    return plainObject(entries, depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function plainObject(entries: [string, unknown][], depth: number, ancestors: WeakSet<object>): Record<string, unknown> {
  const out: [string, unknown][] = [];
  for (const [key, raw] of entries) {
    const converted = toTemplateData(raw, depth + 1, ancestors);
    if (converted !== undefined) out.push([key, converted]);
  }
  // fromEntries defines own properties, so a "__proto__" key stays data and never sets a prototype.
  return Object.fromEntries(out);
}

// One scratch environment turns JS values into runtime values through the library's own
// public conversion (`Environment.set` returns the converted value).
const scratch = new Environment();

/** JS (plain data) → runtime value. */
export function toRuntime(value: unknown): RuntimeValue {
  const converted = scratch.set('value', value) as unknown as RuntimeValue;
  scratch.variables.delete('value');
  return converted;
}

/** Runtime value → JS. Undefined stays `undefined`; callables become `undefined`. */
export function fromRuntime(value: RuntimeValue): unknown {
  switch (value.type) {
    case 'UndefinedValue':
      return undefined;
    case 'NullValue':
      return null;
    case 'IntegerValue':
    case 'FloatValue':
    case 'BooleanValue':
    case 'StringValue':
      return value.value;
    case 'ArrayValue':
    case 'TupleValue':
      return (value.value as RuntimeValue[]).map((item) => fromRuntime(item) ?? null);
    case 'ObjectValue':
    case 'NamespaceValue':
    case 'KeywordArgumentsValue':
      return Object.fromEntries(
        [...(value.value as Map<string, RuntimeValue>).entries()].map(([k, v]) => [k, fromRuntime(v)]),
      );
    default:
      return undefined;
  }
}

/**
 * How a value prints inside text (`{{ x }}`, `join`, `~`): strings as-is, undefined and null as
 * empty text, numbers/booleans as JS prints them, lists and dicts as JSON. (Python Jinja would
 * print `None`, `True` and Python reprs; JSON is what the LLM prompts and HTTP bodies want.)
 */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return toRuntime(value).toString();
}
