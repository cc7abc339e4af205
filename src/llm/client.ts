// The LlmClient implementation on top of the AI SDK's generateText.
// Retries on 429/5xx/network errors are the SDK's own (maxRetries, exponential
// backoff from 2 s, honouring retry-after headers); this adds the time limit, model
// selection, tolerant JSON with one re-ask, token/cost accounting and typed errors.
import type { LanguageModel, ModelMessage } from 'ai';
import type { LlmSettings } from '../config/llm.env.ts';
import { LlmError, toLlmError } from './errors.ts';
import { JsonSchemaChecker, parseModelJson, type JsonParseOutcome } from './json-output.ts';
import { buildReaskMessages, buildSystemText, buildUserMessage } from './messages.ts';
import { resolveModelName, type LlmModelChoice } from './model-keys.ts';
import { estimateCostUsd } from './pricing.ts';
import { createLanguageModel } from './providers.ts';
import type { LlmCallObserver, LlmClient, LlmLogger, LlmRequest, LlmResult, LlmUsage } from './types.ts';

// The AI SDK is imported at the first model call: a process that never calls a model (the API
// without an LLM, or one only checking settings) does not pay for it.
let aiSdk: Promise<typeof import('ai')> | undefined;
const loadAiSdk = () => (aiSdk ??= import('ai'));

export function createLlmClient(settings: LlmSettings, logger?: LlmLogger, observe?: LlmCallObserver): LlmClient {
  return new SdkLlmClient(settings, logger, observe);
}

const ANTHROPIC_DEFAULT_MAX_OUTPUT_TOKENS = 16_384;

interface CallOutcome {
  text: string;
  usage: LlmUsage;
}

class SdkLlmClient implements LlmClient {
  readonly configured: boolean;
  readonly problems: string[];
  readonly supportsVision: boolean;
  private readonly models = new Map<string, Promise<LanguageModel>>();
  private readonly schemas = new JsonSchemaChecker();

  constructor(
    private readonly settings: LlmSettings,
    private readonly logger?: LlmLogger,
    private readonly observe?: LlmCallObserver,
  ) {
    this.problems = [...settings.problems];
    this.configured = this.problems.length === 0 && settings.primary !== undefined;
    this.supportsVision = settings.primary?.supportsVision ?? false;
  }

  async complete(req: LlmRequest): Promise<LlmResult> {
    if (!this.configured) {
      throw new LlmError('config', `LLM is not configured: ${this.problems.join('; ') || 'no model selected'}`, { retryable: false });
    }
    const choice = this.chooseModel(req);
    const expectJson = req.jsonSchema !== undefined || req.expectJson === true;
    if (req.jsonSchema) this.assertSchemaCompiles(req.jsonSchema);
    const droppedImages = !choice.supportsVision && (req.images?.length ?? 0) > 0;
    if (droppedImages) this.logger?.debug({ purpose: req.purpose, llmKey: choice.llmKey }, 'model has no vision; screenshots not sent');

    const started = performance.now();
    const system = buildSystemText(req, expectJson);
    const messages = [buildUserMessage(req, choice.supportsVision)];
    const usage: LlmUsage = { inputTokens: 0, outputTokens: 0 };
    const finish = (text: string, json?: unknown): LlmResult => {
      const result: LlmResult = {
        text,
        json,
        usage,
        costUsd: estimateCostUsd(choice.provider, choice.modelId, usage),
        model: choice.modelId,
        llmKey: choice.llmKey,
        latencyMs: Math.round(performance.now() - started),
      };
      this.logger?.debug({ purpose: req.purpose, llmKey: choice.llmKey, usage, costUsd: result.costUsd, latencyMs: result.latencyMs }, 'llm call done');
      return result;
    };

    const first = await this.call(choice, system, messages, req);
    addUsage(usage, first.usage);
    if (!expectJson) return finish(first.text);

    const firstParse = this.interpret(first.text, req.jsonSchema);
    if (firstParse.ok) return finish(first.text, firstParse.value);

    this.logger?.warn({ purpose: req.purpose, llmKey: choice.llmKey, problem: firstParse.error }, 'llm reply unusable; asking once more');
    const second = await this.call(choice, system, buildReaskMessages(messages, first.text, firstParse.error), req);
    addUsage(usage, second.usage);
    const secondParse = this.interpret(second.text, req.jsonSchema);
    if (secondParse.ok) return finish(second.text, secondParse.value);

    const costUsd = estimateCostUsd(choice.provider, choice.modelId, usage);
    this.logger?.warn({ purpose: req.purpose, llmKey: choice.llmKey, problem: secondParse.error }, 'llm reply unusable after re-ask');
    throw new LlmError('bad_output', `model reply unusable after one re-ask: ${secondParse.error}`, {
      retryable: true,
      usage,
      costUsd,
    });
  }

  /** Per-run override first, then secondary when asked for, else LLM_KEY's model. */
  private chooseModel(req: LlmRequest): LlmModelChoice {
    const primary = this.settings.primary!;
    const requested = req.model?.model_name?.trim();
    if (requested) {
      const override = resolveModelName(requested, this.settings.providers);
      if (override) return override;
      this.logger?.warn({ purpose: req.purpose, model_name: requested, using: primary.llmKey }, 'requested model is not available; using the default model');
    }
    if (req.secondary && this.settings.secondary) return this.settings.secondary;
    return primary;
  }

  private modelFor(choice: LlmModelChoice): Promise<LanguageModel> {
    let model = this.models.get(choice.llmKey);
    if (!model) {
      model = createLanguageModel(choice, this.settings.providers);
      // A failed import is not remembered: the next call tries again.
      model.catch(() => this.models.delete(choice.llmKey));
      this.models.set(choice.llmKey, model);
    }
    return model;
  }

  /** One generateText call (SDK retries included) under the time limit. */
  private async call(choice: LlmModelChoice, system: string | undefined, messages: ModelMessage[], req: LlmRequest): Promise<CallOutcome> {
    const timeoutMs = req.timeoutMs ?? this.settings.timeoutMs;
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    const abortSignal = req.signal ? AbortSignal.any([timer.signal, req.signal]) : timer.signal;
    const started = performance.now();
    const report = (outcome: 'ok' | 'error', usage: LlmUsage) => this.observe?.({
      provider: choice.provider, purpose: req.purpose, outcome, usage,
      costUsd: estimateCostUsd(choice.provider, choice.modelId, usage), seconds: (performance.now() - started) / 1000,
    });
    let sdk: typeof import('ai') | undefined;
    try {
      sdk = await loadAiSdk();
      const result = await sdk.generateText({
        model: await this.modelFor(choice),
        system,
        messages,
        maxRetries: this.settings.maxRetries,
        maxOutputTokens: this.maxOutputTokens(choice),
        abortSignal,
      });
      const cached = result.usage.inputTokenDetails?.cacheReadTokens ?? result.usage.cachedInputTokens;
      const usage: LlmUsage = {
        inputTokens: result.usage.inputTokens ?? 0,
        outputTokens: result.usage.outputTokens ?? 0,
        ...(cached !== undefined ? { cachedTokens: cached } : {}),
      };
      report('ok', usage);
      return { text: result.text, usage };
    } catch (error) {
      // A failed call reports no usage: it still counts as a call, with no tokens.
      report('error', { inputTokens: 0, outputTokens: 0 });
      const context = { timedOut: timer.signal.aborted, aborted: req.signal?.aborted ?? false, timeoutMs };
      const llmError = sdk ? toLlmError(error, context, sdk)
        : new LlmError('config', `the AI SDK or the provider's module could not be loaded: ${(error as Error).message}`, { retryable: false, cause: error });
      this.logger?.warn({ purpose: req.purpose, llmKey: choice.llmKey, kind: llmError.kind, status: llmError.status, err: llmError.message }, 'llm call failed');
      throw llmError;
    } finally {
      clearTimeout(handle);
    }
  }

  /**
   * Left to the provider unless LLM_CONFIG_MAX_TOKENS is set, except Anthropic: the SDK
   * would ask for the model's maximum (64k for Claude 4.5), which Anthropic refuses
   * without streaming, and agent replies are far shorter anyway.
   */
  private maxOutputTokens(choice: LlmModelChoice): number | undefined {
    if (this.settings.maxOutputTokens !== undefined) return this.settings.maxOutputTokens;
    return choice.provider === 'anthropic' ? ANTHROPIC_DEFAULT_MAX_OUTPUT_TOKENS : undefined;
  }

  private interpret(text: string, schema: object | undefined): JsonParseOutcome {
    const parsed = parseModelJson(text);
    if (!parsed.ok || !schema) return parsed;
    const checked = this.schemas.check(schema, parsed.value);
    return checked.ok ? parsed : checked;
  }

  private assertSchemaCompiles(schema: object): void {
    try {
      this.schemas.compile(schema);
    } catch (error) {
      throw new LlmError('config', `jsonSchema is not a valid JSON Schema: ${(error as Error).message}`, { retryable: false });
    }
  }
}

function addUsage(total: LlmUsage, more: LlmUsage): void {
  total.inputTokens += more.inputTokens;
  total.outputTokens += more.outputTokens;
  if (more.cachedTokens !== undefined) total.cachedTokens = (total.cachedTokens ?? 0) + more.cachedTokens;
}
