// send_email's `file_attachments`: each entry is a URL, a run file or folder (all files directly
// inside it), the SKYVERN_DOWNLOAD_DIRECTORY key, or the name of a parameter holding one of those.
// A local file that does not exist is skipped with a warning, as in Skyvern; anything else that
// cannot be read fails the block.
import { stat } from 'node:fs/promises';
import type { BlockRunContext } from '../block-handler.ts';
import {
  DOWNLOAD_DIRECTORY_KEY, fileSourceOptions, isHttpUrl, listFolder, loadFile, LocalFileNotFoundError, resolveLocalPath,
  type LoadedFile,
} from './file-source.ts';
import { readParameter } from './results.ts';

/** Keeps one email from pulling in a whole downloads folder of huge files. */
const MAX_TOTAL_BYTES = 40 * 1024 * 1024;

export async function collectAttachments(ctx: BlockRunContext, refs: string[]): Promise<LoadedFile[]> {
  const options = fileSourceOptions(ctx);
  const files: LoadedFile[] = [];
  for (const rawRef of refs) {
    const ref = resolveReference(ctx, String(rawRef).trim());
    if (!ref) continue;
    if (isHttpUrl(ref)) {
      files.push(await loadFile(ref, options));
      continue;
    }
    let local: string;
    try {
      local = await resolveLocalPath(ref, options);
    } catch (error) {
      if (!(error instanceof LocalFileNotFoundError)) throw error;
      ctx.logger.warn({ attachment: ref }, 'send_email attachment not found; skipped');
      continue;
    }
    const paths = (await stat(local)).isDirectory() ? await listFolder(local) : [local];
    for (const filePath of paths) files.push(await loadFile(filePath, options));
  }
  const total = files.reduce((sum, f) => sum + f.data.length, 0);
  if (total > MAX_TOTAL_BYTES) throw new Error(`Attachments add up to ${Math.round(total / 1048576)} MB; the limit is ${MAX_TOTAL_BYTES / 1048576} MB`);
  return files;
}

/** A bare parameter name stands for its value (Skyvern resolves attachment entries that way). */
function resolveReference(ctx: BlockRunContext, ref: string): string {
  if (!ref || ref === DOWNLOAD_DIRECTORY_KEY || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(ref)) return ref;
  const value = readParameter(ctx, ref);
  return typeof value === 'string' && value.trim() ? value.trim() : ref;
}
