// A strict parser of Prometheus' text exposition format (0.0.4), for tests: every line is a
// comment or `name{labels} value`, and every sample's metric family has `# HELP` and `# TYPE`.
import assert from 'node:assert/strict';

export interface Sample { name: string; labels: Record<string, string>; value: number }
export interface Exposition { samples: Sample[]; types: Map<string, string>; helps: Map<string, string> }

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(raw: string, line: string): number {
  // Prometheus reads these case-insensitively (Go's ParseFloat); prom-client writes NaN as "Nan".
  if (/^\+?inf$/i.test(raw)) return Infinity;
  if (/^-inf$/i.test(raw)) return -Infinity;
  if (/^nan$/i.test(raw)) return NaN;
  assert.match(raw, /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, `bad value in: ${line}`);
  return Number(raw);
}

function parseLabels(raw: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = raw;
  while (rest.length) {
    const m = LABEL.exec(rest);
    assert.ok(m, `bad labels in: ${line}`);
    assert.ok(!(m[1]! in labels), `label ${m[1]} twice in: ${line}`);
    labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(m[0].length);
  }
  return labels;
}

/** The family a sample belongs to: histograms' and summaries' series carry a suffix. */
function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const m = /^(.*)_(bucket|sum|count)$/.exec(name);
  return m && ['histogram', 'summary'].includes(types.get(m[1]!) ?? '') ? m[1] : undefined;
}

export function parsePrometheusText(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
      assert.ok(m, `bad comment line: ${line}`);
      if (m[1] === 'TYPE') { assert.ok(TYPES.has(m[3]!), `bad type: ${line}`); types.set(m[2]!, m[3]!); } else helps.set(m[2]!, m[3]!);
      continue;
    }
    const m = SAMPLE.exec(line);
    assert.ok(m, `bad sample line: ${line}`);
    samples.push({ name: m[1]!, labels: parseLabels(m[2] ?? '', line), value: parseValue(m[3]!, line) });
  }
  for (const s of samples) {
    const family = familyOf(s.name, types);
    assert.ok(family, `sample ${s.name} has no # TYPE`);
    assert.ok(helps.has(family), `sample ${s.name} has no # HELP`);
  }
  return { samples, types, helps };
}

/** Sum of the samples named `name` whose labels include `where` (0 when there are none). */
export function sumOf(exp: Exposition, name: string, where: Record<string, string> = {}): number {
  return exp.samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

export function has(exp: Exposition, name: string, where: Record<string, string> = {}): boolean {
  return exp.samples.some((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v));
}
