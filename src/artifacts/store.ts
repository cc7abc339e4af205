import type { Readable } from 'node:stream';

/** What a stored file is, so a store can place it (S3 keeps screenshots and downloads in their own buckets). */
export interface PutOptions { artifactType?: string }

/** Where artifact bytes live: a local folder (`file://` URIs) or S3 (`s3://bucket/key`). */
export interface ArtifactStore {
  /** Saves bytes under `key` (a relative path) and returns the URI recorded on the artifact row. */
  put(key: string, data: Buffer | string, opts?: PutOptions): Promise<{ uri: string; size: number }>;
  /**
   * Moves or copies an existing local file in (videos and downloads are written by Chromium first).
   * Resolves only once the content is complete where it is kept: callers record the row after it.
   */
  putFile(key: string, sourcePath: string, opts?: PutOptions): Promise<{ uri: string; size: number }>;
  /** Size in bytes, or undefined when the URI has no content. */
  stat(uri: string): Promise<number | undefined>;
  /** The content, or an inclusive byte range of it (videos are served with Range). */
  read(uri: string, range?: { start: number; end: number }): Promise<Readable>;
  /** A URL that fetches the content directly from the store until `ttlSeconds` pass; absent where the store has none. */
  presignedUrl?(uri: string, ttlSeconds: number, response: { contentType: string; contentDisposition: string }): Promise<string | undefined>;
  /** Readiness (`GET /health/ready`): resolves when the store can take new content, rejects saying why not. */
  ping?(): Promise<void>;
}
