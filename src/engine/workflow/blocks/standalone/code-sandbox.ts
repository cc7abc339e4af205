// Host side of the code block sandbox: one worker thread per execution (own V8 isolate with
// memory limits, empty environment), killed on timeout or cancel. The worker asks for page
// operations by name; they run here against the real page (code-page-bridge.ts).
import { Worker } from 'node:worker_threads';
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

const WORKER_URL = new URL('./code-sandbox-worker.cjs', import.meta.url);
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 32, codeRangeSizeMb: 16, stackSizeMb: 4 };
const MAX_MESSAGE_CHARS = 10 * 1024 * 1024;
const MAX_LOG_LINES = 200;
const MAX_SLEEP_MS = 60_000;

export function runInSandbox(request: SandboxRequest): Promise<SandboxOutcome> {
  if (request.signal.aborted) return Promise.resolve({ ok: false, kind: 'canceled', error: 'canceled before start' });
  return new Promise<SandboxOutcome>((resolve) => {
    const worker = new Worker(WORKER_URL, {
      workerData: { code: request.code, parametersJson: JSON.stringify(request.parameters ?? {}) },
      env: {}, // nothing of the server's environment (API keys…) inside the worker
      execArgv: [],
      resourceLimits: RESOURCE_LIMITS,
      stdout: true, // the worker's own stdout/stderr are not piped to ours
      stderr: true,
    });
    let settled = false;
    let logLines = 0;
    const finish = (outcome: SandboxOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, kind: 'timeout', error: `code block exceeded ${request.timeoutMs / 1000} seconds` }),
      request.timeoutMs,
    );
    const onAbort = () => finish({ ok: false, kind: 'canceled', error: 'run canceled' });
    request.signal.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (message: { type: string; id?: number; payload?: unknown }) => {
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
        void answerCall(request, payload, message.id, (reply) => { if (!settled) worker.postMessage(reply); });
      }
    });
    worker.on('error', (error) => finish({ ok: false, kind: 'crashed', error: describeWorkerError(error) }));
    worker.on('exit', (code) => finish({ ok: false, kind: 'crashed', error: `code block sandbox exited (code ${code}) before finishing` }));
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

function describeWorkerError(error: Error & { code?: string }): string {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') return `code block ran out of memory (limit ${RESOURCE_LIMITS.maxOldGenerationSizeMb} MB)`;
  return error.message;
}
