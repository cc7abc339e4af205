// Runs one script module (generated or uploaded TypeScript/JavaScript written against Playwright's
// API) in the code block sandbox: the module is transpiled here with esbuild (no bundling, no
// imports), then executed in the sandbox child (code-sandbox-child.cjs, `module` mode) whose page
// facade, locators and `expect` send JSON requests back here (code-page-bridge.ts). Secrets stay
// host-side: the script only ever holds opaque tokens, which become real values right before
// Playwright types them, and real values read back from the page turn into tokens again.
// Trust model: src/engine/workflow/blocks/standalone/README.md ("Code block trust model").
import { SourceMap } from 'node:module';
import { build, transform, type Loader, type Message } from 'esbuild';
import type { Page } from 'playwright-core';
import type { Logger } from '../../log/logger.ts';
import { describeOperation, runPageOperation } from '../workflow/blocks/standalone/code-page-bridge.ts';
import { runSandboxChild, sandboxSleep, type SandboxCall } from '../workflow/blocks/standalone/code-sandbox.ts';

export interface ScriptModuleRequest {
  /** TypeScript or JavaScript source of a module whose default export is an async function taking the context. */
  source: string;
  /** e.g. "blocks/sign_up.ts", used in errors and stack traces; its extension picks the loader. */
  fileName: string;
  /** Exposed as ctx.parameters. */
  parameters: Record<string, unknown>;
  /** name -> opaque token string; the script sees only tokens (ctx.secrets). */
  secrets: Record<string, string>;
  /**
   * Host-side: the real value for a token, substituted in fill/type/pressSequentially/press values
   * and selectOption values right before Playwright gets them; never sent to the child. Called
   * only then (a one-time code may be fetched fresh each time); a throw fails that step. Read-backs
   * (inputValue, textContent, evaluate…, errors, the result) that contain a value handed to the
   * page this way come back with the token instead.
   */
  resolveSecret(token: string): string | undefined | Promise<string | undefined>;
  /** Host-side hook for `ctx.skyport.extract()` (returns JSON data); if absent, calling it throws "extraction is not available here". */
  extract?: () => Promise<unknown>;
  /** The whole script. */
  timeoutMs: number;
  /** Default per locator action/expect (e.g. 5000): a missing element fails fast. */
  stepTimeoutMs: number;
  signal: AbortSignal;
  page: () => Promise<Page>;
  logger: Logger;
  /** Called after every page operation, in order of completion. */
  onStep?: (step: ScriptStep) => void;
}

export interface ScriptStep {
  /** 0-based, in the order the script started its page operations. */
  index: number;
  /** Readable call, e.g. `getByRole('button', { name: 'Create account' }).click()`; typed text shows as its token or "…", never a secret. */
  call: string;
  ok: boolean;
  error?: string;
  ms: number;
}

export type ScriptModuleOutcome =
  | { ok: true; value: unknown; steps: ScriptStep[] }
  | {
    ok: false;
    kind: 'error' | 'timeout' | 'canceled' | 'crashed' | 'invalid';
    error: string;
    steps: ScriptStep[];
    /** The step that failed, when a page operation failed. */
    failedStep?: ScriptStep;
    /** 1-based line in the script's source (syntax errors, refused imports, runtime errors). */
    line?: number;
  };

const MAX_SOURCE_CHARS = 1024 * 1024;
const MAX_STEPS_KEPT = 10_000;
const LOADERS: Record<string, Loader> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.js': 'js', '.mjs': 'js', '.cjs': 'js' };
export const NO_IMPORTS_MESSAGE = 'scripts cannot import modules; only `import type` is allowed';

type Compiled =
  | { ok: true; code: string; map?: string }
  | { ok: false; error: string; line?: number };

/** Compile check used when files are uploaded: TS->JS with esbuild, must have a default export, no runtime imports. */
export async function checkScriptSource(source: string, fileName: string): Promise<{ ok: true } | { ok: false; error: string }> {
  const compiled = await compileScript(source, fileName);
  return compiled.ok ? { ok: true } : { ok: false, error: compiled.error };
}

export async function runScriptModule(req: ScriptModuleRequest): Promise<ScriptModuleOutcome> {
  const steps: ScriptStep[] = [];
  if (req.signal.aborted) return { ok: false, kind: 'canceled', error: 'canceled before start', steps };
  const compiled = await compileScript(req.source, req.fileName);
  if (!compiled.ok) return { ok: false, kind: 'invalid', error: compiled.error, steps, ...(compiled.line ? { line: compiled.line } : {}) };

  const secrets = secretCodec(req.secrets ?? {}, req.resolveSecret);
  const stop = new AbortController(); // ends assertion polling of calls still running once the script is over
  const signal = AbortSignal.any([req.signal, stop.signal]);
  let nextIndex = 0;
  let over = false;
  const record = (step: ScriptStep) => {
    if (over) return;
    if (steps.length < MAX_STEPS_KEPT) steps.push(step);
    try { req.onStep?.(step); } catch (error) { req.logger.warn({ err: error }, 'script onStep hook failed'); }
  };

  const handleCall = async (call: SandboxCall): Promise<unknown> => {
    if (call.op === 'sleep') {
      await sandboxSleep(call.args[0], signal);
      return null;
    }
    const index = nextIndex++;
    const started = Date.now();
    const isExtract = call.op === 'skyport.extract';
    const text = isExtract ? 'skyport.extract()' : describeOperation(call, secrets.isToken);
    try {
      let result: unknown;
      if (isExtract) {
        if (!req.extract) throw new Error('extraction is not available here');
        result = await req.extract();
      } else {
        result = await runPageOperation(await req.page(), call, { actionTimeoutMs: req.stepTimeoutMs, signal, reveal: secrets.reveal });
      }
      result = secrets.mask(result ?? null);
      record({ index, call: text, ok: true, ms: Date.now() - started });
      return result;
    } catch (error) {
      const message = secrets.mask(error instanceof Error ? error.message : String(error));
      record({ index, call: text, ok: false, error: message.slice(0, 1000), ms: Date.now() - started });
      throw Object.assign(new Error(message), { step: index });
    }
  };

  const outcome = await runSandboxChild({
    start: { mode: 'module', code: compiled.code, fileName: req.fileName, parameters: req.parameters ?? {}, secrets: req.secrets ?? {} },
    label: 'script',
    timeoutMs: req.timeoutMs,
    signal: req.signal,
    logger: req.logger,
    handleCall,
  });
  over = true;
  stop.abort();
  steps.sort((a, b) => a.index - b.index);
  if (outcome.ok) return { ok: true, value: secrets.mask(outcome.value), steps };
  const failedStep = outcome.step !== undefined ? steps.find((s) => s.index === outcome.step) : undefined;
  const line = outcome.kind === 'error' || outcome.kind === 'invalid' ? scriptLine(outcome.stack, req.fileName, compiled.map) : undefined;
  return {
    ok: false,
    kind: outcome.kind,
    error: secrets.mask(outcome.error),
    steps,
    ...(failedStep ? { failedStep } : {}),
    ...(line ? { line } : {}),
  };
}

// ---- compiling ----

async function compileScript(source: string, fileName: string): Promise<Compiled> {
  if (typeof source !== 'string') return { ok: false, error: `${fileName}: the script has no source text` };
  if (source.length > MAX_SOURCE_CHARS) return { ok: false, error: `${fileName}: the script is larger than ${MAX_SOURCE_CHARS / 1024} KB` };
  const extension = /\.[^./\\]+$/.exec(fileName)?.[0]?.toLowerCase() ?? '';
  const loader = LOADERS[extension];
  if (!loader) return { ok: false, error: `${fileName}: scripts must be .ts or .js files` };

  let code: string;
  let map: string | undefined;
  try {
    const out = await transform(source, {
      loader, format: 'cjs', target: 'node20', sourcefile: fileName, sourcemap: 'external', sourcesContent: false,
      tsconfigRaw: {}, logLevel: 'silent',
    });
    code = out.code;
    map = out.map || undefined;
  } catch (error) {
    return esbuildFailure(error, fileName);
  }

  // A second pass only to learn what the module imports and exports: every import is intercepted
  // (nothing is resolved or read from disk) and recorded. `import type` is gone by then.
  const imports: string[] = [];
  let exported: string[] = [];
  try {
    const analysis = await build({
      stdin: { contents: source, loader, sourcefile: fileName },
      bundle: true, write: false, format: 'esm', platform: 'neutral', metafile: true, logLevel: 'silent', tsconfigRaw: {},
      plugins: [{
        name: 'skyport-no-imports',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            imports.push(args.path);
            return { path: args.path, external: true };
          });
        },
      }],
    });
    exported = Object.values(analysis.metafile?.outputs ?? {}).flatMap((o) => o.exports ?? []);
  } catch (error) {
    return esbuildFailure(error, fileName);
  }
  if (imports.length > 0) {
    const line = lineOf(source, imports[0]!);
    const names = [...new Set(imports)].slice(0, 5).map((p) => JSON.stringify(p)).join(', ');
    return { ok: false, error: `${fileName}${line ? `:${line}` : ''}: ${NO_IMPORTS_MESSAGE} (found ${names})`, ...(line ? { line } : {}) };
  }
  if (!exported.includes('default')) {
    return { ok: false, error: `${fileName}: the module must have a default export: export default async function (ctx) { … }` };
  }
  return { ok: true, code, ...(map ? { map } : {}) };
}

function esbuildFailure(error: unknown, fileName: string): Compiled {
  const first = (error as { errors?: Message[] })?.errors?.[0];
  if (!first) return { ok: false, error: `${fileName}: ${error instanceof Error ? error.message : String(error)}` };
  const loc = first.location;
  return {
    ok: false,
    error: `SyntaxError: ${fileName}${loc ? `:${loc.line}:${loc.column + 1}` : ''}: ${first.text}`,
    ...(loc ? { line: loc.line } : {}),
  };
}

/** The first line that names `specifier` in quotes (for a refused import). */
function lineOf(source: string, specifier: string): number | undefined {
  const lines = source.split('\n');
  const i = lines.findIndex((l) => l.includes(`'${specifier}'`) || l.includes(`"${specifier}"`) || l.includes(`\`${specifier}\``));
  return i >= 0 ? i + 1 : undefined;
}

/** Line in the original source of the first stack frame in the script (through esbuild's source map). */
function scriptLine(stack: string | undefined, fileName: string, map: string | undefined): number | undefined {
  if (!stack) return undefined;
  const marker = `${fileName}:`;
  for (const frame of stack.split('\n').slice(1)) {
    const at = frame.lastIndexOf(marker);
    if (at < 0) continue;
    const m = /^(\d+):(\d+)/.exec(frame.slice(at + marker.length));
    if (!m) continue;
    const line = Number(m[1]);
    const column = Number(m[2]);
    if (!map) return line;
    try {
      const entry = new SourceMap(JSON.parse(map)).findEntry(line - 1, column - 1);
      if ('originalLine' in entry && typeof entry.originalLine === 'number') return entry.originalLine + 1;
    } catch {
      return undefined;
    }
    return undefined;
  }
  return undefined;
}

// ---- secrets ----

interface SecretCodec {
  isToken(text: string): boolean;
  /** Tokens -> real values (only for what Playwright types or selects). A resolver error fails the step. */
  reveal(text: string): Promise<string>;
  /** Real values handed to the page so far -> their tokens, in every string of a JSON value (results, errors). */
  mask<T>(value: T): T;
}

/** Shorter values would mask ordinary text (the agent's secret vault draws the same line). */
const MIN_MASKED_CHARS = 3;

function secretCodec(secrets: Record<string, string>, resolveSecret: ScriptModuleRequest['resolveSecret']): SecretCodec {
  const tokens = [...new Set(Object.values(secrets).filter((t): t is string => typeof t === 'string' && t.length > 0))]
    .sort((a, b) => b.length - a.length);
  const tokenSet = new Set(tokens);
  // real value -> token, for every value handed to Playwright (kept, so a one-time code that has
  // changed since is still masked). Secrets are resolved only when typed, never ahead: resolving
  // can be costly (a one-time code fetched fresh).
  const revealed = new Map<string, string>();
  let pairs: Array<[real: string, token: string]> = [];
  const maskText = (text: string) => {
    let out = text;
    for (const [real, token] of pairs) if (out.includes(real)) out = out.split(real).join(token);
    return out;
  };
  const maskDeep = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return maskText(value);
    if (!value || typeof value !== 'object' || depth > 100) return value;
    if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[maskText(k)] = maskDeep(v, depth + 1);
    return out;
  };
  return {
    isToken: (text) => tokenSet.has(text),
    async reveal(text) {
      let out = text;
      for (const token of tokens) {
        if (!out.includes(token)) continue;
        const real = await resolveSecret(token);
        if (typeof real !== 'string') throw new Error(`secret ${token} has no value`);
        if (real.length >= MIN_MASKED_CHARS && !revealed.has(real)) {
          revealed.set(real, token);
          pairs = [...revealed].sort((a, b) => b[0].length - a[0].length);
        }
        out = out.split(token).join(real);
      }
      return out;
    },
    mask<T>(value: T): T {
      return pairs.length === 0 ? value : (maskDeep(value, 0) as T);
    },
  };
}
