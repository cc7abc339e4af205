// A bounded, seeded fuzzer generated from our own openapi/openapi.json: every operation gets a
// plausible request built from its schemas, then one mutation (wrong types, missing required
// fields, NUL and odd unicode, huge and negative numbers, deep nesting, long strings, bad enums,
// odd path params, garbage bodies). No answer may be 5xx, and the server must still answer a
// normal request afterwards. FUZZ_SEED / FUZZ_REQUESTS replay or widen a run; FUZZ_PROFILE=1 prints
// where the time goes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startStack, type TestStack } from '../support/stack.ts';

type Json = any;

/** mulberry32: a small, well-known 32-bit PRNG; the same seed replays the same requests. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

const ODD_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\uffff', '\ufeff', '\u202e', 'e\u0301', '😀', '𝕏'.repeat(50),
  '../../etc/passwd', '%00', '%', '{{ x }}', '${x}', "'; drop table runs; --", '<script>', 'null', 'true', '-1', '1e309',
  'NaN', '\r\n', '\t', '\\', '"', 'wr_', 'tsk_1', 'wpid_1', 'pbs_1', 'bp_1', 'cred_1', 's_1', 'http://', 'https://exa mple.com',
];
const ODD_NUMBERS = [0, -1, 1, -2147483649, 2147483647, 2147483648, 3_000_000_000, 2 ** 53, -(2 ** 53), 1e20, 1e308, -1e308, 0.5, -0.0001, 1e-300];
const ODD_PATH = ['%00', 'a%00b', '%ED%A0%80', '..', '%2e%2e', '%2F', 'a%2Fb', '%20', '%ZZ', '%', '%F0%9F%98%80', 'x'.repeat(5000), '-1', '0', '99999999999999999999', 'null', 'wr_1', 'tsk_1', 'wpid_1', '%0A', '%E2%80%AE'];

function randomString(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = rng.int(10);
    s += r < 6 ? String.fromCharCode(32 + rng.int(95)) : r < 9 ? String.fromCharCode(0xa0 + rng.int(0xd000)) : String.fromCodePoint(0x10000 + rng.int(0x1000));
  }
  return s;
}

const branches = (s: Json): Json[] => s?.anyOf ?? s?.oneOf ?? [];

/** A plausible value for a schema (the non-null branch of a union, the first enum value…). */
function sample(schema: Json, rng: Rng, depth = 0): Json {
  if (!schema || typeof schema !== 'object' || depth > 6) return null;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return rng.pick(schema.enum);
  const u = branches(schema);
  if (u.length) { const nonNull = u.filter((b: Json) => b.type !== 'null'); return sample(rng.pick(nonNull.length ? nonNull : u), rng, depth + 1); }
  if (schema.allOf) return sample(schema.allOf[0], rng, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'date-time') return new Date(Date.UTC(2026, 0, 1)).toISOString();
      if (schema.format === 'uri' || /url/i.test(schema.title ?? '')) return 'http://127.0.0.1:9/';
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    case 'integer': case 'number': return schema.minimum ?? schema.default ?? 1;
    case 'boolean': return rng.chance(0.5);
    case 'array': return schema.items && rng.chance(0.7) ? [sample(schema.items, rng, depth + 1)] : [];
    case 'object': case undefined: {
      const out: Record<string, Json> = {};
      for (const [k, v] of Object.entries<Json>(schema.properties ?? {})) {
        if ((schema.required ?? []).includes(k) || rng.chance(0.4)) out[k] = sample(v, rng, depth + 1);
      }
      return type === undefined && !schema.properties ? 'x' : out;
    }
    default: return null;
  }
}

/** Every path to a leaf or node inside a value, for mutations to aim at. */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length > 0) out.push(prefix);
  if (value && typeof value === 'object' && prefix.length < 8) {
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}
function setAt(root: Json, path: (string | number)[], value: Json, remove = false): Json {
  if (path.length === 0) return value;
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1]!;
  if (remove) { if (Array.isArray(node)) node.splice(Number(last), 1); else delete node[last]; } else node[last] = value;
  return root;
}

const DEEP = '__DEEP__';
function oddValue(rng: Rng): Json {
  switch (rng.int(9)) {
    case 0: return rng.pick(ODD_STRINGS);
    case 1: return rng.pick(ODD_NUMBERS);
    case 2: return randomString(rng, rng.pick([1, 200, 3000, 20_000]));
    case 3: return rng.pick([null, true, false, [], {}, [null], { '': '' }, { 'k\u0000': 1 }]);
    case 4: return DEEP;
    case 5: return Array.from({ length: rng.pick([2, 50, 1000]) }, () => rng.pick(ODD_STRINGS));
    case 6: return { a: rng.pick(ODD_STRINGS), [rng.pick(ODD_STRINGS)]: rng.pick(ODD_NUMBERS) };
    case 7: return 'BAD_ENUM_' + rng.int(1000);
    default: return rng.pick(ODD_NUMBERS) * (rng.chance(0.5) ? 1 : -1);
  }
}

interface Operation { method: string; path: string; params: Json[]; body?: Json }
/** Ids of real resources by path-parameter name, so mutations reach past the 404s. */
const realIds: Record<string, string[]> = {};
interface FuzzRequest { method: string; url: string; payload?: string; mutation: string }

function buildRequest(op: Operation, rng: Rng): FuzzRequest {
  const mutation = rng.pick(['none', 'body-field', 'body-field', 'body-field', 'drop-required', 'query', 'query', 'path', 'path', 'body-whole', 'deep']);
  const pathParams: Record<string, string> = {};
  const query: [string, string][] = [];
  for (const p of op.params) {
    if (p.in === 'path') pathParams[p.name] = encodeURIComponent(realIds[p.name]?.length && rng.chance(0.8) ? rng.pick(realIds[p.name]!) : String(sample(p.schema, rng) ?? 'x'));
    else if (p.in === 'query' && (p.required || rng.chance(0.3))) {
      const v = sample(p.schema, rng);
      for (const item of Array.isArray(v) ? v : [v]) if (item !== null && item !== undefined) query.push([p.name, String(item)]);
    }
  }
  if (mutation === 'path' && Object.keys(pathParams).length) pathParams[rng.pick(Object.keys(pathParams))] = rng.pick(ODD_PATH);
  if (mutation === 'query') {
    const names = op.params.filter((p) => p.in === 'query').map((p) => p.name);
    const name = names.length && rng.chance(0.8) ? rng.pick(names) : rng.pick(['page', 'page_size', 'x', '%00', 'tags']);
    const raw = rng.pick([...ODD_PATH, ...ODD_NUMBERS.map(String), encodeURIComponent(randomString(rng, rng.pick([10, 3000])))]);
    query.push([name, `\u0001${raw}`]);
  }
  let url = op.path.replace(/\{([^}]+)\}/g, (_, n) => pathParams[n] ?? 'x');
  if (query.length) url += '?' + query.map(([k, v]) => `${encodeURIComponent(k)}=${v.startsWith('\u0001') ? v.slice(1) : encodeURIComponent(v)}`).join('&');
  if (!op.body && !['POST', 'PUT', 'PATCH'].includes(op.method)) return { method: op.method, url, mutation };
  let body: Json = op.body ? sample(op.body, rng) : {};
  let deepAt: (string | number)[] | undefined;
  if (mutation === 'body-field' || mutation === 'deep') {
    const targets = paths(body);
    const at = targets.length && rng.chance(0.85) ? rng.pick(targets) : [rng.pick(['x', 'prompt', 'title', 'parameters', 'run_metadata', 'name'])];
    const value = mutation === 'deep' ? DEEP : oddValue(rng);
    if (typeof body !== 'object' || body === null) body = {};
    try { body = setAt(body, at, value); } catch { body = { [String(at[0])]: value }; }
    if (value === DEEP) deepAt = at;
  } else if (mutation === 'drop-required') {
    const required: string[] = op.body?.required ?? [];
    if (required.length && body && typeof body === 'object') delete body[rng.pick(required)];
  } else if (mutation === 'body-whole') {
    const raw = rng.pick(['', '[]', 'null', '1', '"x"', '{', '{"a":', '{"a":1}{', '\u0000', '{"a":"\\u0000"}', '{"a":"\\ud800"}', '[' .repeat(200000), '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}']);
    return { method: op.method, url, payload: raw, mutation };
  }
  let payload = JSON.stringify(body);
  if (deepAt) {
    const depth = rng.pick([101, 150, 2_000, 20_000]);
    const nest = rng.chance(0.5) ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);
    payload = payload.replace(JSON.stringify(DEEP), nest);
  }
  return { method: op.method, url, payload, mutation };
}

describe('fuzzing every operation of openapi.json', () => {
  let stack: TestStack;
  // No worker: session creation answers at once instead of waiting for a browser.
  before(async () => { stack = await startStack({ env: { BROWSER_SESSION_CREATE_WAIT_MS: '0' } }); });
  after(async () => { await stack.close(); });

  it('answers no 5xx to thousands of generated requests and stays healthy', async () => {
    const doc = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'));
    const operations: Operation[] = [];
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        operations.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], body: op.requestBody?.content?.['application/json']?.schema });
      }
    }
    assert.ok(operations.length >= 50, `only ${operations.length} operations in openapi.json`);
    // A few real resources for the path parameters to name.
    const created = async (url: string, body: unknown, field: string) => {
      const res = await stack.request('POST', url, body);
      assert.ok(res.status < 300, `${url}: ${res.status} ${JSON.stringify(res.body)}`);
      return String(res.body[field]);
    };
    const wpid = await created('/v1/agents', { json_definition: { title: 'fuzz', workflow_definition: { parameters: [], blocks: [] } } }, 'workflow_permanent_id');
    const runId = await created('/v1/run/tasks', { prompt: 'fuzz', url: 'http://127.0.0.1:9/' }, 'run_id');
    const workflowRunId = await created('/v1/run/agents', { workflow_id: wpid }, 'run_id');
    const credentialId = await created('/v1/credentials', { name: 'fuzz', credential_type: 'password', credential: { username: 'u', password: 'p' } }, 'credential_id');
    const profileId = await created('/v1/browser_profiles', { name: 'fuzz' }, 'browser_profile_id');
    const scheduleId = await created(`/v1/agents/${wpid}/schedules`, { cron_expression: '0 0 1 1 *', timezone: 'UTC', enabled: false }, 'workflow_schedule_id');
    Object.assign(realIds, {
      workflow_permanent_id: [wpid], workflow_id: [wpid], run_id: [runId, workflowRunId], workflow_run_id: [workflowRunId],
      credential_id: [credentialId], profile_id: [profileId], workflow_schedule_id: [scheduleId], key: ['k', 'env'],
    });
    const seed = Number(process.env.FUZZ_SEED ?? 20261202);
    const total = Number(process.env.FUZZ_REQUESTS ?? 5200);
    const rng = prng(seed);
    const requests: FuzzRequest[] = [];
    // Every operation at least a few times, then the rest at random.
    for (let i = 0; i < total; i++) requests.push(buildRequest(i < operations.length * 5 ? operations[i % operations.length]! : rng.pick(operations), rng));

    const started = Date.now();
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const timing = new Map<string, [number, number]>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++]!;
        const t0 = performance.now();
        const res = await stack.api.app.inject({
          method: r.method as never, url: r.url, payload: r.payload,
          headers: { 'x-api-key': stack.apiKey, ...(r.payload !== undefined ? { 'content-type': 'application/json' } : {}) },
        });
        if (process.env.FUZZ_PROFILE) { const k = `${r.method} ${r.url.split('?')[0]!.slice(0, 60)} ${r.mutation}`; const e = timing.get(k) ?? [0, 0]; e[0] += performance.now() - t0; e[1]++; timing.set(k, e); }
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500) {
          failures.push(`${res.statusCode} ${r.method} ${r.url.slice(0, 300)} [${r.mutation}] ${r.payload?.slice(0, 300) ?? ''} → ${res.body.slice(0, 300)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const seconds = (Date.now() - started) / 1000;
    if (process.env.FUZZ_PROFILE) for (const [k, [ms, n]] of [...timing].sort((a, b) => b[1][0] - a[1][0]).slice(0, 25)) console.log(`${ms.toFixed(0)} ms / ${n} ${k}`);
    console.log(`fuzz: seed ${seed}, ${requests.length} requests over ${operations.length} operations in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; ${failures.length} × 5xx`);
    assert.deepEqual(failures, [], `5xx answers (replay with FUZZ_SEED=${seed}):\n${failures.slice(0, 30).join('\n')}`);

    const health = await stack.request('GET', '/v1/agents?page_size=1');
    assert.equal(health.status, 200);
    const run = await stack.request('POST', '/v1/run/tasks', { prompt: 'still healthy', url: 'http://127.0.0.1:9/' });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    assert.equal((await stack.request('GET', `/v1/runs/${run.body.run_id}`)).status, 200);
  });
});
