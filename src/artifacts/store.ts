import type { Readable } from 'node:stream';

/** Where artifact bytes live. Local folder now; an S3 implementation fits the same shape. */
export interface ArtifactStore {
  /** Saves bytes under `key` (a relative path) and returns the URI recorded on the artifact row. */
  put(key: string, data: Buffer | string): Promise<{ uri: string; size: number }>;
  /** Moves or copies an existing local file in (videos and downloads are written by Chromium first). */
  putFile(key: string, sourcePath: string): Promise<{ uri: string; size: number }>;
  /** Size in bytes, or undefined when the URI has no content. */
  stat(uri: string): Promise<number | undefined>;
  read(uri: string, range?: { start: number; end: number }): Readable;
}
