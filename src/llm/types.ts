// The one interface the rest of Skyport uses to talk to a language model.

export interface LlmRequest {
  /** System instructions. */
  system?: string;
  /** The user message. */
  prompt: string;
  /** PNG screenshots; dropped (with a debug log) when the chosen model has no vision. */
  images?: Buffer[];
  /** JSON Schema the reply must satisfy; implies `expectJson`. */
  jsonSchema?: object;
  /** Parse the reply as a JSON object or array even without a schema. */
  expectJson?: boolean;
  /** Overrides LLM_TIMEOUT_MS for this call (SDK retries included). */
  timeoutMs?: number;
  /** What the call is for ('action', 'check', 'plan', 'extract', …); used in logs. */
  purpose: string;
  /** Use SECONDARY_LLM_KEY's model when it is set. */
  secondary?: boolean;
  /** Per-run override from the API's `model` field; model_name may be an LLM key or a model id. */
  model?: { model_name?: string } | null;
  /** Cancels the call (e.g. the run was cancelled); surfaces as LlmError kind 'aborted'. */
  signal?: AbortSignal;
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache, when it reports them. */
  cachedTokens?: number;
}

export interface LlmResult {
  /** The model's reply as text (of the last attempt when a JSON re-ask happened). */
  text: string;
  /** The parsed reply when JSON was expected. */
  json?: unknown;
  /** Summed over every HTTP call this complete() made. */
  usage: LlmUsage;
  /** Estimated from the price table; 0 for unknown and local models. */
  costUsd: number;
  /** Provider model id, e.g. "gpt-4o". */
  model: string;
  /** The LLM key that selected the model, e.g. "OPENAI_GPT4O". */
  llmKey: string;
  latencyMs: number;
}

export interface LlmClient {
  /** True when complete() can be called; otherwise see problems. */
  readonly configured: boolean;
  readonly problems: string[];
  /** Whether the primary model accepts screenshots. */
  readonly supportsVision: boolean;
  complete(req: LlmRequest): Promise<LlmResult>;
}

/** One model call (one generateText, SDK retries included) as told to metrics: this call's usage and cost only. */
export interface LlmCallEvent {
  provider: string;
  purpose: string;
  outcome: 'ok' | 'error';
  usage: LlmUsage;
  costUsd: number;
  seconds: number;
}

/** Told of every model call; the metrics module's port, so this module never depends on it. */
export type LlmCallObserver = (event: LlmCallEvent) => void;

/** The subset of a pino logger this module uses; pino's Logger satisfies it. */
export interface LlmLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
