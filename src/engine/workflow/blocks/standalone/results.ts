// Small helpers every standalone handler shares: building results, honouring the run's abort
// signal, and reading a declared parameter's value through the template context.
import type { BlockResult, BlockRunContext } from '../block-handler.ts';

export const completed = (output: unknown): BlockResult => ({ status: 'completed', output, failureReason: null });

export const failed = (failureReason: string, output: unknown = null): BlockResult => ({
  status: 'failed', output, failureReason,
});

/** Why the run stopped, for the block's failure_reason (the runner decides the run status). */
export function canceled(signal: AbortSignal): BlockResult {
  const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'run canceled');
  return { status: 'canceled', output: null, failureReason: `Block canceled: ${reason}` };
}

/** Skyvern's `build_block_failure_output`: lets `<label>_output` say which block failed and why. */
export function failureOutput(failureReason: string, errorCodes: string[] = []) {
  return {
    status: 'failed',
    failure_reason: failureReason,
    errors: errorCodes.map((code) => ({ error_code: code, reasoning: failureReason, confidence_float: 1.0 })),
  };
}

export class BlockAbortedError extends Error {
  constructor() {
    super('block aborted');
    this.name = 'BlockAbortedError';
  }
}

/** Resolves with `work`, or rejects with BlockAbortedError as soon as `signal` aborts. */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {}); // the abandoned promise must not become an unhandled rejection
    return Promise.reject(new BlockAbortedError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new BlockAbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}

/** setTimeout that ends early (rejecting with BlockAbortedError) when the run is aborted. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const wait = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
  return raceAbort(wait, signal).finally(() => clearTimeout(timer));
}

/**
 * A parameter's value as JSON data. Handlers only get the rendered block and `render()`, so the
 * value is read through the template engine (`tojson` keeps objects and numbers intact). Unknown
 * keys give `null`, like Skyvern's lax templating.
 */
export function readParameter(ctx: Pick<BlockRunContext, 'render'>, key: string): unknown {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return null; // never splice arbitrary text into a template
  const text = ctx.render(`{{ ${key} | tojson }}`);
  if (typeof text !== 'string' || text.trim() === '' || text.trim() === 'undefined') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));
