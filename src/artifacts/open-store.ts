import { localArtifactStore } from './local-store.ts';
import type { S3StoreOptions } from './s3-store.ts';
import type { ArtifactStore } from './store.ts';

/**
 * The process's artifact store: new artifacts go where the settings say; existing ones are read
 * from wherever their URI points, so `file://` rows written before a move to S3 stay readable on a
 * host that still has the folder.
 */
export async function openArtifactStore(opts: { type: 'local' | 's3'; s3?: S3StoreOptions; localDir: string }): Promise<ArtifactStore & { ping?(): Promise<void>; close(): void }> {
  const local = localArtifactStore(opts.localDir);
  if (opts.type === 'local' || !opts.s3) return { ...local, close() {} };
  // The AWS SDK (~10 MB of modules) loads only in processes that store in S3.
  const { s3ArtifactStore } = await import('./s3-store.ts');
  const s3 = await s3ArtifactStore(opts.s3);
  const by = (uri: string): ArtifactStore => (uri.startsWith('file:') ? local : s3);
  return {
    put: s3.put,
    putFile: s3.putFile,
    stat: (uri) => by(uri).stat(uri),
    read: (uri, range) => by(uri).read(uri, range),
    presignedUrl: (uri, ttl, response) => (uri.startsWith('s3:') ? s3.presignedUrl!(uri, ttl, response) : Promise.resolve(undefined)),
    ping: () => s3.ping(),
    close: () => s3.close(),
  };
}
