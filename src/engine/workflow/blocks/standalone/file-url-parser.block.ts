// `file_url_parser` (and the deprecated `pdf_parser`, which is the same with file_type pdf):
// fetch a file, parse it, and — when the block has a json_schema — have the LLM turn the parsed
// content into data of that shape (as Skyvern does). Failures keep Skyvern's failure output so
// `{{ label_output.failure_reason }}` is readable downstream.
import type { BlockYamlOf } from '../../../../domain/workflow/index.ts';
import { LlmError } from '../../../../llm/errors.ts';
import type { BlockHandler, BlockRunContext } from '../block-handler.ts';
import { detectFileKind, parseFileContent, type DeclaredFileType } from './file-parsers.ts';
import { fileSourceOptions, loadFile, type LoadedFile } from './file-source.ts';
import { canceled, completed, errorMessage, failed, failureOutput } from './results.ts';

type FileParserBlock = BlockYamlOf<'file_url_parser'> | BlockYamlOf<'pdf_parser'>;

const ERROR_CODE = 'FILE_PARSER_ERROR';
/** Roughly the token budget Skyvern allows for the extraction prompt (~4 characters a token). */
const MAX_EXTRACTION_CHARS = 400_000;

const fail = (reason: string) => failed(reason, failureOutput(reason, [ERROR_CODE]));

export const fileUrlParserBlock: BlockHandler<FileParserBlock> = async (ctx) => {
  const { block } = ctx;
  const declared: DeclaredFileType = block.block_type === 'pdf_parser' ? 'pdf' : (block.file_type ?? 'auto_detect');
  const fileUrl = block.file_url?.trim();
  if (!fileUrl) return fail('file_url is empty');

  let file: LoadedFile;
  let content: unknown;
  try {
    file = await loadFile(fileUrl, fileSourceOptions(ctx));
  } catch (error) {
    if (ctx.signal.aborted) return canceled(ctx.signal);
    return fail(`Failed to download or validate file: ${errorMessage(error)}`);
  }
  let kind: string = declared;
  try {
    kind = detectFileKind(declared, file);
    content = await parseFileContent(kind as ReturnType<typeof detectFileKind>, file);
  } catch (error) {
    return fail(`Failed to parse ${kind} file: ${errorMessage(error)}`);
  }
  if (!block.json_schema) return completed(content ?? null);

  try {
    return completed(await extractWithLlm(ctx, content, block.json_schema));
  } catch (error) {
    if (ctx.signal.aborted) return canceled(ctx.signal);
    return fail(`Failed to extract data with AI: ${errorMessage(error)}`);
  }
};

async function extractWithLlm(ctx: BlockRunContext<FileParserBlock>, content: unknown, schema: Record<string, unknown>) {
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  const bounded = text.length > MAX_EXTRACTION_CHARS ? text.slice(0, MAX_EXTRACTION_CHARS) : text;
  const prompt = [
    'Below is the content of a file. Extract the information the JSON Schema describes from it.',
    'Use only what the file says; use null for anything it does not contain.',
    '',
    '--- file content ---',
    bounded,
    '--- end of file content ---',
  ].join('\n');
  try {
    const result = await ctx.llm.complete({
      prompt,
      jsonSchema: schema,
      purpose: 'file_parser_extract',
      model: typeof ctx.block.model?.model_name === 'string' ? { model_name: ctx.block.model.model_name } : null,
      signal: ctx.signal,
    });
    await ctx.recorder.addUsage({ inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens, costUsd: result.costUsd });
    return result.json ?? null;
  } catch (error) {
    if (error instanceof LlmError && error.usage) await ctx.recorder.addUsage({ ...error.usage, costUsd: error.costUsd ?? 0 });
    throw error;
  }
}
