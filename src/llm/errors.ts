// One error type for every way an LLM call can fail, so callers can decide
// whether to retry the step, fail the run, or report a configuration problem.
import type { APICallError, LoadAPIKeyError, NoSuchModelError, RetryError } from 'ai';
import type { LlmUsage } from './types.ts';

export type LlmErrorKind = 'config' | 'timeout' | 'rate_limit' | 'provider' | 'bad_output' | 'aborted';

export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  /** Whether trying the same call again later could succeed. */
  readonly retryable: boolean;
  /** HTTP status from the provider, when there was one. */
  readonly status?: number;
  /** Tokens already spent when the failure came after replies (bad_output), so runs can still account for them. */
  readonly usage?: LlmUsage;
  readonly costUsd?: number;

  constructor(
    kind: LlmErrorKind,
    message: string,
    options: { retryable?: boolean; status?: number; cause?: unknown; usage?: LlmUsage; costUsd?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'LlmError';
    this.kind = kind;
    this.retryable = options.retryable ?? (kind === 'timeout' || kind === 'rate_limit');
    this.status = options.status;
    this.usage = options.usage;
    this.costUsd = options.costUsd;
  }

  static is(value: unknown): value is LlmError {
    return value instanceof LlmError;
  }
}

/**
 * Map whatever the AI SDK threw to an LlmError. `timedOut` / `aborted` tell whether
 * our own timer or the caller's signal fired, since both surface as AbortErrors.
 */
/** The AI SDK's error classes, from the `ai` module the caller has loaded (it is imported lazily). */
export interface SdkErrorClasses {
  APICallError: typeof APICallError; LoadAPIKeyError: typeof LoadAPIKeyError; NoSuchModelError: typeof NoSuchModelError; RetryError: typeof RetryError;
}

export function toLlmError(error: unknown, context: { timedOut: boolean; aborted: boolean; timeoutMs: number }, sdk: SdkErrorClasses): LlmError {
  const { APICallError, LoadAPIKeyError, NoSuchModelError, RetryError } = sdk;
  if (error instanceof LlmError) return error;
  if (context.timedOut) return new LlmError('timeout', `LLM call exceeded ${context.timeoutMs} ms`, { cause: error });
  if (context.aborted) return new LlmError('aborted', 'LLM call was aborted by the caller', { retryable: false, cause: error });

  // After the SDK's own retries, the interesting error is the last one.
  const last = RetryError.isInstance(error) ? error.lastError : error;
  const attempts = RetryError.isInstance(error) ? ` after ${error.errors.length} attempts` : '';

  if (APICallError.isInstance(last)) {
    const status = last.statusCode;
    const detail = `${describeStatus(status)}${attempts}: ${shorten(last.responseBody ?? last.message)}`;
    if (status === 429) return new LlmError('rate_limit', `rate limited${detail}`, { status, cause: error });
    if (status === 401 || status === 403) {
      return new LlmError('config', `provider rejected the credentials${detail}`, { retryable: false, status, cause: error });
    }
    if (status === 404) return new LlmError('config', `model or endpoint not found${detail}`, { retryable: false, status, cause: error });
    const retryable = last.isRetryable || status === undefined || status >= 500;
    return new LlmError('provider', `provider error${detail}`, { retryable, status, cause: error });
  }
  if (LoadAPIKeyError.isInstance(last) || NoSuchModelError.isInstance(last)) {
    return new LlmError('config', last.message, { retryable: false, cause: error });
  }
  const message = last instanceof Error ? last.message : String(last);
  return new LlmError('provider', `LLM call failed${attempts}: ${message}`, { retryable: false, cause: error });
}

function describeStatus(status: number | undefined): string {
  return status === undefined ? ' (no HTTP response)' : ` (HTTP ${status})`;
}

function shorten(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
