// `for_loop`: runs its body once per value. Values come from `loop_variable_reference` (a Jinja
// expression, e.g. `{{ extract_output.orders }}`) or `loop_over_parameter_key`; the body sees
// `current_value` / `current_item` / `current_index`. Output: per iteration, per body block,
// `{loop_value, output_parameter, output_value}` (Skyvern's shape).
import { BlockWalk, type ForLoopBlockYaml } from '../../../domain/workflow/index.ts';
import type { BlockExecution, ExecutedBlock } from '../executor.ts';
import { resolveLoopValues } from './loop-values.ts';
import { runIterations } from './loop-iterations.ts';

export async function runForLoopBlock(block: ForLoopBlockYaml, run: BlockExecution): Promise<ExecutedBlock> {
  const { exec } = run;
  const resolved = resolveLoopValues(block, run);
  if (!resolved.ok) return { status: 'failed', output: null, failureReason: resolved.reason };
  const values = resolved.values;
  if (values.length === 0) {
    if (block.complete_if_empty) return { status: 'completed', output: [], failureReason: null };
    return { status: 'failed', output: null, failureReason: `No iterable value found for the loop block ${block.label}: the list to loop over is empty` };
  }
  const cap = exec.env.settings.maxLoopIterations;
  if (values.length > cap) {
    return {
      status: 'failed', output: null,
      failureReason: `The loop block ${block.label} has ${values.length} values to loop over; the limit is ${cap} iterations (WORKFLOW_MAX_LOOP_ITERATIONS)`,
    };
  }
  await exec.env.store.updateBlock(run.blockRunId, { loopValues: values });
  return runIterations(block, run, {
    next: (index) => (index < values.length ? { value: values[index] } : undefined),
    walk: () => BlockWalk.forLoopBody(block.loop_blocks),
    loopOverKey: block.loop_over_parameter_key || null,
  });
}
