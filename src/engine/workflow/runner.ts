// One workflow run: walk the top-level blocks, then the finally block, and turn what happened
// into the run's outcome (Skyvern's block → run status mapping, §2.3 of the API notes).
import { BlockWalk } from '../../domain/workflow/index.ts';
import type { RunOutcome } from '../ports.ts';
import { WorkflowExecutor, type ScopeResult } from './executor.ts';
import type { WorkflowEnv, WorkflowRunInput } from './ports.ts';
import { collectTaskErrors } from './run-output.ts';
import { WorkflowRunState } from './run-state.ts';

/** A block that timed out on its own fails the run; only the run's own deadline makes it `timed_out`. */
function outcomeOf(result: ScopeResult, signal: AbortSignal): RunOutcome {
  if (result.status === 'completed') return { status: 'completed' };
  if (result.status === 'canceled') return { status: 'canceled', failureReason: null };
  if (signal.aborted) return { status: signal.reason === 'timed_out' ? 'timed_out' : 'canceled', failureReason: result.failureReason };
  return { status: result.status === 'terminated' ? 'terminated' : 'failed', failureReason: result.failureReason };
}

export async function runWorkflow(input: WorkflowRunInput, env: WorkflowEnv): Promise<RunOutcome> {
  const state = new WorkflowRunState(input, env.now);
  const exec = new WorkflowExecutor(input, env, state);
  const body = await exec.runScope(BlockWalk.forDefinition(input.definition), [], null);
  let outcome = outcomeOf(body, env.signal);

  // The finally block runs after every outcome except a cancel (and needs time left to run in).
  const finallyLabel = input.definition.finally_block_label;
  const finallyBlock = finallyLabel ? input.definition.blocks.find((b) => b.label === finallyLabel) : undefined;
  if (finallyBlock && outcome.status !== 'canceled' && !env.signal.aborted) {
    const result = await exec.executeBlock(finallyBlock, [], null);
    await env.store.saveRunOutput(state.runOutput());
    if (result.status === 'canceled') {
      outcome = { status: 'canceled', failureReason: null };
    } else if (outcome.status === 'completed' && result.status !== 'completed' && !finallyBlock.continue_on_failure) {
      // A failing finally block decides the outcome only when the body itself succeeded.
      const verb = result.status === 'terminated' ? 'terminated' : 'failed';
      outcome = outcomeOf({ status: result.status, failureReason: `${finallyBlock.block_type} block ${verb}. failure reason: ${result.failureReason ?? 'unknown'}` }, env.signal);
    }
  }
  return { ...outcome, output: state.runOutput(), errors: collectTaskErrors(state.outputs) };
}
