// Entry point of a task run (skyvern-1.0 and skyvern-2.0): open the start page, run the engine's
// agent, and map its outcome onto the run.
import type { LlmClient } from '../../llm/index.ts';
import { runAgentLoop } from '../agent/agent-loop.ts';
import type { AgentOutcome } from '../agent/types.ts';
import type { EngineEnv, RunOutcome } from '../ports.ts';
import { buildRuntime } from './runtime.ts';
import { gotoStartPage, NavigationFailed, openStartPageAsStep } from './start-page.ts';
import type { TaskInput } from './task-input.ts';
import { runTaskV2 } from './task-v2.ts';

export { NavigationFailed } from './start-page.ts';

/** Whether an LLM is configured; the API reports this in /v1/version and health. */
export interface TaskLlmStatus { configured: boolean; problems: string[] }

export const NO_LLM_REASON =
  'No LLM is configured, so the agent cannot choose actions. Set LLM_KEY and enable its provider, e.g. ' +
  'ENABLE_OPENAI=true OPENAI_API_KEY=… LLM_KEY=OPENAI_GPT4O, or ENABLE_OPENAI_COMPATIBLE=true ' +
  'OPENAI_COMPATIBLE_API_BASE=… OPENAI_COMPATIBLE_MODEL_NAME=… LLM_KEY=OPENAI_COMPATIBLE, then restart the worker.';

export async function executeTask(input: TaskInput, env: EngineEnv, llm: LlmClient): Promise<RunOutcome> {
  try {
    if (!llm.configured) {
      await openStartPageAsStep(input, env);
      const detail = llm.problems.length ? ` Problems found: ${llm.problems.join('; ')}.` : '';
      return { status: 'failed', failureReason: NO_LLM_REASON + detail };
    }
    await gotoStartPage(input, env);
  } catch (err) {
    if (err instanceof NavigationFailed && !env.signal.aborted) return { status: 'failed', failureReason: err.message };
    throw err;
  }
  const rt = await buildRuntime(input, env, llm);
  const outcome = input.request.engine === 'skyvern-2.0'
    ? await runTaskV2(input, rt)
    : (await runAgentLoop(rt, {
      goal: input.request.prompt,
      schema: input.request.data_extraction_schema,
      errorCodes: input.request.error_code_mapping,
    })).outcome;
  env.logger.info({ status: outcome.status, steps: rt.budget.used }, 'agent finished');
  return toRunOutcome(outcome);
}

export function toRunOutcome(outcome: AgentOutcome): RunOutcome {
  switch (outcome.status) {
    case 'completed':
      return { status: 'completed', output: outcome.output ?? null, errors: outcome.errors };
    case 'terminated':
      return { status: 'terminated', failureReason: outcome.reason, errors: outcome.errors };
    case 'failed':
      return { status: 'failed', failureReason: outcome.reason, errors: outcome.errors, output: outcome.output ?? null };
  }
}
