// Issue 12, part 5: the key sealing credentials and API keys lives outside the database (SECRET_KEY or
// a 0600 file in the data folder), a key kept in the database by an older install is moved out at
// start, and `npm run rotate-secret` re-seals everything under a new key.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { createApi, type ApiProcess } from '../../src/processes.ts';
import { openCredential } from '../../src/services/credentials/credentials.service.ts';
import { rotateSecret } from '../../src/rotate-secret.ts';
import { startStack, type TestStack } from '../support/stack.ts';

describe('the sealing key lives outside the database', () => {
  let stack: TestStack;
  let db: pg.Client;
  const extra: ApiProcess[] = [];
  const keyFile = () => path.join(stack.config.dataDir, 'secret_key');
  const legacyRows = async () => (await db.query(`select value from server_settings where key = 'server_secret'`)).rows;
  const restart = async (env: Record<string, string> = {}) => {
    const { loadConfig } = await import('../../src/config/index.ts');
    const api = await createApi(loadConfig({ ...stack.config.env, ...env }), { migrate: false });
    extra.push(api);
    return api;
  };
  let credentialId: string;

  before(async () => {
    stack = await startStack();
    db = new pg.Client({ connectionString: stack.config.databaseUrl });
    await db.connect();
    const created = await stack.request('POST', '/v1/credentials', {
      name: 'Acme', credential_type: 'secret', credential: { secret_value: 'sk-live-xyz', secret_label: 'acme' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    credentialId = created.body.credential_id;
  });
  after(async () => {
    for (const api of extra) await api.close().catch(() => {});
    await db.end();
    await stack.close();
  });

  it('creates a 0600 key file on first start and keeps no key in the database', async () => {
    const st = await stat(keyFile());
    assert.equal(st.mode & 0o777, 0o600);
    assert.match((await readFile(keyFile(), 'utf8')).trim(), /^[0-9a-f]{64}$/);
    assert.deepEqual(await legacyRows(), []);
  });

  it('moves a key an older install kept in the database out of it; what it sealed still opens', async () => {
    // The layout before the move: the key in server_settings, no file.
    const key = (await readFile(keyFile(), 'utf8')).trim();
    await db.query(`insert into server_settings (key, value) values ('server_secret', $1)`, [key]);
    await rm(keyFile());

    const api = await restart();
    assert.deepEqual(await legacyRows(), [], 'the key left the database');
    assert.equal((await readFile(keyFile(), 'utf8')).trim(), key, 'into the key file');
    assert.equal((await stat(keyFile())).mode & 0o777, 0o600);
    const opened = await openCredential(api.core, stack.organizationId, credentialId);
    assert.equal((opened?.body as any).secret_value, 'sk-live-xyz', 'a credential sealed before the move still opens');
    assert.equal(await api.core.organizations.signingKey(stack.organizationId), stack.apiKey, 'the API key sealed before the move still opens');
  });

  it('refuses to start when the database holds a different key than SECRET_KEY', async () => {
    const key = (await readFile(keyFile(), 'utf8')).trim();
    await db.query(`insert into server_settings (key, value) values ('server_secret', $1)`, [key]);
    await assert.rejects(restart({ SECRET_KEY: 'f'.repeat(64) }), /rotate-secret/);
    // SECRET_KEY equal to the database's key: accepted, and the database copy removed.
    const api = await restart({ SECRET_KEY: key });
    assert.deepEqual(await legacyRows(), []);
    assert.equal((await openCredential(api.core, stack.organizationId, credentialId))?.credentialId, credentialId);
  });

  it('rotate-secret re-seals credentials and API keys under a new key file', async () => {
    const before = (await readFile(keyFile(), 'utf8')).trim();
    const lines: string[] = [];
    await rotateSecret(stack.config.env, [], (l) => lines.push(l));
    const after = (await readFile(keyFile(), 'utf8')).trim();
    assert.notEqual(after, before);
    assert.equal((await stat(keyFile())).mode & 0o777, 0o600);
    assert.match(lines.join('\n'), /re-sealed \d+ API key\(s\) and 1 credential\(s\)/);
    const api = await restart();
    assert.equal(((await openCredential(api.core, stack.organizationId, credentialId))?.body as any).secret_value, 'sk-live-xyz');
    // The organization's API key still authenticates (hash) and opens (webhook signing).
    const res = await api.app.inject({ method: 'GET', url: '/v1/credentials', headers: { 'x-api-key': stack.apiKey } });
    assert.equal(res.statusCode, 200);
    assert.equal(await api.core.organizations.signingKey(stack.organizationId), stack.apiKey);
  });
});
