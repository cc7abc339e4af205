// The key that seals stored API keys and credentials (and signs artifact links) lives outside the
// database, so a dump alone opens nothing: `SECRET_KEY`, else a 0600 file (`SECRET_KEY_FILE`, by
// default `$SKYPORT_DATA_DIR/secret_key`) created on first start. API and workers of one
// deployment must see the same key: one data folder (`npm run up`, the compose file's shared
// volume), a shared SECRET_KEY_FILE, or SECRET_KEY given to every process.
// Before this, the key was `server_settings.server_secret`; at start it is moved out (written to
// the file, or checked against SECRET_KEY) and removed from the database.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { decryptSecret, encryptSecret, newServerSecret } from './secrets.ts';

export const LEGACY_SETTING = 'server_secret';

export interface SealingKeySource { secretKey: string | undefined; secretKeyFile: string }

export async function readKeyFile(file: string): Promise<string | undefined> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    return text || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Writes `key` to `file` (0600) unless the file already exists; returns what the file holds.
 * Written beside and hard-linked into place, so processes starting together agree on one key.
 */
export async function writeKeyFileOnce(file: string, key: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, `${key}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await rm(tmp, { force: true });
  }
  const stored = await readKeyFile(file);
  if (!stored) throw new Error(`sealing key file ${file} is empty`);
  return stored;
}

/** Replaces the key file (0600) atomically. */
export async function replaceKeyFile(file: string, key: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, `${key}\n`, { mode: 0o600, flag: 'wx' });
  await rename(tmp, file);
}

async function legacySecret(pool: pg.Pool): Promise<string | undefined> {
  const { rows } = await pool.query<{ value: string }>('select value from server_settings where key = $1', [LEGACY_SETTING]);
  return rows[0]?.value;
}

/** The deployment's sealing key; moves a key still kept in the database out of it first. */
export async function resolveSealingKey(pool: pg.Pool, src: SealingKeySource, log: (msg: string) => void = () => {}): Promise<string> {
  const legacy = await legacySecret(pool);
  let key = src.secretKey ?? (await readKeyFile(src.secretKeyFile));
  if (legacy !== undefined) {
    if (key === undefined) {
      key = await writeKeyFileOnce(src.secretKeyFile, legacy);
      log(`sealing key moved out of the database into ${src.secretKeyFile} (keep it: sealed credentials cannot be opened without it)`);
    }
    if (key !== legacy) {
      throw new Error(
        `the database still holds a sealing key (server_settings.server_secret) that differs from ${src.secretKey ? 'SECRET_KEY' : src.secretKeyFile}. ` +
        'Stored credentials and API keys are sealed with the database one: either give that key (SECRET_KEY or the key file) ' +
        'or re-seal everything under the new one with `npm run rotate-secret -- --from-database` (docs/configuration.md).',
      );
    }
    await pool.query('delete from server_settings where key = $1 and value = $2', [LEGACY_SETTING, legacy]);
    return key;
  }
  return key ?? (await writeKeyFileOnce(src.secretKeyFile, newServerSecret()));
}

/**
 * Re-seals every sealed value (API keys, credentials) from `oldKey` to `newKey` in one transaction.
 * Throws (and changes nothing) if any value does not open with `oldKey`.
 */
export async function resealAll(pool: pg.Pool, oldKey: string, newKey: string): Promise<{ apiKeys: number; credentials: number }> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const keys = await client.query<{ api_key_id: string; key_encrypted: string }>('select api_key_id, key_encrypted from api_keys for update');
    for (const row of keys.rows) {
      await client.query('update api_keys set key_encrypted = $2 where api_key_id = $1',
        [row.api_key_id, encryptSecret(newKey, decryptSecret(oldKey, row.key_encrypted))]);
    }
    const creds = await client.query<{ credential_id: string; secret_sealed: string }>('select credential_id, secret_sealed from credentials for update');
    for (const row of creds.rows) {
      await client.query('update credentials set secret_sealed = $2 where credential_id = $1',
        [row.credential_id, encryptSecret(newKey, decryptSecret(oldKey, row.secret_sealed))]);
    }
    await client.query('delete from server_settings where key = $1', [LEGACY_SETTING]);
    await client.query('commit');
    return { apiKeys: keys.rowCount ?? 0, credentials: creds.rowCount ?? 0 };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
