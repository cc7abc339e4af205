// `wait`: pause the workflow for `wait_sec` seconds. Unlike Skyvern's (which sleeps through a
// cancel), the pause ends as soon as the run is aborted.
import type { BlockYamlOf } from '../../../../domain/workflow/index.ts';
import type { BlockHandler } from '../block-handler.ts';
import { BlockAbortedError, canceled, completed, sleep } from './results.ts';

export const waitBlock: BlockHandler<BlockYamlOf<'wait'>> = async (ctx) => {
  const seconds = Math.max(0, Number(ctx.block.wait_sec ?? 0) || 0);
  try {
    await sleep(seconds * 1000, ctx.signal);
  } catch (error) {
    if (error instanceof BlockAbortedError) return canceled(ctx.signal);
    throw error;
  }
  return completed({ success: true });
};
