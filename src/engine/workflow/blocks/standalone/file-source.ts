// Reads the files blocks point at (file_url_parser's file_url, send_email's attachments,
// http_request's multipart files): http(s) URLs, or local paths inside the run's own folders.
// Local access is confined to those folders so a workflow cannot read the server's disk.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BlockRunContext } from '../block-handler.ts';
import { raceAbort } from './results.ts';
import { outboundFetch } from '../../../../net/outbound.ts';

/** Skyvern's `WORKFLOW_DOWNLOAD_DIRECTORY_PARAMETER_KEY`: a bare reference to the run's downloads. */
export const DOWNLOAD_DIRECTORY_KEY = 'SKYVERN_DOWNLOAD_DIRECTORY';

/** Files larger than this are refused (Skyvern's MAX_HTTP_DOWNLOAD_FILE_SIZE is of this order). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface LoadedFile {
  name: string;
  data: Buffer;
  /** From the HTTP response; null for local files. */
  contentType: string | null;
  /** The URL or absolute path it came from. */
  source: string;
}

export interface FileSourceOptions {
  signal: AbortSignal;
  timeoutMs: number;
  /** Folders local paths may be read from; called only when a local path is used. */
  localRoots: () => Promise<string[]>;
  headers?: Record<string, string>;
  maxBytes?: number;
  /** Names the block in outbound-policy refusals (`file_url_parser refused: …`). */
  outboundLabel?: string;
}

/** The options for a block: local files only from the run's downloads folder (opens the browser lazily). */
export function fileSourceOptions(ctx: BlockRunContext, timeoutMs = ctx.settings.httpRequestDefaultTimeoutMs): FileSourceOptions {
  return {
    signal: ctx.signal,
    timeoutMs,
    localRoots: async () => [(await raceAbort(ctx.browser(), ctx.signal)).downloadsDir],
    outboundLabel: (ctx.block as { block_type?: string }).block_type,
  };
}

/** A local reference that does not exist (callers may skip it rather than fail). */
export class LocalFileNotFoundError extends Error {}

export const isHttpUrl = (ref: string): boolean => /^https?:\/\//i.test(ref.trim());

export async function loadFile(ref: string, opts: FileSourceOptions): Promise<LoadedFile> {
  const trimmed = ref.trim();
  if (isHttpUrl(trimmed)) return fetchFile(trimmed, opts);
  const localPath = await resolveLocalPath(trimmed, opts);
  const info = await stat(localPath);
  if (info.isDirectory()) throw new Error(`Path is a directory: ${trimmed}`);
  if (info.size > (opts.maxBytes ?? MAX_FILE_BYTES)) throw new Error(`File is larger than ${(opts.maxBytes ?? MAX_FILE_BYTES) / 1048576} MB: ${trimmed}`);
  return { name: path.basename(localPath), data: await readFile(localPath), contentType: null, source: localPath };
}

/** Absolute path of a local reference (path, file:// URL or the download-directory key), checked against the allowed roots. */
export async function resolveLocalPath(ref: string, opts: Pick<FileSourceOptions, 'localRoots'>): Promise<string> {
  const roots = await opts.localRoots();
  if (ref === DOWNLOAD_DIRECTORY_KEY) return roots[0]!;
  let candidate: string;
  if (/^file:\/\//i.test(ref)) candidate = fileURLToPath(ref);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) throw new Error(`Unsupported file location (only http(s) URLs and local run files): ${ref}`);
  else if (path.isAbsolute(ref)) candidate = ref;
  else candidate = path.join(roots[0]!, ref); // a bare file name means "in the downloads folder"
  // realpath resolves symlinks and `..`, so the containment check cannot be walked around.
  const real = await realpath(candidate).catch(() => {
    throw new LocalFileNotFoundError(`File not found: ${ref}`);
  });
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => path.resolve(root));
    if (real === realRoot || real.startsWith(realRoot + path.sep)) return real;
  }
  throw new Error(`Local file ${ref} is outside the run's download directory`);
}

/** Files directly inside a local folder (sub-folders skipped), sorted by name. */
export async function listFolder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(dir, e.name)).sort();
}

async function fetchFile(url: string, opts: FileSourceOptions): Promise<LoadedFile> {
  const maxBytes = opts.maxBytes ?? MAX_FILE_BYTES;
  const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]);
  const response = await outboundFetch(url, { headers: opts.headers, signal }, { label: opts.outboundLabel ?? 'file download' });
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`HTTP ${response.status} fetching ${url}`);
  }
  const data = await readBodyCapped(response, maxBytes, url);
  return {
    name: fileNameFrom(response.headers.get('content-disposition'), url),
    data,
    contentType: response.headers.get('content-type'),
    source: url,
  };
}

/** The name a download should get: Content-Disposition's filename, else the URL's last segment. */
export function fileNameFrom(disposition: string | null, url: string): string {
  const star = disposition ? /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition) : null;
  if (star) return path.basename(decodeURIComponent(star[1]!.trim().replace(/^"|"$/g, '')));
  const plain = disposition ? /filename\s*=\s*"?([^";]+)"?/i.exec(disposition) : null;
  if (plain) return path.basename(plain[1]!.trim());
  const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  return last || 'download';
}

/** The whole response body, refusing (and cancelling) bodies over `maxBytes`. */
export async function readBodyCapped(response: Response, maxBytes: number, what: string): Promise<Buffer> {
  const tooLarge = () => new Error(`Response is larger than ${maxBytes / 1048576} MB: ${what}`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
