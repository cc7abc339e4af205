// `text_prompt`: one LLM call. With `json_schema` the reply must be JSON matching it (the LLM
// client re-asks once with the validation error, then the block fails); without one the output is
// `{"llm_response": "<text>"}`, Skyvern's default schema.
import type { BlockYamlOf } from '../../../../domain/workflow/index.ts';
import { LlmError } from '../../../../llm/errors.ts';
import { JsonSchemaChecker, parseModelJson } from '../../../../llm/json-output.ts';
import type { LlmResult } from '../../../../llm/types.ts';
import type { BlockHandler } from '../block-handler.ts';
import { canceled, completed, errorMessage, failed } from './results.ts';

type TextPromptBlock = BlockYamlOf<'text_prompt'>;

/** Without a schema the model is asked for Skyvern's default shape; prose replies are wrapped. */
const DEFAULT_SCHEMA_INSTRUCTION =
  `Answer with a JSON object of this shape: {"llm_response": "<your answer as text>"}.`;

// One checker per process: it only caches compiled schemas (keyed weakly by schema object).
const schemas = new JsonSchemaChecker();

export const textPromptBlock: BlockHandler<TextPromptBlock> = async (ctx) => {
  const { block } = ctx;
  const schema = block.json_schema ?? null;
  if (schema) {
    try {
      schemas.compile(schema);
    } catch (error) {
      return failed(`Text prompt JSON schema is invalid: ${errorMessage(error)}`);
    }
  }
  await ctx.recorder.saveArtifact('llm_prompt', block.prompt, { blockRunId: ctx.blockRunId, ext: 'txt' });

  let result: LlmResult;
  try {
    result = await ctx.llm.complete({
      prompt: block.prompt,
      ...(schema ? { jsonSchema: schema } : { system: DEFAULT_SCHEMA_INSTRUCTION }),
      purpose: 'text_prompt',
      ...modelChoice(block),
      signal: ctx.signal,
    });
  } catch (error) {
    if (ctx.signal.aborted) return canceled(ctx.signal);
    if (error instanceof LlmError && error.usage) {
      await ctx.recorder.addUsage({ ...error.usage, costUsd: error.costUsd ?? 0 });
    }
    return failed(`Text prompt LLM call failed: ${errorMessage(error)}`);
  }
  await ctx.recorder.addUsage({ inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens, costUsd: result.costUsd });

  const output = schema ? result.json : defaultOutput(result.text);
  await ctx.recorder.saveArtifact('llm_response', JSON.stringify(output ?? null), { blockRunId: ctx.blockRunId, ext: 'json' });
  if (schema) {
    // The real client already validated; this guards other LlmClient implementations.
    const check = schemas.check(schema, output);
    if (!check.ok) return failed(`Text prompt reply does not match json_schema: ${check.error}`, output ?? null);
  }
  return completed(output ?? null);
};

/**
 * The block's `llm_key` (or `model.model_name`) picks the model; otherwise, like Skyvern, the
 * secondary model is used when one is configured.
 */
function modelChoice(block: TextPromptBlock): { model?: { model_name: string }; secondary?: boolean } {
  const requested = block.llm_key?.trim() || (typeof block.model?.model_name === 'string' ? block.model.model_name : '');
  return requested ? { model: { model_name: requested } } : { secondary: true };
}

/** A JSON object reply is taken as is (Skyvern's default schema is permissive); prose is wrapped. */
function defaultOutput(text: string): unknown {
  const parsed = parseModelJson(text);
  if (parsed.ok && parsed.value && typeof parsed.value === 'object' && !Array.isArray(parsed.value)) return parsed.value;
  return { llm_response: text.trim() };
}
