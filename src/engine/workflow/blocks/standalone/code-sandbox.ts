// Host side of the code block sandbox: one child process per execution, killed on timeout or
// cancel. A child rather than a worker thread because a worker that exhausts its heap can abort
// the whole server process, and because a child can run under Node's permission model. The child
// asks for page operations by name; they run here against the real page (code-page-bridge.ts).
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

export function runInSandbox(request: SandboxRequest): Promise<SandboxOutcome> {
  if (request.signal.aborted) return Promise.resolve({ ok: false, kind: 'canceled', error: 'canceled before start' });
  return new Promise<SandboxOutcome>((resolve) => {
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
    const finish = (outcome: SandboxOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      child.kill('SIGKILL');
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, kind: 'timeout', error: `code block exceeded ${request.timeoutMs / 1000} seconds` }),
      request.timeoutMs,
    );
    const onAbort = () => finish({ ok: false, kind: 'canceled', error: 'run canceled' });
    request.signal.addEventListener('abort', onAbort, { once: true });

    child.on('message', (message: { type: string; id?: number; payload?: unknown }) => {
      if (settled || typeof message?.payload !== 'string' || message.payload.length > MAX_MESSAGE_CHARS) return;
      const payload = safeParse(message.payload) as Record<string, unknown> | undefined;
      if (!payload) return;
      if (message.type === 'done') {
        if (payload.ok === true) {
          const value = typeof payload.json === 'string' ? safeParse(payload.json) : undefined;
          finish(value === undefined ? { ok: false, kind: 'error', error: 'result is not JSON data' } : { ok: true, value });
        } else {
          finish({ ok: false, kind: 'error', error: String(payload.error ?? 'unknown error') });
        }
      } else if (message.type === 'log' && logLines++ < MAX_LOG_LINES) {
        request.logger.info({ codeBlockLog: String(payload.text ?? '').slice(0, 2000), level: payload.level }, 'code block console');
      } else if (message.type === 'call' && typeof message.id === 'number') {
        void answerCall(request, payload, message.id, (reply) => { if (!settled && child.connected) child.send(reply); });
      }
    });
    child.on('error', (error) => finish({ ok: false, kind: 'crashed', error: `code block sandbox failed to start: ${error.message}` }));
    child.on('exit', (code, signal) => finish({ ok: false, kind: 'crashed', error: describeExit(code, signal, stderrTail) }));
    child.send({ type: 'start', code: request.code, parametersJson: JSON.stringify(request.parameters ?? {}) });
  });
}

type Reply = { type: 'reply'; id: number; ok: boolean; json?: string; error?: string };

async function answerCall(request: SandboxRequest, payload: Record<string, unknown>, id: number, send: (r: Reply) => void) {
  try {
    const op = String(payload.op);
    const args = Array.isArray(payload.args) ? payload.args : [];
    let result: unknown;
    if (op === 'sleep') {
      await new Promise((r) => setTimeout(r, Math.min(Math.max(Number(args[0]) || 0, 0), MAX_SLEEP_MS)));
      result = null;
    } else {
      result = await runPageOperation(await request.page(), op, args);
    }
    const json = JSON.stringify(result ?? null);
    if (json.length > MAX_MESSAGE_CHARS) throw new Error(`page.${op} result is larger than ${MAX_MESSAGE_CHARS / 1048576} MB`);
    send({ type: 'reply', id, ok: true, json });
  } catch (error) {
    send({ type: 'reply', id, ok: false, error: (error instanceof Error ? error.message : String(error)).slice(0, 2000) });
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  if (/heap out of memory|Allocation failed/i.test(stderr)) return `code block ran out of memory (limit ${HEAP_LIMIT_MB} MB)`;
  const how = signal ? `signal ${signal}` : `code ${code}`;
  const detail = stderr.trim().split('\n').filter(Boolean).at(-1);
  return `code block sandbox exited (${how}) before finishing${detail ? `: ${detail.slice(0, 300)}` : ''}`;
}
