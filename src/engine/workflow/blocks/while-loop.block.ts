// `while_loop`: checks its condition before every iteration (the first included) and runs the
// body while it holds. The condition is a Jinja expression or a natural-language prompt; running
// into the iteration cap is a failure (a loop that never ends is a bug, not a result).
import { BlockWalk, type WhileLoopBlockYaml } from '../../../domain/workflow/index.ts';
import type { BlockExecution, ExecutedBlock } from '../executor.ts';
import { evaluateCriteria } from './criteria.ts';
import { runIterations } from './loop-iterations.ts';

export async function runWhileLoopBlock(block: WhileLoopBlockYaml, run: BlockExecution): Promise<ExecutedBlock> {
  const cap = run.exec.env.settings.maxLoopIterations;
  return runIterations(block, run, {
    walk: () => BlockWalk.forLoopBody(block.loop_blocks),
    loopOverKey: null,
    async next(index) {
      if (index >= cap) return { error: `The while loop ${block.label} was still running after ${cap} iterations (WORKFLOW_MAX_LOOP_ITERATIONS)` };
      const frame = { label: block.label, blockRunId: run.blockRunId, currentValue: index, currentIndex: index, loopOverKey: null };
      const verdict = await evaluateCriteria([block.condition], { ...run, frames: [...run.frames, frame] });
      if (!verdict.ok) return { error: `The while loop ${block.label} could not evaluate its condition: ${verdict.reason}` };
      return verdict.results[0].result ? { value: index } : undefined;
    },
  });
}
