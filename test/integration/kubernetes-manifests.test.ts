// deploy/kubernetes/ read and cross-checked (no cluster here): compiled entry points, env names
// Skyport really reads, ports and probes the server really has, Secret keys that exist, the worker's
// shared memory and drain time, KEDA scaling on a metric /metrics really exports.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config/index.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIR = path.join(ROOT, 'deploy/kubernetes');
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

interface Doc { file: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: any }
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const docs: Doc[] = files.flatMap((file) => parseAllDocuments(readFileSync(path.join(DIR, file), 'utf8')).map((d) => {
  assert.equal(d.errors.length, 0, `${file}: ${d.errors.join('; ')}`);
  return { ...d.toJS(), file };
})).filter((d) => d.kind);
const one = (kind: string, name?: string) => {
  const found = docs.filter((d) => d.kind === kind && (!name || d.metadata.name === name));
  assert.equal(found.length, 1, `one ${kind}${name ? ` ${name}` : ''} (found ${found.length})`);
  return found[0]!;
};

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
/**
 * The environment variables Skyport reads: every name in src/config/ (the reader of process.env,
 * LLM settings included) and every `env.NAME` in src/ (a few are read from config.env by entry points).
 */
const KNOWN_ENV = new Set<string>([
  ...walk(path.join(ROOT, 'src/config')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((f) => readFileSync(f, 'utf8').match(/\b[A-Z][A-Z0-9_]{2,}\b/g) ?? []),
  ...walk(path.join(ROOT, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!)),
]);

const kustomization = one('Kustomization');
const config = one('ConfigMap', 'skyport-config');
const secret = one('Secret', 'skyport-secrets');
const api = one('Deployment', 'skyport-api');
const worker = one('Deployment', 'skyport-worker');
const service = one('Service', 'skyport-api');
const container = (d: Doc) => { assert.equal(d.spec.template.spec.containers.length, 1, d.metadata.name); return d.spec.template.spec.containers[0]; };
const envOf = (d: Doc) => Object.fromEntries((container(d).env ?? []).map((e: any) => [e.name, e]));

describe('deploy/kubernetes manifests', () => {
  it('lists every manifest in kustomization.yaml except the Secret template, and names no namespace', () => {
    const listed = [...kustomization.resources].sort();
    assert.deepEqual(listed, files.filter((f) => f !== 'kustomization.yaml' && f !== secret.file).sort());
    assert.equal(secret.file, 'secret.template.yaml');
    for (const d of docs) assert.equal(d.metadata?.namespace, undefined, `${d.file} ${d.kind} is namespace-agnostic`);
  });

  it('runs one image with the compiled entry points, never tsx', () => {
    assert.deepEqual(container(api).command, ['node', 'dist/api.js']);
    assert.deepEqual(container(worker).command, ['node', 'dist/worker.js']);
    assert.equal(container(api).image, container(worker).image);
    assert.ok(kustomization.images.some((i: any) => i.name === container(api).image), 'kustomize can set the image');
    for (const entry of ['api', 'worker']) assert.ok(existsSync(path.join(ROOT, `src/${entry}.ts`)), `dist/${entry}.js is built from src/${entry}.ts`);
    assert.doesNotMatch(JSON.stringify(docs), /tsx|src\/\w+\.ts/);
  });

  it('sets only environment variables Skyport reads', () => {
    const names = [
      ...Object.keys(config.data), ...Object.keys(secret.stringData),
      ...Object.keys(envOf(api)), ...Object.keys(envOf(worker)),
    ];
    assert.ok(names.length > 15);
    for (const name of names) assert.ok(KNOWN_ENV.has(name), `${name} is not read anywhere in src/config or as env.${name} in src/`);
    // Sanity of the reference set itself.
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'SECRET_KEY', 'AWS_S3_BUCKET_ARTIFACTS', 'OPENAI_API_KEY', 'BROWSER_SESSION_ADVERTISED_HOST']) assert.ok(KNOWN_ENV.has(name), name);
    assert.ok(!KNOWN_ENV.has('NOT_A_SKYPORT_SETTING'));
  });

  it('keeps secrets in the Secret template and config in the ConfigMap, both given to api and worker', () => {
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'SECRET_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'METRICS_TOKEN']) assert.ok(key in secret.stringData, `Secret has ${key}`);
    assert.ok(Object.keys(secret.stringData).some((k) => /_API_KEY$/.test(k) && k !== 'SKYVERN_API_KEY'), 'Secret has an LLM provider key');
    for (const key of Object.keys(config.data)) assert.doesNotMatch(key, /SECRET|PASSWORD|_API_KEY$|TOKEN|DATABASE_URL|REDIS_URL/, `${key} belongs in the Secret`);
    for (const d of [api, worker]) {
      const from = container(d).envFrom;
      assert.ok(from.some((f: any) => f.configMapRef?.name === config.metadata.name), `${d.metadata.name} gets the ConfigMap`);
      assert.ok(from.some((f: any) => f.secretRef?.name === secret.metadata.name), `${d.metadata.name} gets the Secret`);
    }
    // Every secret referenced anywhere exists, with that key.
    const refs = JSON.stringify(docs).match(/"(?:secretKeyRef|bearerTokenSecret)":\{[^}]*\}/g) ?? [];
    assert.ok(refs.length > 0);
    for (const ref of refs) {
      const { name, key } = JSON.parse(ref.slice(ref.indexOf('{')));
      assert.equal(name, secret.metadata.name, ref);
      assert.ok(key in secret.stringData, `${key} in the Secret template`);
    }
    // The settings load as the processes would load them.
    const loaded = loadConfig({ ...config.data, ...secret.stringData, SKYPORT_DATA_DIR: '/tmp/skyport-k8s-test' });
    assert.equal(loaded.storage.type, 's3');
    assert.equal(loaded.storage.s3?.buckets.uploads, 'skyport-uploads');
  });

  it('serves port 8000 with liveness on /health and readiness on /health/ready, routes the server has', () => {
    const routes = read('src/http/routes/v1/server.routes.ts');
    const c = container(api);
    const port = c.ports.find((p: any) => p.name === 'http');
    assert.equal(port.containerPort, 8000);
    assert.equal(Number(config.data.PORT), 8000);
    assert.equal(loadConfig({ SKYPORT_DATA_DIR: '/tmp/x' }).port, 8000, 'the server\'s default port');
    assert.equal(c.livenessProbe.httpGet.path, '/health');
    assert.equal(c.readinessProbe.httpGet.path, '/health/ready');
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) assert.ok([8000, 'http'].includes(probe.httpGet.port));
    assert.match(routes, /url: '\/health',/);
    assert.match(routes, /url: '\/health\/ready',/);
    assert.deepEqual(service.spec.selector, api.spec.template.metadata.labels);
    assert.equal(service.spec.ports[0].port, 8000);
    assert.equal(service.spec.ports[0].targetPort, 'http');
  });

  it('gives workers shared memory for Chromium, time to drain, and browser sessions reachable at the pod IP', () => {
    const spec = worker.spec.template.spec;
    const shm = spec.volumes.find((v: any) => container(worker).volumeMounts.some((m: any) => m.mountPath === '/dev/shm' && m.name === v.name));
    assert.ok(shm, 'a volume at /dev/shm');
    assert.equal(shm.emptyDir.medium, 'Memory');
    assert.ok(spec.terminationGracePeriodSeconds >= 30);
    const drainMs = Number(envOf(worker).DRAIN_TIMEOUT_MS?.value ?? 25_000);
    assert.ok(spec.terminationGracePeriodSeconds * 1000 > drainMs + 5_000, 'the pod is not killed while it drains');
    assert.equal(envOf(worker).BROWSER_SESSION_HOST.value, '0.0.0.0');
    assert.equal(envOf(worker).BROWSER_SESSION_ADVERTISED_HOST.valueFrom.fieldRef.fieldPath, 'status.podIP');
    assert.deepEqual(worker.spec.selector.matchLabels, worker.spec.template.metadata.labels);
    assert.deepEqual(api.spec.selector.matchLabels, api.spec.template.metadata.labels);
    for (const d of [api, worker]) assert.equal(d.spec.template.spec.securityContext.runAsNonRoot, true);
  });

  it('scales workers with KEDA on the run queue metric /metrics exports, scraped with the Secret\'s token', () => {
    const scaled = one('ScaledObject');
    assert.equal(scaled.spec.scaleTargetRef.name, worker.metadata.name);
    const trigger = scaled.spec.triggers[0];
    assert.equal(trigger.type, 'prometheus');
    assert.match(trigger.metadata.query, /skyport_queue_jobs\{queue="runs",state=~"waiting\|active"\}/);
    assert.match(read('src/metrics/cluster-metrics.ts'), /name: 'skyport_queue_jobs'/);
    assert.match(read('src/queue/run-queue.ts'), /RUNS_QUEUE = 'runs'/);
    assert.equal(trigger.metadata.threshold, config.data.WORKER_CONCURRENCY, 'one worker pod per WORKER_CONCURRENCY runs');
    const monitor = one('ServiceMonitor');
    assert.deepEqual(monitor.spec.selector.matchLabels, service.metadata.labels);
    assert.equal(monitor.spec.endpoints[0].port, service.spec.ports[0].name);
    assert.equal(monitor.spec.endpoints[0].path, '/metrics');
  });
});
