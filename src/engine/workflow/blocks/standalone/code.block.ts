// `code`: run the block's JavaScript (Skyvern runs Python; Skyport runs JS) with the run's page and
// the block's parameters, and record its `result`. Off unless ENABLE_CODE_BLOCK=true, because the
// code is written by whoever can edit workflows — see README.md for the trust model.
import type { BlockYamlOf } from '../../../../domain/workflow/index.ts';
import type { BlockHandler } from '../block-handler.ts';
import { runInSandbox } from './code-sandbox.ts';
import { canceled, completed, failed, raceAbort, readParameter } from './results.ts';

type CodeBlock = BlockYamlOf<'code'>;

export const CODE_BLOCK_DISABLED_REASON =
  'Code blocks are disabled on this server. Set ENABLE_CODE_BLOCK=true to allow workflows to run code blocks.';

export const codeBlock: BlockHandler<CodeBlock> = async (ctx) => {
  if (!ctx.settings.codeBlockEnabled) return failed(CODE_BLOCK_DISABLED_REASON);
  const { block } = ctx;
  const parameters: Record<string, unknown> = {};
  for (const key of block.parameter_keys ?? []) parameters[key] = readParameter(ctx, key);

  const outcome = await runInSandbox({
    code: block.code,
    parameters,
    timeoutMs: ctx.settings.codeBlockTimeoutMs,
    signal: ctx.signal,
    page: async () => (await raceAbort(ctx.browser(), ctx.signal)).page(),
    logger: ctx.logger,
  });
  if (outcome.ok) return completed(asOutput(outcome.value));
  if (outcome.kind === 'canceled' || ctx.signal.aborted) return canceled(ctx.signal);
  const prefix = outcome.kind === 'timeout' ? 'TimeoutError: ' : '';
  return failed(`Failed to execute code block. Reason: ${prefix}${outcome.error}`);
};

/** Block outputs are never bare numbers or booleans; those are wrapped as {"value": …}. */
function asOutput(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? { value } : value;
}
