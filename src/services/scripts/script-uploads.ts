// Turning uploaded `ScriptFileCreate`s into stored files. Every problem is reported at the file
// that has it (`loc: ["body","files",i,"path"|"content"]`), all at once; code files are
// compile-checked last, only when everything else is fine (the check is the expensive part).
import type { ScriptFileCreate } from '../../contracts/scripts.ts';
import { ValidationFailed, type ValidationIssue } from '../../domain/errors.ts';
import {
  classifyScriptFile, decodeStrictBase64, extensionOf, normalizeScriptPath, SCRIPT_LIMITS, toStoredFile, type StoredScriptFile,
} from '../../domain/script-files.ts';

/** Compiles a code file without running it (the engine's sandbox, passed in at composition). */
export type ScriptSourceChecker = (source: string, fileName: string) => Promise<{ ok: true } | { ok: false; error: string }>;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const MB = (n: number) => `${n / (1024 * 1024)} MB`;

interface Decoded { index: number; path: string; bytes: Buffer; text: string; mimeType: string | null | undefined; code: boolean }

function decodeOne(file: ScriptFileCreate, index: number, seen: Map<string, number>, issues: ValidationIssue[]): Decoded | undefined {
  const at = (field: 'path' | 'content') => ['body', 'files', index, field];
  const issue = (field: 'path' | 'content', msg: string, type = 'value_error') => { issues.push({ loc: at(field), msg, type }); };
  let path: string;
  try {
    path = normalizeScriptPath(file.path, at('path'));
  } catch (err) {
    if (err instanceof ValidationFailed) { issues.push(...err.issues); return undefined; }
    throw err;
  }
  const kind = classifyScriptFile(path);
  if ('refused' in kind) return void issue('path', kind.refused, 'unsupported_language');
  if (seen.has(path)) return void issue('path', `Duplicate script file path ${path} (also files[${seen.get(path)}])`);
  seen.set(path, index);
  const bytes = (file.encoding ?? 'base64') === 'base64' ? decodeStrictBase64(file.content) : Buffer.from(file.content, 'utf8');
  if (!bytes) return void issue('content', `File ${path} is not valid base64`, 'base64_decode');
  if (bytes.length > SCRIPT_LIMITS.maxFileBytes) return void issue('content', `File ${path} is ${bytes.length} bytes; the limit is ${MB(SCRIPT_LIMITS.maxFileBytes)}`, 'too_long');
  let text: string;
  try { text = utf8.decode(bytes); } catch { return void issue('content', `File ${path} is not UTF-8 text`, 'unicode_decode'); }
  if (extensionOf(path) === '.json') {
    try { JSON.parse(text); } catch (err) { return void issue('content', `File ${path} is not valid JSON: ${(err as Error).message}`, 'json_invalid'); }
  }
  return { index, path, bytes, text, mimeType: file.mime_type, code: kind.kind === 'code' };
}

/** `a/b.ts` and `a` cannot both exist: one would have to be a file and a directory at once. */
export function fileDirectoryClash(paths: readonly string[]): { path: string; dir: string } | undefined {
  const all = new Set(paths);
  for (const path of paths) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (all.has(dir)) return { path, dir };
    }
  }
  return undefined;
}

const clashMessage = (c: { path: string; dir: string }) => `${c.path} puts a file under ${c.dir}, which is also a file`;

function reportClash(decoded: Decoded[], issues: ValidationIssue[]): void {
  const clash = fileDirectoryClash(decoded.map((d) => d.path));
  if (!clash) return;
  const at = decoded.find((d) => d.path === clash.path)!;
  issues.push({ loc: ['body', 'files', at.index, 'path'], msg: clashMessage(clash), type: 'value_error' });
}

/** Checks a revision's whole file set (after a deploy merged it into the previous one): count, total size, clashes. */
export function checkRevisionLimits(files: readonly { path?: string; size: number }[]): void {
  const fail = (msg: string) => new ValidationFailed([{ loc: ['body', 'files'], msg, type: 'too_long' }]);
  if (files.length > SCRIPT_LIMITS.maxFiles) throw fail(`A script has at most ${SCRIPT_LIMITS.maxFiles} files; this one would have ${files.length}`);
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > SCRIPT_LIMITS.maxTotalBytes) throw fail(`A script's files total at most ${MB(SCRIPT_LIMITS.maxTotalBytes)}; these total ${total} bytes`);
  const clash = fileDirectoryClash(files.flatMap((f) => (f.path ? [f.path] : [])));
  if (clash) throw new ValidationFailed([{ loc: ['body', 'files'], msg: clashMessage(clash), type: 'value_error' }]);
}

/** The stored form of an upload, or a 422 listing every file that is wrong. */
export async function prepareUploadedFiles(files: readonly ScriptFileCreate[], check: ScriptSourceChecker, now = new Date()): Promise<StoredScriptFile[]> {
  // Counted before decoding anything: 10,000 files are refused without reading them.
  if (files.length > SCRIPT_LIMITS.maxFiles) checkRevisionLimits(files.map(() => ({ size: 0 })));
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  const decoded = files.map((f, i) => decodeOne(f, i, seen, issues)).filter((d): d is Decoded => d !== undefined);
  reportClash(decoded, issues);
  if (issues.length) throw new ValidationFailed(issues);
  checkRevisionLimits(decoded.map((d) => ({ path: d.path, size: d.bytes.length })));
  for (const d of decoded.filter((x) => x.code)) {
    const result = await check(d.text, d.path);
    if (!result.ok) issues.push({ loc: ['body', 'files', d.index, 'content'], msg: `${d.path} does not compile: ${result.error}`, type: 'syntax_error' });
  }
  if (issues.length) throw new ValidationFailed(issues);
  return decoded.map((d) => toStoredFile(d.path, d.bytes, d.mimeType, now));
}
