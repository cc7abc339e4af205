// skyvern-2.0's planner call: one LLM round that says whether the task is done, impossible, or
// which mini-goal comes next. Replies are read leniently (Skyvern's field names work too).
import { callModel, type CallRecord } from './llm-call.ts';
import type { PageView } from './perceive.ts';
import { buildPlanPrompt, type PlanRecord } from './prompts/plan-prompt.ts';
import type { AgentRuntime } from './types.ts';

export interface PlanDecision {
  thoughts: string;
  achieved: boolean;
  terminate: boolean;
  terminationReason?: string;
  next?: { goal: string; kind: 'navigate' | 'extract' };
  /** Remaining goals after `next`, kept for the record. */
  later: string[];
  output: unknown;
}

export interface PlanInput {
  task: string;
  errorCodes?: Record<string, string> | null;
  done: PlanRecord[];
  view: PageView;
  round: number;
  maxRounds: number;
}

export async function planNext(rt: AgentRuntime, rec: CallRecord, input: PlanInput): Promise<PlanDecision> {
  const { system, prompt } = buildPlanPrompt({
    task: input.task, errorCodes: input.errorCodes, secrets: rt.secrets.describe(), done: input.done, pageText: input.view.text,
    round: input.round, maxRounds: input.maxRounds, stepsLeft: rt.budget.max - rt.budget.used,
  });
  const reply = await callModel(rt, rec, { purpose: 'plan', system, prompt, images: input.view.screenshot ? [input.view.screenshot] : [] });
  const decision = readPlan(reply.json);
  rec.artifacts.save('llm_response_parsed', JSON.stringify({ purpose: 'plan', ...decision }), 'json');
  return decision;
}

const yes = (v: unknown) => v === true || (typeof v === 'string' && /^(true|yes)$/i.test(v.trim()));

export function readPlan(json: unknown): PlanDecision {
  const obj = (json && typeof json === 'object' && !Array.isArray(json) ? json : {}) as Record<string, unknown>;
  const rawGoals = Array.isArray(obj.next_goals) ? obj.next_goals : Array.isArray(obj.mini_goals) ? obj.mini_goals
    : obj.plan !== undefined && obj.plan !== null ? [obj.plan] : obj.next_goal ? [obj.next_goal] : [];
  const goals = rawGoals.flatMap((g) => {
    if (typeof g === 'string' && g.trim()) return [{ goal: g.trim(), kind: 'navigate' as const }];
    if (g && typeof g === 'object') {
      const r = g as Record<string, unknown>;
      const goal = typeof r.goal === 'string' ? r.goal : typeof r.plan === 'string' ? r.plan : undefined;
      const kindRaw = String(r.kind ?? r.task_type ?? 'navigate').toLowerCase();
      if (goal?.trim()) return [{ goal: goal.trim(), kind: kindRaw === 'extract' || kindRaw === 'extraction' ? 'extract' as const : 'navigate' as const }];
    }
    return [];
  });
  const reason = obj.termination_reason ?? obj.reason;
  return {
    thoughts: typeof obj.thoughts === 'string' ? obj.thoughts : '',
    achieved: yes(obj.task_achieved ?? obj.user_goal_achieved ?? obj.achieved),
    terminate: yes(obj.should_terminate ?? obj.terminate),
    terminationReason: typeof reason === 'string' && reason.trim() ? reason : undefined,
    next: goals[0],
    later: goals.slice(1).map((g) => g.goal),
    output: obj.output === undefined ? null : obj.output,
  };
}
