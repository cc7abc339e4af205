import { createReadStream } from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import { access, copyFile, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Readable } from 'node:stream';
import type { ArtifactStore } from './store.ts';

export function localArtifactStore(root: string): ArtifactStore {
  const resolve = (key: string) => {
    const full = path.resolve(root, key);
    // Keys are built by us, but never let one escape the root.
    if (!full.startsWith(path.resolve(root) + path.sep)) throw new Error(`artifact key escapes the store: ${key}`);
    return full;
  };
  const toPath = (uri: string) => fileURLToPath(uri);
  return {
    async put(key, data) {
      const full = resolve(key);
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, data);
      return { uri: pathToFileURL(full).href, size: typeof data === 'string' ? Buffer.byteLength(data) : data.length };
    },
    async putFile(key, sourcePath) {
      const full = resolve(key);
      await mkdir(path.dirname(full), { recursive: true });
      await rename(sourcePath, full).catch(() => copyFile(sourcePath, full));
      return { uri: pathToFileURL(full).href, size: (await stat(full)).size };
    },
    async stat(uri) {
      try { return (await stat(toPath(uri))).size; } catch { return undefined; }
    },
    async read(uri, range): Promise<Readable> {
      return createReadStream(toPath(uri), range ? { start: range.start, end: range.end } : {});
    },
    /** The folder exists (created like put would) and this process may write into it. */
    async ping() {
      await mkdir(root, { recursive: true });
      await access(root, fsConstants.W_OK);
    },
  };
}
