// Files of a cached script: path rules, limits, content hashes and the file tree Skyvern's
// `CreateScriptResponse` shows. Pure (no I/O): the HTTP upload path and the engine that
// generates scripts both build their stored files here, so both agree on hashes and paths.
import { createHash } from 'node:crypto';
import type { FileNode } from '../contracts/scripts.ts';
import { toWireTimeRequired } from './time.ts';
import { validationError } from './errors.ts';

/** One file of a script revision, as stored in `script_revisions.files`. */
export interface StoredScriptFile {
  path: string;
  content_base64: string;
  mime_type: string;
  size: number;
  /** `sha256:<hex>`, Skyvern's format. */
  content_hash: string;
  /** ISO 8601 (UTC); the file tree sends it in the wire's naive form. */
  created_at: string;
}

/** What the engine records per block label in `script_revisions.blocks` (opaque to the API apart from the labels). */
export interface ScriptBlockRef {
  path: string;
  run_id: string | null;
  generated_at: string;
  ai_fallback_healed?: boolean;
}

/** `runs.script_run`: which script a run uses; the engine fills the revision once it picks one. */
export interface ScriptRunRef {
  script_id: string;
  script_revision_id: string | null;
  ai_fallback_triggered: boolean;
}

export const SCRIPT_LIMITS = {
  maxFileBytes: 1024 * 1024,
  maxFiles: 200,
  maxTotalBytes: 5 * 1024 * 1024,
  maxPathLength: 255,
} as const;

/** Files the code runner executes. */
export const CODE_EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs'] as const;
/** Files scripts may carry as data. */
export const DATA_EXTENSIONS = ['.json', '.md', '.txt'] as const;

/** Code this server cannot run, named so the 422 says what the file is. */
const FOREIGN_LANGUAGES: Record<string, string> = {
  '.py': 'Python', '.pyw': 'Python', '.pyc': 'compiled Python', '.rb': 'Ruby', '.go': 'Go', '.java': 'Java',
  '.kt': 'Kotlin', '.scala': 'Scala', '.sh': 'a shell script', '.bash': 'a shell script', '.zsh': 'a shell script',
  '.ps1': 'PowerShell', '.bat': 'a batch file', '.cmd': 'a batch file', '.php': 'PHP', '.cs': 'C#', '.rs': 'Rust',
  '.c': 'C', '.h': 'C', '.cpp': 'C++', '.cc': 'C++', '.hpp': 'C++', '.swift': 'Swift', '.pl': 'Perl', '.lua': 'Lua',
  '.r': 'R', '.dart': 'Dart', '.ex': 'Elixir', '.exs': 'Elixir', '.erl': 'Erlang', '.hs': 'Haskell', '.clj': 'Clojure',
  '.tsx': 'TSX (JSX is not supported)', '.jsx': 'JSX (not supported)', '.wasm': 'WebAssembly', '.so': 'a native library',
  '.dll': 'a native library', '.dylib': 'a native library', '.exe': 'a native executable',
};

const MIME_BY_EXTENSION: Record<string, string> = {
  '.ts': 'text/typescript', '.js': 'text/javascript', '.mjs': 'text/javascript', '.cjs': 'text/javascript',
  '.json': 'application/json', '.md': 'text/markdown', '.txt': 'text/plain',
};

export type ScriptFileKind = 'code' | 'data';

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/**
 * What the file is to us: code (compile-checked, executed), data, or refused with a reason a
 * user can act on (a Python script uploaded from a Skyvern tutorial gets told why).
 */
export function classifyScriptFile(path: string): { kind: ScriptFileKind } | { refused: string } {
  const ext = extensionOf(path);
  if ((CODE_EXTENSIONS as readonly string[]).includes(ext)) return { kind: 'code' };
  if ((DATA_EXTENSIONS as readonly string[]).includes(ext)) return { kind: 'data' };
  const language = FOREIGN_LANGUAGES[ext];
  if (language) return { refused: `Skyport runs TypeScript/JavaScript scripts; ${path} is ${language}` };
  return { refused: `${path}: only ${[...CODE_EXTENSIONS, ...DATA_EXTENSIONS].join(' ')} files are accepted in a script` };
}

export const defaultMimeType = (path: string): string => MIME_BY_EXTENSION[extensionOf(path)] ?? 'application/octet-stream';

/**
 * Percent-decodes like Skyvern does before checking (repeatedly, bounded), so `%2e%2e/x.ts`
 * cannot slip a `..` past the segment check; an undecodable sequence is left as written.
 */
function decodePath(path: string): string {
  let current = path;
  for (let i = 0; i < 16; i++) {
    let next: string;
    try { next = decodeURIComponent(current); } catch { return current; }
    if (next === current) return current;
    current = next;
  }
  return current;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * A script file path as stored: relative, `/`-separated, no empty/`.`/`..` segments, no
 * backslashes, drive letters or control characters, at most 255 characters. Throws a 422 at `loc`.
 */
export function normalizeScriptPath(path: string, loc: (string | number)[] = ['path']): string {
  const fail = (why: string) => validationError(loc, `Script file path ${JSON.stringify(path)} is invalid: ${why}`);
  if (typeof path !== 'string' || path.length === 0) throw fail('it is empty');
  const decoded = decodePath(path);
  if (CONTROL_CHARS.test(decoded)) throw fail('it contains a control or NUL character');
  if (decoded.includes('\\')) throw fail('use forward slashes');
  if (decoded.startsWith('/') || /^[A-Za-z]:/.test(decoded)) throw fail('it must be relative to the script root');
  const segments = decoded.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw fail("it must not contain empty, '.' or '..' segments");
  if (decoded.length > SCRIPT_LIMITS.maxPathLength) throw fail(`it is longer than ${SCRIPT_LIMITS.maxPathLength} characters`);
  return decoded;
}

export const contentHash = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A file ready for `scriptsRepo.addRevision` (the path is taken as given: normalise it first). */
export function toStoredFile(path: string, bytes: Buffer, mimeType?: string | null, createdAt = new Date()): StoredScriptFile {
  return {
    path,
    content_base64: bytes.toString('base64'),
    mime_type: mimeType || defaultMimeType(path),
    size: bytes.length,
    content_hash: contentHash(bytes),
    created_at: createdAt.toISOString(),
  };
}

export const storedFileBytes = (file: StoredScriptFile): Buffer => Buffer.from(file.content_base64, 'base64');

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Strict base64 (Buffer.from skips characters outside the alphabet and forgives missing padding):
 * the alphabet and padding checked by pattern, then a round trip so non-canonical trailing bits fail too.
 */
export function decodeStrictBase64(text: string): Buffer | undefined {
  if (!BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** The tree of a file list, as Skyvern nests it: directories by path segment, files as leaves. */
export function buildFileTree(files: readonly StoredScriptFile[]): Record<string, FileNode> {
  const root: Record<string, FileNode> = {};
  for (const file of files) {
    const parts = file.path.split('/');
    const createdAt = toWireTimeRequired(new Date(file.created_at));
    let level = root;
    for (const dir of parts.slice(0, -1)) {
      const existing = level[dir];
      // A name used both as a file and a directory: the directory wins, as in Skyvern (uploads reject it earlier).
      if (!existing || existing.type !== 'directory') {
        level[dir] = { type: 'directory', size: null, mime_type: null, content_hash: null, created_at: existing?.created_at ?? createdAt, children: {} };
      }
      level = level[dir].children as Record<string, FileNode>;
    }
    const name = parts[parts.length - 1];
    if (level[name]?.type === 'directory') continue;
    level[name] = { type: 'file', size: file.size, mime_type: file.mime_type, content_hash: file.content_hash, created_at: createdAt, children: null };
  }
  return root;
}
