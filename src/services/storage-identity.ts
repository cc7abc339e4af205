// Every process of a deployment must keep artifacts in the same place: a worker writing to its own
// folder while the API reads S3 (or two buckets) loses artifacts silently. The first process to
// start records where artifacts go in `server_settings`; every later one compares and refuses to
// start on a mismatch. ARTIFACT_STORAGE_REPLACE=true records this process's storage instead (a
// deliberate move; the other processes then need the same settings to start).
import type pg from 'pg';
import type { StorageConfig } from '../config/index.ts';

export const STORAGE_SETTING = 'artifact_storage';

/** What must agree between processes. Local folders are not compared: each host names its own. */
export type StorageIdentity =
  | { type: 'local' }
  | { type: 's3'; endpoint: string; buckets: { artifacts: string; screenshots: string; uploads: string } };

export function storageIdentity(storage: StorageConfig): StorageIdentity {
  if (storage.type === 'local' || !storage.s3) return { type: 'local' };
  const { endpoint, buckets } = storage.s3;
  return { type: 's3', endpoint: endpoint ? new URL(endpoint).origin : 'aws', buckets: { artifacts: buckets.artifacts, screenshots: buckets.screenshots, uploads: buckets.uploads } };
}

export function describeStorage(id: StorageIdentity): string {
  if (id.type === 'local') return 'local folder storage (SKYVERN_STORAGE_TYPE=local)';
  const where = id.endpoint === 'aws' ? 'AWS' : id.endpoint;
  const { artifacts, screenshots, uploads } = id.buckets;
  return `S3 at ${where}, buckets artifacts=${artifacts} screenshots=${screenshots} uploads=${uploads}`;
}

const same = (a: StorageIdentity, b: StorageIdentity) => JSON.stringify(a) === JSON.stringify(b);

/** Records this process's storage if none is, or throws if a different one is recorded. */
export async function checkStorageIdentity(pool: pg.Pool, storage: StorageConfig, log: (msg: string) => void = () => {}): Promise<void> {
  const mine = storageIdentity(storage);
  const value = JSON.stringify(mine);
  if (storage.replaceRecorded) {
    const before = (await pool.query<{ value: string }>('select value from server_settings where key = $1', [STORAGE_SETTING])).rows[0]?.value;
    await pool.query('insert into server_settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value', [STORAGE_SETTING, value]);
    if (before !== value) log(`ARTIFACT_STORAGE_REPLACE: artifacts now go to ${describeStorage(mine)}${before ? ` (was ${describeStorage(JSON.parse(before))})` : ''}; start every other process with the same storage settings`);
    return;
  }
  let { rows } = await pool.query<{ value: string }>('select value from server_settings where key = $1', [STORAGE_SETTING]);
  if (!rows[0]) {
    await refuseIfRowsSayOtherwise(pool, mine);
    // Processes starting together race here: one insert wins and the others compare with it.
    await pool.query('insert into server_settings (key, value) values ($1, $2) on conflict (key) do nothing', [STORAGE_SETTING, value]);
    ({ rows } = await pool.query<{ value: string }>('select value from server_settings where key = $1', [STORAGE_SETTING]));
  }
  const recorded = JSON.parse(rows[0]!.value) as StorageIdentity;
  if (!same(recorded, mine)) throw mismatch(recorded, mine, 'the database records');
}

/**
 * A deployment from before this check has artifact rows but no record: the rows tell which kind of
 * store the other processes write to (checked once, when nothing is recorded yet).
 */
async function refuseIfRowsSayOtherwise(pool: pg.Pool, mine: StorageIdentity): Promise<void> {
  const { rows } = await pool.query<{ uri: string }>('select uri from artifacts limit 1');
  const uri = rows[0]?.uri;
  if (!uri) return;
  const theirs = uri.startsWith('s3:') ? 's3' : uri.startsWith('file:') ? 'local' : undefined;
  if (theirs && theirs !== mine.type) {
    throw new Error(
      `Refusing to start: this process is configured for ${describeStorage(mine)}, but existing artifacts are stored at ${theirs === 's3' ? 'S3' : 'a local folder'} (${uri.split('/').slice(0, 3).join('/')}/…). ` +
      'Give this process the same SKYVERN_STORAGE_TYPE / AWS_* settings as the others, or, to move new artifacts deliberately, start it once with ARTIFACT_STORAGE_REPLACE=true (docs/storage.md).',
    );
  }
}

function mismatch(recorded: StorageIdentity, mine: StorageIdentity, source: string): Error {
  return new Error(
    `Refusing to start: this process is configured for ${describeStorage(mine)}, but ${source} that this deployment's processes use ${describeStorage(recorded)}. ` +
    'Processes storing artifacts in different places lose each other\'s files. Give this process the same SKYVERN_STORAGE_TYPE / AWS_* settings as the others, ' +
    'or, to move new artifacts deliberately, start it once with ARTIFACT_STORAGE_REPLACE=true (docs/storage.md).',
  );
}
