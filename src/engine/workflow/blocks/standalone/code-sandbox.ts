// Host side of the code sandbox: one child process per execution, killed on timeout or cancel.
// A child rather than a worker thread because a worker that exhausts its heap can abort the whole
// server process, and because a child can run under Node's permission model. The child asks for
// page operations by name; they run here against the real page (code-page-bridge.ts).
// Two start modes share the one child script: `block` (a code block's JavaScript body, with
// globals) and `module` (a script module whose default export gets a context — see
// src/engine/scripts/script-sandbox.ts, which transpiles and drives it).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { Logger } from '../../../../log/logger.ts';
import { runPageOperation } from './code-page-bridge.ts';

export interface SandboxRequest {
  code: string;
  /** Exposed to the code as globals (when the name is free) and as `parameters`. */
  parameters: Record<string, unknown>;
  timeoutMs: number;
  signal: AbortSignal;
  /** Called on the first page operation, so code that never touches the page opens no browser. */
  page: () => Promise<Page>;
  logger: Logger;
}

export type SandboxOutcome =
  | { ok: true; value: unknown }
  | { ok: false; kind: 'error' | 'timeout' | 'canceled' | 'crashed'; error: string };

/** The start message of a child: what to run and how. */
export type SandboxStart =
  | { mode: 'block'; code: string; parameters: Record<string, unknown> }
  | {
    mode: 'module';
    /** CommonJS JavaScript (already transpiled); run with a `module`/`exports` pair made in the context. */
    code: string;
    /** Shown in stack traces and errors. */
    fileName: string;
    parameters: Record<string, unknown>;
    /** name -> token: all the script ever sees of its secrets. */
    secrets: Record<string, string>;
  };

/** A call from the child: `op` plus the rest of its JSON payload (args, chain). */
export interface SandboxCall { op: string; args: unknown[]; chain?: unknown }

export interface SandboxChildRequest {
  start: SandboxStart;
  /** Used in messages: "code block", "script". */
  label: string;
  timeoutMs: number;
  signal: AbortSignal;
  logger: Logger;
  /**
   * Answers one call (`sleep`, page operations…). The result must be JSON data. A thrown error
   * goes back to the sandboxed code as an Error with the same message; a numeric `step` property
   * on it travels along, so the outcome can say which step the code failed on.
   */
  handleCall(call: SandboxCall): Promise<unknown>;
}

export type SandboxChildOutcome =
  | { ok: true; value: unknown }
  | {
    ok: false;
    kind: 'error' | 'timeout' | 'canceled' | 'crashed' | 'invalid';
    error: string;
    /** The error's stack as the sandbox saw it (file names and lines of the sandboxed code). */
    stack?: string;
    /** `step` of the failed call the error came from, when it came from one. */
    step?: number;
  };

const CHILD_SCRIPT = fileURLToPath(new URL('./code-sandbox-child.cjs', import.meta.url));
const HEAP_LIMIT_MB = 128;
// Node 20 knows the permission model as --experimental-permission; newer Nodes only as --permission.
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
const CHILD_FLAGS = [
  // The permission model: no file system except reading the script itself, no child processes,
  // no worker threads, no native addons. (Network is not covered by it in Node 20.)
  PERMISSION_FLAG,
  `--allow-fs-read=${CHILD_SCRIPT}`,
  `--max-old-space-size=${HEAP_LIMIT_MB}`,
  '--max-semi-space-size=16',
  '--disallow-code-generation-from-strings',
  '--no-warnings',
];
const MAX_MESSAGE_CHARS = 10 * 1024 * 1024;
const MAX_LOG_LINES = 200;
const MAX_SLEEP_MS = 60_000;
/** Calls answered at the same time; more are refused (a loop firing thousands of un-awaited clicks). */
const MAX_CALLS_IN_FLIGHT = 64;

/** A code block: plain JavaScript body with globals (see README.md, "Code block trust model"). */
export async function runInSandbox(request: SandboxRequest): Promise<SandboxOutcome> {
  const outcome = await runSandboxChild({
    start: { mode: 'block', code: request.code, parameters: request.parameters ?? {} },
    label: 'code block',
    timeoutMs: request.timeoutMs,
    signal: request.signal,
    logger: request.logger,
    async handleCall(call) {
      if (call.op === 'sleep') {
        await sandboxSleep(call.args[0], request.signal);
        return null;
      }
      return runPageOperation(await request.page(), call);
    },
  });
  if (outcome.ok) return outcome;
  return { ok: false, kind: outcome.kind === 'invalid' ? 'error' : outcome.kind, error: outcome.error };
}

/** `sleep(ms)` from the sandbox, capped at a minute and cut short when the run stops. */
export function sandboxSleep(ms: unknown, signal: AbortSignal): Promise<void> {
  const wait = Math.min(Math.max(Number(ms) || 0, 0), MAX_SLEEP_MS);
  return new Promise((resolve) => {
    const timer = setTimeout(done, wait);
    function done() { clearTimeout(timer); signal.removeEventListener('abort', done); resolve(); }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Starts the sandbox child, answers its calls and settles once: done, timeout, cancel or crash. */
export function runSandboxChild(request: SandboxChildRequest): Promise<SandboxChildOutcome> {
  if (request.signal.aborted) return Promise.resolve({ ok: false, kind: 'canceled', error: 'canceled before start' });
  const { label } = request;
  return new Promise<SandboxChildOutcome>((resolve) => {
    const child = fork(CHILD_SCRIPT, [], {
      execArgv: CHILD_FLAGS,
      env: {}, // nothing of the server's environment (API keys…) inside the sandbox
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    let stderrTail = '';
    child.stderr?.on('data', (chunk: Buffer) => { stderrTail = (stderrTail + chunk.toString()).slice(-4000); });
    let settled = false;
    let logLines = 0;
    let inFlight = 0;
    const finish = (outcome: SandboxChildOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      child.kill('SIGKILL');
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, kind: 'timeout', error: `${label} exceeded ${request.timeoutMs / 1000} seconds` }),
      request.timeoutMs,
    );
    const onAbort = () => finish({ ok: false, kind: 'canceled', error: 'run canceled' });
    request.signal.addEventListener('abort', onAbort, { once: true });

    child.on('message', (message: { type: string; id?: number; payload?: unknown }) => {
      if (settled || typeof message?.payload !== 'string' || message.payload.length > MAX_MESSAGE_CHARS) return;
      const payload = safeParse(message.payload) as Record<string, unknown> | undefined;
      if (!payload || typeof payload !== 'object') return;
      if (message.type === 'done') {
        if (payload.ok === true) {
          const value = typeof payload.json === 'string' ? safeParse(payload.json) : undefined;
          finish(value === undefined ? { ok: false, kind: 'error', error: 'result is not JSON data' } : { ok: true, value });
        } else {
          finish({
            ok: false,
            kind: payload.invalid === true ? 'invalid' : 'error',
            error: String(payload.error ?? 'unknown error'),
            ...(typeof payload.stack === 'string' ? { stack: payload.stack.slice(0, 8000) } : {}),
            ...(typeof payload.step === 'number' ? { step: payload.step } : {}),
          });
        }
      } else if (message.type === 'log' && logLines++ < MAX_LOG_LINES) {
        request.logger.info({ codeBlockLog: String(payload.text ?? '').slice(0, 2000), level: payload.level }, `${label} console`);
      } else if (message.type === 'call' && typeof message.id === 'number') {
        const id = message.id;
        const send = (reply: Reply) => { if (!settled && child.connected) child.send(reply); };
        if (inFlight >= MAX_CALLS_IN_FLIGHT) {
          send({ type: 'reply', id, ok: false, error: `more than ${MAX_CALLS_IN_FLIGHT} page operations at once; await them` });
          return;
        }
        inFlight++;
        void answerCall(request, payload, id, send).finally(() => { inFlight--; });
      }
    });
    child.on('error', (error) => finish({ ok: false, kind: 'crashed', error: `${label} sandbox failed to start: ${error.message}` }));
    child.on('exit', (code, signal) => finish({ ok: false, kind: 'crashed', error: describeExit(label, code, signal, stderrTail) }));
    const { start } = request;
    child.send(start.mode === 'block'
      ? { type: 'start', mode: 'block', code: start.code, parametersJson: JSON.stringify(start.parameters ?? {}) }
      : {
        type: 'start', mode: 'module', code: start.code, fileName: start.fileName,
        parametersJson: JSON.stringify(start.parameters ?? {}), secretsJson: JSON.stringify(start.secrets ?? {}),
      });
  });
}

type Reply = { type: 'reply'; id: number; ok: boolean; json?: string; error?: string; step?: number };

async function answerCall(request: SandboxChildRequest, payload: Record<string, unknown>, id: number, send: (r: Reply) => void) {
  const op = String(payload.op);
  try {
    const args = Array.isArray(payload.args) ? payload.args : [];
    const result = await request.handleCall({ op, args, ...(payload.chain !== undefined ? { chain: payload.chain } : {}) });
    const json = JSON.stringify(result ?? null);
    if (json.length > MAX_MESSAGE_CHARS) throw new Error(`${op} result is larger than ${MAX_MESSAGE_CHARS / 1048576} MB`);
    send({ type: 'reply', id, ok: true, json });
  } catch (error) {
    const step = error && typeof error === 'object' && typeof (error as { step?: unknown }).step === 'number' ? (error as { step: number }).step : undefined;
    send({ type: 'reply', id, ok: false, error: (error instanceof Error ? error.message : String(error)).slice(0, 2000), ...(step !== undefined ? { step } : {}) });
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeExit(label: string, code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  if (/heap out of memory|Allocation failed/i.test(stderr)) return `${label} ran out of memory (limit ${HEAP_LIMIT_MB} MB)`;
  const how = signal ? `signal ${signal}` : `code ${code}`;
  const detail = stderr.trim().split('\n').filter(Boolean).at(-1);
  return `${label} sandbox exited (${how}) before finishing${detail ? `: ${detail.slice(0, 300)}` : ''}`;
}
