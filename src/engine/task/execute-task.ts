// Entry point of a task run (skyvern-1.0 and skyvern-2.0): open the start page, run the engine's
// agent, and map its outcome onto the run. A skyvern-1.0 run in code mode replays its cached
// module first and records the agent's actions (run-with-script.ts), like a workflow block.
import type { LlmClient } from '../../llm/index.ts';
import { runAgentLoop } from '../agent/agent-loop.ts';
import type { AgentOutcome, AgentRuntime } from '../agent/types.ts';
import type { EngineEnv, RunOutcome } from '../ports.ts';
import type { BlockCodeResult } from '../scripts/ports.ts';
import { runWithScript } from '../scripts/run-with-script.ts';
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

/** A task run's one module in its script: `blocks/task.ts`. */
export const TASK_SCRIPT_LABEL = 'task';

/** The run's outcome, and in code mode how it ran and what the agent did (the job turns that into the script). */
export interface TaskOutcome extends RunOutcome {
  code?: BlockCodeResult;
}

export async function executeTask(input: TaskInput, env: EngineEnv, llm: LlmClient): Promise<TaskOutcome> {
  // skyvern-2.0 tasks run with the planner every time (see docs/code-runs.md).
  const code = input.request.engine === 'skyvern-2.0' ? undefined : input.code;
  try {
    // A cached script needs no model (unless it extracts); everything else does.
    if (!llm.configured && !code?.script) {
      await openStartPageAsStep(input, env);
      return { status: 'failed', failureReason: noLlmReason(llm) };
    }
    await gotoStartPage(input, env);
  } catch (err) {
    if (err instanceof NavigationFailed && !env.signal.aborted) return { status: 'failed', failureReason: err.message };
    throw err;
  }
  const rt = await buildRuntime(input, env, llm);
  if (input.request.engine === 'skyvern-2.0') return finished(env, rt, await runTaskV2(input, rt));
  const { prompt, data_extraction_schema: schema, error_code_mapping: errorCodes } = input.request;
  const ran = await runWithScript(rt, {
    label: TASK_SCRIPT_LABEL, subject: 'the task', code, llmConfigured: llm.configured,
    // A skyvern-1.0 task extracts with its prompt as the goal (decide.ts), so does its module.
    extraction: { goal: prompt, schema: schema ?? null },
    runAgent: async (note) => (await runAgentLoop(rt, { goal: note ? `${prompt}\n\n${note}` : prompt, schema, errorCodes })).outcome,
  });
  switch (ran.by) {
    case 'script':
      if (ran.ok) return { status: 'completed', output: ran.value ?? null, errors: [], code: { ranWith: 'script' } };
      if (ran.canceled) return { status: 'canceled', failureReason: ran.failure };
      return { status: 'failed', failureReason: ran.failure, code: { ranWith: 'script' } };
    case 'no_llm': return { status: 'failed', failureReason: `${ran.failure.replace(/\.?\s*$/, '.')} The AI fallback could not take over: ${noLlmReason(llm)}` };
    case 'agent': return { ...finished(env, rt, ran.outcome), ...(ran.code ? { code: ran.code } : {}) };
  }
}

function finished(env: EngineEnv, rt: AgentRuntime, outcome: AgentOutcome): RunOutcome {
  env.logger.info({ status: outcome.status, steps: rt.budget.used }, 'agent finished');
  return toRunOutcome(outcome);
}

function noLlmReason(llm: LlmClient): string {
  const detail = llm.problems.length ? ` Problems found: ${llm.problems.join('; ')}.` : '';
  return NO_LLM_REASON + detail;
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
