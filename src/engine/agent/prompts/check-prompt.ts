// The independent completion check: a separate call that sees only the goal, the actions taken
// and the page as it is now, and decides whether the goal is achieved. The acting model's own
// "complete" counts only when this check agrees.
import { pageSection, renderSections, type Section } from './sections.ts';

export const CHECK_SYSTEM_PROMPT = `You verify a browser agent's work. Given the user's goal and the page the browser shows now, decide whether the goal is fully achieved.
Judge by the page: a form that still shows errors or was not submitted, or a flow that has not reached its final confirmation, is not achieved. A goal that asks for information is achieved only when that information is on the page (or was already saved).
Reply with JSON: {"thoughts": "<what on the page proves or disproves it>", "user_goal_achieved": true|false, "output": <the information the goal asks to report, copied from the page, or null>}`;

export interface CheckPromptInput {
  goal: string;
  parentGoal?: string;
  actions: string[];
  notes: string[];
  pageText: string;
}

export function buildCheckPrompt(input: CheckPromptInput): { system: string; prompt: string } {
  const sections: Section[] = [
    ['GOAL', input.goal],
    ['OVERALL TASK', input.parentGoal && `(context only; judge just the goal above) ${input.parentGoal}`],
    ['ACTIONS TAKEN', input.actions],
    ['NOTES', input.notes.map((n) => `- ${n}`)],
    ...pageSection(input.pageText),
  ];
  return { system: CHECK_SYSTEM_PROMPT, prompt: renderSections(sections) };
}
