import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// No Docker engine runs here, so the deployment files are kept right by reading them. The compiled
// entry points they name are started for real in compiled-build.test.ts.
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'));
const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const configSource = readFileSync(new URL('../../src/config/index.ts', import.meta.url), 'utf8');
const BUCKETS = ['skyport-artifacts', 'skyport-uploads', 'skyport-browser-sessions'];

describe('docker-compose.yml and Dockerfile', () => {
  it('has postgres, redis, minio (+ its one-shot bucket setup), api and worker', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ['api', 'minio', 'minio-init', 'postgres', 'redis', 'worker']);
  });

  it('serves the API on 8000 and lets workers scale (no fixed name or host port)', () => {
    assert.ok(compose.services.api.ports.includes('8000:8000'));
    assert.equal(compose.services.worker.ports, undefined);
    assert.equal(compose.services.worker.container_name, undefined);
  });

  it('runs the compiled entry points with node, never tsx', () => {
    assert.deepEqual(compose.services.api.command, ['node', 'dist/api.js']);
    assert.deepEqual(compose.services.worker.command, ['node', 'dist/worker.js']);
    assert.doesNotMatch(JSON.stringify(compose.services), /tsx|src\/\w+\.ts/);
  });

  it('points api and worker at the same Postgres, Redis, MinIO buckets and sealing key, with no shared artifacts volume', () => {
    const envOf = (name: string) => compose.services[name].environment as Record<string, string>;
    for (const name of ['api', 'worker']) {
      const svc = compose.services[name];
      const env = envOf(name);
      assert.match(env.DATABASE_URL, /@postgres:5432\//);
      assert.equal(env.REDIS_URL, 'redis://redis:6379');
      assert.equal(env.SKYVERN_STORAGE_TYPE, 's3');
      assert.equal(env.AWS_ENDPOINT_URL, 'http://minio:9000');
      assert.equal(env.AWS_S3_FORCE_PATH_STYLE, 'true');
      assert.equal(env.AWS_REGION, 'us-east-1');
      for (const key of ['AWS_S3_BUCKET_ARTIFACTS', 'AWS_S3_BUCKET_SCREENSHOTS', 'AWS_S3_BUCKET_UPLOADS', 'AWS_S3_BUCKET_BROWSER_SESSIONS']) {
        assert.ok(BUCKETS.includes(env[key]!), `${name} ${key}=${env[key]} is a bucket minio-init creates`);
        // The names the S3 store reads (src/config/index.ts is the only reader of the environment).
        assert.ok(configSource.includes(key), `${key} is read by src/config/index.ts`);
      }
      assert.ok(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY, `${name} has S3 credentials`);
      assert.equal(env.SECRET_KEY_FILE, '/data/keys/secret_key');
      assert.deepEqual(svc.volumes, ['keys:/data/keys'], `${name} shares only the sealing key's folder`);
      assert.equal(svc.build, '.', `${name} uses the one image`);
      assert.equal(svc.depends_on.postgres.condition, 'service_healthy');
      assert.equal(svc.depends_on.redis.condition, 'service_healthy');
      assert.equal(svc.depends_on['minio-init'].condition, 'service_completed_successfully');
    }
    for (const key of Object.keys(envOf('api')).filter((k) => k.startsWith('AWS_') || k === 'SKYVERN_STORAGE_TYPE')) {
      assert.equal(envOf('worker')[key], envOf('api')[key], `api and worker agree on ${key}`);
    }
    assert.ok(!('artifacts' in compose.volumes), 'artifacts live in MinIO, not in a shared volume');
    assert.ok('minio-data' in compose.volumes);
  });

  it('runs MinIO with its console and creates every bucket once it is healthy', () => {
    const minio = compose.services.minio;
    assert.equal(minio.image, 'minio/minio');
    assert.deepEqual(minio.command, ['server', '/data', '--console-address', ':9001']);
    assert.ok(minio.healthcheck.test.length > 0);
    const init = compose.services['minio-init'];
    assert.equal(init.image, 'minio/mc');
    assert.equal(init.depends_on.minio.condition, 'service_healthy');
    const script = [init.entrypoint, init.command].flat().join(' ');
    assert.match(script, /mc alias set local http:\/\/minio:9000/);
    for (const bucket of BUCKETS) assert.match(script, new RegExp(`local/${bucket}\\b`));
    assert.equal(compose.services.api.environment.AWS_ACCESS_KEY_ID, minio.environment.MINIO_ROOT_USER);
    assert.equal(compose.services.api.environment.AWS_SECRET_ACCESS_KEY, minio.environment.MINIO_ROOT_PASSWORD);
  });

  it('checks the API with /health/ready', () => {
    assert.match(compose.services.api.healthcheck.test.join(' '), /127\.0\.0\.1:8000\/health\/ready/);
  });

  it('builds dist/ in a build stage and runs it on node:20-bookworm-slim with Debian Chromium and ffmpeg, as a non-root user', () => {
    const stages = dockerfile.split(/^FROM /m).slice(1);
    assert.equal(stages.length, 2, 'a build stage and a runtime stage');
    assert.match(stages[0]!, /RUN npm ci\b/);
    assert.match(stages[0]!, /RUN npm run build/);
    const runtime = stages[1]!;
    assert.match(runtime, /^node:20-bookworm-slim/);
    assert.match(runtime, /apt-get install[^\n]*chromium/);
    assert.match(runtime, /apt-get install[^\n]*ffmpeg/);
    assert.match(runtime, /apt-get install[^\n]*tini/);
    assert.match(runtime, /CHROMIUM_PATH=\/usr\/bin\/chromium/);
    assert.match(runtime, /npm ci --omit=dev/);
    assert.match(runtime, /COPY migrations/);
    assert.match(runtime, /COPY --from=\S+ \/app\/dist \.\/dist/);
    assert.match(runtime, /^USER (?!root)\S+/m);
    assert.match(runtime, /chown[^\n]*\/data/);
    assert.match(runtime, /CMD \["node", "dist\/api\.js"\]/);
    assert.doesNotMatch(runtime, /tsx/);
    assert.doesNotMatch(dockerfile, /playwright install/);
  });
});
