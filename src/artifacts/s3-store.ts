import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { ArtifactStore, PutOptions } from './store.ts';
import { parseS3Uri } from './uri.ts';

export interface S3StoreOptions {
  region: string;
  /** An S3-compatible server (MinIO, Ceph, R2…); unset = AWS. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Unset = the SDK's default chain (profile, web identity, instance role…). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Screenshots and downloads have their own buckets in Skyvern; both default to `artifacts`. */
  buckets: { artifacts: string; screenshots: string; uploads: string };
}

export interface S3ArtifactStore extends ArtifactStore {
  /** Readiness: resolves when every bucket answers, rejects naming the one that does not. */
  ping(): Promise<void>;
  close(): void;
}

// S3's smallest part: a 10 MB video goes up as 2 parts, 4 at a time at most (≤ 20 MiB buffered).
const PART_SIZE = 5 * 1024 * 1024;

export async function s3ArtifactStore(opts: S3StoreOptions): Promise<S3ArtifactStore> {
  // Loaded only when S3 is configured: the SDK adds about half a second to a process's start.
  const [{ GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client }, { Upload }, { getSignedUrl }] = await Promise.all([
    import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage'), import('@aws-sdk/s3-request-presigner'),
  ]);
  const client = new S3Client({
    region: opts.region,
    endpoint: opts.endpoint,
    forcePathStyle: opts.forcePathStyle,
    credentials: opts.credentials,
    // The SDK's default CRC trailers (aws-chunked bodies) are not understood by many S3-compatible
    // servers; AWS itself still gets Content-MD5/SHA-256 where an operation requires a checksum.
    ...(opts.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
  });
  const bucketFor = (o?: PutOptions) => o?.artifactType?.startsWith('screenshot') ? opts.buckets.screenshots
    : o?.artifactType === 'download' ? opts.buckets.uploads : opts.buckets.artifacts;
  const locate = (uri: string) => {
    const loc = parseS3Uri(uri);
    if (!loc) throw new Error(`not an s3:// artifact URI: ${uri}`);
    return { Bucket: loc.bucket, Key: loc.key };
  };

  return {
    async put(key, data, o) {
      const Bucket = bucketFor(o);
      // One PUT: S3 makes the object visible only once all of it arrived.
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: data }));
      return { uri: `s3://${Bucket}/${key}`, size: typeof data === 'string' ? Buffer.byteLength(data) : data.length };
    },
    async putFile(key, sourcePath, o) {
      const Bucket = bucketFor(o);
      const { size } = await stat(sourcePath);
      // Large files (videos) go up in parts. Until CompleteMultipartUpload the object does not
      // exist; on any error the upload is aborted so its parts are not left behind (a killed
      // process can't abort: a bucket lifecycle rule clears those, docs/storage.md).
      const upload = new Upload({
        client, params: { Bucket, Key: key, Body: createReadStream(sourcePath), ContentLength: size },
        partSize: PART_SIZE, queueSize: 4, leavePartsOnError: false,
      });
      await upload.done();
      return { uri: `s3://${Bucket}/${key}`, size };
    },
    async stat(uri) {
      try {
        return (await client.send(new HeadObjectCommand(locate(uri)))).ContentLength;
      } catch (err) {
        // Missing is "no content"; anything else (S3 down, access denied) must not look like a 404.
        if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
        throw err;
      }
    },
    async read(uri, range) {
      const res = await client.send(new GetObjectCommand({ ...locate(uri), Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
      return res.Body as Readable;
    },
    async presignedUrl(uri, ttlSeconds, response) {
      return getSignedUrl(client, new GetObjectCommand({
        ...locate(uri), ResponseContentType: response.contentType, ResponseContentDisposition: response.contentDisposition,
      }), { expiresIn: ttlSeconds });
    },
    async ping() {
      const { artifacts, screenshots, uploads } = opts.buckets;
      await Promise.all([...new Set([artifacts, screenshots, uploads])].map(async (Bucket) => {
        try {
          await client.send(new HeadBucketCommand({ Bucket }));
        } catch (err) {
          const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
          throw new Error(`S3 bucket ${Bucket} does not answer: ${e.$metadata?.httpStatusCode ?? ''} ${e.name ?? (err as Error).message}`.replace(/\s+/g, ' '));
        }
      }));
    },
    close() { client.destroy(); },
  };
}
