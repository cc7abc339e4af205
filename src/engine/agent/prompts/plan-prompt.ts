// skyvern-2.0's planner: the task, what was done so far and the page → the remaining mini-goals
// (only the first one is run before planning again), or "achieved", or "terminate".
import { errorCodeLines, pageSection, renderSections, type Section } from './sections.ts';

export const PLAN_SYSTEM_PROMPT = `You plan a browser task for an agent that works on one small goal at a time. Given the user's task, what was done so far and the current page, decide what comes next.
Reply with JSON:
{"thoughts": "<brief reasoning>",
 "task_achieved": true|false,
 "should_terminate": true|false, "termination_reason": "<quote the page>" or null,
 "next_goals": [{"goal": "<a concrete mini-goal>", "kind": "navigate"|"extract"}],
 "output": <when task_achieved: what the task asks to report, or null>}
- task_achieved: everything the task asks is done, and any information it asks for is known.
- should_terminate: the task is impossible (e.g. the site refuses the user's data). Do not give up after one failed mini-goal; try another way.
- next_goals: the remaining work in order; only the first is run now, then you plan again. Each mini-goal must end on a recognizable page state and carry the user data it needs (e.g. "Sign in with username alice and password wonderland"). Use kind "extract" for reading data from the current page without acting. Never repeat a goal that is done.`;

export interface PlanRecord {
  goal: string;
  kind: string;
  status: string;
  reason?: string;
  data?: unknown;
}

export interface PlanPromptInput {
  task: string;
  errorCodes?: Record<string, string> | null;
  secrets: string[];
  done: PlanRecord[];
  pageText: string;
  round: number;
  maxRounds: number;
  stepsLeft: number;
}

export function buildPlanPrompt(input: PlanPromptInput): { system: string; prompt: string } {
  const done = input.done.map((r, i) => {
    const detail = r.reason ? `: ${r.reason}` : '';
    const data = r.data !== undefined && r.data !== null ? ` → data ${JSON.stringify(r.data).slice(0, 1500)}` : '';
    return `${i + 1}. [${r.status}${detail}] (${r.kind}) ${r.goal}${data}`;
  });
  const codes = errorCodeLines(input.errorCodes);
  const sections: Section[] = [
    ['TASK', input.task],
    ['ERROR CODES', codes && ['Codes the user defined (name the matching code in termination_reason):', ...codes.slice(1)]],
    ['SECRETS', input.secrets.length > 0 && input.secrets],
    ['DONE SO FAR', done.length ? done : '(nothing yet)'],
    ...pageSection(input.pageText),
    ['STATUS', `Planning round ${input.round} of at most ${input.maxRounds}; ${input.stepsLeft} browser steps left.`],
  ];
  return { system: PLAN_SYSTEM_PROMPT, prompt: renderSections(sections) };
}
