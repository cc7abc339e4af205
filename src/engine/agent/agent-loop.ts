// The skyvern-1.0 step loop, also used for each mini-goal of a skyvern-2.0 plan (and later by
// workflow task blocks): look at the page, let the model act, let the checker judge, until the
// goal is verified, the model gives up, the loop guard trips or the step budget runs out.
import { LlmError } from '../../llm/index.ts';
import { describeLlmFailure } from './llm-call.ts';
import { LoopState } from './loop-state.ts';
import { freshView, perceiveFor, type PageView } from './perceive.ts';
import { runStep } from './step.ts';
import type { AgentGoal, AgentOutcome, AgentRuntime } from './types.ts';

export interface LoopResult {
  outcome: AgentOutcome;
  /** The page as last seen, so a caller (the planner) need not scan it again. */
  view: PageView;
}

export async function runAgentLoop(rt: AgentRuntime, goal: AgentGoal, start?: PageView): Promise<LoopResult> {
  const state = new LoopState(rt.settings.loopThreshold);
  let view = start ?? (await perceiveFor(rt));
  try {
    for (;;) {
      rt.env.signal.throwIfAborted();
      state.throwIfWriteFailed();
      if (rt.budget.used >= rt.budget.max) return { outcome: maxStepsOutcome(rt, state), view };
      // The model decides on the page as it is now: a view read before a check call is old news.
      view = await freshView(rt, view);
      const step = await runStep(rt, goal, state, view);
      view = step.after;
      if (step.end) return { outcome: step.end, view };
    }
  } catch (error) {
    return { outcome: llmFailureOutcome(error, rt.env.signal), view };
  } finally {
    // Step records still being written (see LoopState.deferWrite); a failed write fails the run.
    await state.drainWrites();
  }
}

/** An LLM failure that escaped a step (checker or extraction unusable) fails the run with a reason; anything else is rethrown. */
export function llmFailureOutcome(error: unknown, signal: AbortSignal): AgentOutcome {
  if (signal.aborted || !(error instanceof LlmError)) throw error;
  return { status: 'failed', kind: 'llm', reason: describeLlmFailure(error), errors: [] };
}

export const REACH_MAX_STEPS = { error_code: 'REACH_MAX_STEPS', reasoning: 'The agent has reached the maximum number of steps.' };

/** Skyvern's wording, with the explanation taken from what the agent last saw rather than an extra LLM call. */
function maxStepsOutcome(rt: AgentRuntime, state: LoopState): AgentOutcome {
  const lastLines = state.history.render();
  const lastFailure = [...lastLines].reverse().find((l) => l.includes('FAILED'));
  const why = state.lastVerdict?.thoughts
    ? `the goal was not verified as achieved (checker: ${state.lastVerdict.thoughts})`
    : lastFailure ? `the last failed action was ${lastFailure.replace(/^\s*- /, '')}`
    : state.lastThoughts ? `the goal was not reached (the agent's last assessment: ${state.lastThoughts})` : 'the goal was not achieved within the step budget';
  return {
    status: 'failed', kind: 'max_steps', errors: [REACH_MAX_STEPS],
    reason: `Reached the maximum steps (${rt.budget.max}). Possible failure reasons: ${why}. Raise max_steps or make the prompt more specific.`,
  };
}
