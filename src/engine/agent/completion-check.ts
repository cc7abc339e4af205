// The independent completion check, run when the model claims the goal done without a quote the
// page still shows: it sees the goal, the actions taken and a fresh view of the page, never the
// acting model's reasoning.
import { callModel, type CallRecord } from './llm-call.ts';
import type { PageView } from './perceive.ts';
import { buildCheckPrompt } from './prompts/check-prompt.ts';
import type { AgentGoal, AgentRuntime } from './types.ts';

export interface CheckVerdict {
  achieved: boolean;
  thoughts: string;
  /** What the goal asked to report, as the checker read it from the page. */
  output: unknown;
}

export async function checkCompletion(
  rt: AgentRuntime, rec: CallRecord,
  input: { goal: AgentGoal; actions: string[]; notes: string[]; view: PageView },
): Promise<CheckVerdict> {
  const { system, prompt } = buildCheckPrompt({
    goal: input.goal.goal, parentGoal: input.goal.parentGoal, actions: input.actions, notes: input.notes, pageText: input.view.text,
  });
  const reply = await callModel(rt, rec, { purpose: 'check', system, prompt, images: input.view.screenshot ? [input.view.screenshot] : [] });
  const verdict = readVerdict(reply.json);
  rec.artifacts.save('llm_response_parsed', JSON.stringify({ purpose: 'check', ...verdict }), 'json');
  return verdict;
}

export function readVerdict(json: unknown): CheckVerdict {
  const obj = (json && typeof json === 'object' && !Array.isArray(json) ? json : {}) as Record<string, unknown>;
  const raw = obj.user_goal_achieved ?? obj.goal_achieved ?? obj.achieved ?? obj.complete;
  const achieved = raw === true || (typeof raw === 'string' && /^(true|yes)$/i.test(raw.trim()));
  const thoughts = typeof obj.thoughts === 'string' ? obj.thoughts : typeof obj.reasoning === 'string' ? obj.reasoning : '';
  const output = obj.output === undefined ? null : obj.output;
  return { achieved, thoughts, output };
}
