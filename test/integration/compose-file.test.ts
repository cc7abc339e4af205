import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// No Docker engine runs here, so the deployment files are kept right by reading them.
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'));
const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');

describe('docker-compose.yml and Dockerfile', () => {
  it('has postgres, redis, api and worker', () => {
    assert.deepEqual(Object.keys(compose.services).sort(), ['api', 'postgres', 'redis', 'worker']);
  });

  it('serves the API on 8000 and lets workers scale (no fixed name or host port)', () => {
    assert.ok(compose.services.api.ports.includes('8000:8000'));
    assert.equal(compose.services.worker.ports, undefined);
    assert.equal(compose.services.worker.container_name, undefined);
    assert.match(compose.services.api.command.join(' '), /src\/api\.ts/);
    assert.match(compose.services.worker.command.join(' '), /src\/worker\.ts/);
  });

  it('points api and worker at the same Postgres and Redis and one artifacts volume', () => {
    for (const name of ['api', 'worker']) {
      const svc = compose.services[name];
      assert.match(svc.environment.DATABASE_URL, /@postgres:5432\//);
      assert.equal(svc.environment.REDIS_URL, 'redis://redis:6379');
      assert.ok(svc.volumes.includes('artifacts:/data'), `${name} mounts artifacts`);
      assert.equal(svc.build, '.', `${name} uses the one image`);
      assert.equal(svc.depends_on.postgres.condition, 'service_healthy');
    }
    assert.ok('artifacts' in compose.volumes);
  });

  it('builds one image with Debian Chromium and ffmpeg, and ships the migrations', () => {
    assert.match(dockerfile, /apt-get install[^\n]*chromium/);
    assert.match(dockerfile, /ffmpeg/);
    assert.match(dockerfile, /CHROMIUM_PATH=\/usr\/bin\/chromium/);
    assert.match(dockerfile, /COPY migrations/);
    assert.doesNotMatch(dockerfile, /playwright install/);
  });
});
