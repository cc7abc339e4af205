import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `s3://bucket/key` as recorded on artifact rows (Skyvern's form: the key is not percent-encoded). */
export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  return m ? { bucket: m[1]!, key: m[2]! } : undefined;
}

/** The last path segment of a stored artifact's URI, whatever the store. */
export function storedFileName(uri: string): string {
  const s3 = parseS3Uri(uri);
  if (s3) return path.posix.basename(s3.key);
  if (uri.startsWith('file:')) return path.basename(fileURLToPath(uri));
  return path.posix.basename(new URL(uri).pathname);
}
