// Filters we implement ourselves, on plain JS values. @huggingface/jinja has no API for custom
// filters, so `runtime.ts` routes these names here before its built-ins. They exist to fill gaps
// (bare `default`, `urlencode`, `round`, `sum`…) and to be lenient with undefined values the way
// Skyvern's lax templating is (an unknown variable piped through `upper` renders empty, it does
// not fail the block). Everything else (`tojson`, `map`, `selectattr`, `sort`, `items`, …) is the
// library's.
import { toText } from './values.ts';

export type FilterArgs = { args: unknown[]; kwargs: Record<string, unknown> };
export type TemplateFilter = (value: unknown, call: FilterArgs) => unknown;

const arg = (call: FilterArgs, index: number, name: string, fallback: unknown): unknown =>
  call.args[index] !== undefined ? call.args[index] : (call.kwargs[name] !== undefined ? call.kwargs[name] : fallback);

const jinjaTruthy = (v: unknown): boolean => {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
};

const stringFilter = (fn: (s: string) => string): TemplateFilter => (value) => fn(toText(value));

function toInteger(value: unknown, fallback: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : fallback;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const n = Number(value.trim());
    return value.trim() !== '' && Number.isFinite(n) ? Math.trunc(n) : fallback;
  }
  return fallback;
}

function toFloat(value: unknown, fallback: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value.trim()))) return Number(value.trim());
  return fallback;
}

function size(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  if (value && typeof value === 'object') return Object.keys(value).length;
  return 0;
}

function sequence(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return Array.from(value);
  if (value && typeof value === 'object') return Object.keys(value);
  return [];
}

function urlencode(value: unknown): string {
  // Like Jinja: strings are percent-encoded keeping '/', mappings become a query string.
  const quote = (s: string) => encodeURIComponent(s).replace(/%2F/gi, '/');
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(toText(v))}`).join('&');
  }
  return quote(toText(value));
}

function escapeHtml(value: unknown): string {
  return toText(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

const defaultFilter: TemplateFilter = (value, call) => {
  const fallback = arg(call, 0, 'default_value', '');
  const boolean = arg(call, 1, 'boolean', false) === true;
  return value === undefined || (boolean && !jinjaTruthy(value)) ? fallback : value;
};

export const CUSTOM_FILTERS: ReadonlyMap<string, TemplateFilter> = new Map<string, TemplateFilter>([
  ['default', defaultFilter],
  ['d', defaultFilter],
  ['string', (value) => toText(value)],
  ['lower', stringFilter((s) => s.toLowerCase())],
  ['upper', stringFilter((s) => s.toUpperCase())],
  ['trim', (value, call) => {
    const chars = arg(call, 0, 'chars', null);
    const text = toText(value);
    if (typeof chars !== 'string' || chars === '') return text.trim();
    const set = new Set(chars);
    let start = 0, end = text.length;
    while (start < end && set.has(text[start])) start++;
    while (end > start && set.has(text[end - 1])) end--;
    return text.slice(start, end);
  }],
  ['capitalize', stringFilter((s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase())],
  ['title', stringFilter((s) => s.toLowerCase().replace(/(^|[^A-Za-z0-9'])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()))],
  ['length', (value) => size(value)],
  ['count', (value) => size(value)],
  ['first', (value) => sequence(value)[0]],
  ['last', (value) => sequence(value).at(-1)],
  ['join', (value, call) => {
    const separator = toText(arg(call, 0, 'd', ''));
    const attribute = arg(call, 1, 'attribute', null);
    const items = sequence(value).map((item) => (typeof attribute === 'string' && item && typeof item === 'object'
      ? (item as Record<string, unknown>)[attribute] : item));
    return items.map(toText).join(separator);
  }],
  ['replace', (value, call) => {
    const text = toText(value);
    const from = toText(arg(call, 0, 'old', ''));
    const to = toText(arg(call, 1, 'new', ''));
    const count = arg(call, 2, 'count', null);
    if (typeof count !== 'number') return text.split(from).join(to);
    let out = text;
    let index = 0;
    for (let i = 0; i < count; i++) {
      const at = out.indexOf(from, index);
      if (at < 0) break;
      out = out.slice(0, at) + to + out.slice(at + from.length);
      index = at + to.length;
    }
    return out;
  }],
  ['int', (value, call) => toInteger(value, arg(call, 0, 'default', 0))],
  ['float', (value, call) => toFloat(value, arg(call, 0, 'default', 0))],
  ['round', (value, call) => {
    const n = toFloat(value, 0) as number;
    const precision = toInteger(arg(call, 0, 'precision', 0), 0) as number;
    const method = arg(call, 1, 'method', 'common');
    const factor = 10 ** precision;
    const scaled = n * factor;
    const rounded = method === 'floor' ? Math.floor(scaled) : method === 'ceil' ? Math.ceil(scaled) : Math.round(scaled);
    return rounded / factor;
  }],
  ['abs', (value) => Math.abs(toFloat(value, 0) as number)],
  ['sum', (value, call) => {
    const attribute = arg(call, 0, 'attribute', null);
    const start = toFloat(arg(call, 1, 'start', 0), 0) as number;
    return sequence(value).reduce<number>((total, item) => {
      const picked = typeof attribute === 'string' && item && typeof item === 'object' ? (item as Record<string, unknown>)[attribute] : item;
      return total + (toFloat(picked, 0) as number);
    }, start);
  }],
  ['min', (value) => pickExtreme(sequence(value), -1)],
  ['max', (value) => pickExtreme(sequence(value), 1)],
  ['list', (value) => sequence(value)],
  ['urlencode', urlencode],
  ['escape', escapeHtml],
  ['e', escapeHtml],
  ['truncate', (value, call) => {
    const text = toText(value);
    const length = toInteger(arg(call, 0, 'length', 255), 255) as number;
    const end = toText(arg(call, 2, 'end', '...'));
    return text.length <= length ? text : text.slice(0, Math.max(0, length - end.length)) + end;
  }],
  ['wordcount', (value) => toText(value).split(/\s+/).filter(Boolean).length],
]);

function pickExtreme(items: unknown[], direction: 1 | -1): unknown {
  let best: unknown;
  for (const item of items) {
    const [a, b] = [item as number | string, best as number | string];
    if (best === undefined || (direction === 1 ? a > b : a < b)) best = item;
  }
  return best;
}
