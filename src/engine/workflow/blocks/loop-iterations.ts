// The iteration engine shared by for_loop and while_loop: one body walk per value, with the
// loop variables set, failures handled per Skyvern's flags, and the output built per iteration.
import type { BlockWalk, LoopBlockYaml } from '../../../domain/workflow/index.ts';
import type { BlockExecution, ExecutedBlock } from '../executor.ts';

export type NextIteration = { value: unknown } | { error: string } | undefined;

export interface IterationSource {
  /** The value of iteration `index`; undefined ends the loop. */
  next(index: number): NextIteration | Promise<NextIteration>;
  walk(): BlockWalk;
  loopOverKey: string | null;
}

/** Long loops show their progress in the timeline at most this often (writing it every iteration would dominate). */
const PROGRESS_INTERVAL_MS = 1000;

export async function runIterations(block: LoopBlockYaml, run: BlockExecution, source: IterationSource): Promise<ExecutedBlock> {
  const { exec, frames, blockRunId } = run;
  const iterations: unknown[][] = [];
  let persistedAt = Date.now();
  for (let index = 0; ; index++) {
    if (exec.env.signal.aborted) return { status: exec.abortStatus(), output: iterations, failureReason: null };
    const item = await source.next(index);
    if (!item) break;
    if ('error' in item) return { status: 'failed', output: iterations, failureReason: item.error };
    const frame = { label: block.label, blockRunId, currentValue: item.value, currentIndex: index, loopOverKey: source.loopOverKey };
    const outputs: unknown[] = [];
    const result = await exec.runScope(source.walk(), [...frames, frame], blockRunId, block, (body, done) => {
      outputs.push({
        loop_value: item.value,
        output_parameter: exec.responseBlocks.get(body.label)?.output_parameter ?? null,
        output_value: done.output ?? null,
      });
    });
    iterations.push(outputs);
    if (Date.now() - persistedAt >= PROGRESS_INTERVAL_MS) {
      await exec.env.store.updateBlock(blockRunId, { output: iterations });
      persistedAt = Date.now();
    }
    if (result.status === 'completed') continue;
    if (result.status === 'canceled') return { status: 'canceled', output: iterations, failureReason: result.failureReason };
    if (result.skippedIteration) continue;
    return { status: result.status, output: iterations, failureReason: `iteration ${index}: ${result.failureReason ?? 'failed'}` };
  }
  return { status: 'completed', output: iterations, failureReason: null };
}
