// What the agent did so far, rendered compactly for the next prompt: one line per action with its
// outcome. Skyvern shows only the previous step as JSON; a few recent steps as short lines cost
// fewer tokens and let the model see that it is repeating itself.
import type { AgentAction } from './actions.ts';
import { describeElement, elementById, type PageView } from './perceive.ts';

export interface ActionOutcome {
  action: AgentAction;
  success: boolean;
  error?: string;
  /** Not executed (an earlier action failed, or the page changed under it). */
  skipped?: string;
  data?: Record<string, unknown>;
  /** Time the browser spent on it. */
  ms?: number;
}

interface StepLines {
  order: number;
  page: string;
  lines: string[];
}

const SHOWN_STEPS = 6;

export class StepHistory {
  private readonly steps: StepLines[] = [];

  add(order: number, view: PageView, outcomes: ActionOutcome[], extra: string[] = []): void {
    const lines = outcomes.map((o) => describeOutcome(o, view));
    this.steps.push({ order, page: pageLabel(view.scan.url), lines: [...lines, ...extra] });
  }

  /** Adds a line to the latest step (e.g. the checker's verdict, which arrives after the actions). */
  note(line: string): void {
    this.steps.at(-1)?.lines.push(line);
  }

  get length(): number {
    return this.steps.length;
  }

  render(): string[] {
    const older = this.steps.length - SHOWN_STEPS;
    const out = older > 0 ? [`(${older} earlier step${older === 1 ? '' : 's'} not shown)`] : [];
    for (const step of this.steps.slice(-SHOWN_STEPS)) {
      out.push(`Step ${step.order + 1} on ${step.page}:`);
      for (const line of step.lines.length ? step.lines : ['(no action)']) out.push(`  - ${line}`);
    }
    return out;
  }
}

export function describeAction(action: AgentAction, view: PageView): string {
  const id = 'element_id' in action ? action.element_id : undefined;
  const target = id ? ` [${id}] ${describeElement(elementById(view, id))}`.trimEnd() : '';
  switch (action.action_type) {
    case 'input_text': return `input_text${target} = ${JSON.stringify(action.text)}`;
    case 'select_option': return `select_option${target} = ${JSON.stringify(action.option)}`;
    case 'checkbox': return `checkbox${target} = ${action.is_checked}`;
    case 'keypress': return `keypress ${action.keys.join('+')}${target}`;
    case 'scroll': return `scroll ${action.direction}${target}`;
    case 'wait': return `wait ${action.seconds}s`;
    case 'goto_url': return `goto_url ${action.url}`;
    case 'upload_file': return `upload_file${target} ${action.file_url}`;
    case 'terminate': return `terminate: ${action.reason}`;
    case 'solve_captcha': return `solve_captcha ${action.captcha_type ?? ''}`.trimEnd();
    default: return `${action.action_type}${target}`;
  }
}

function describeOutcome(o: ActionOutcome, view: PageView): string {
  const what = describeAction(o.action, view);
  if (o.skipped) return `${what} → skipped (${o.skipped})`;
  if (!o.success) return `${what} → FAILED: ${o.error ?? 'unknown error'}`;
  const notes: string[] = [];
  if (typeof o.data?.newPage === 'string') notes.push(`opened a new tab ${pageLabel(o.data.newPage)}; you are on it now`);
  if (o.action.action_type === 'download_file' && typeof o.data?.fileName === 'string') notes.push(`saved ${o.data.fileName}`);
  return `${what} → ok${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** Path and query of a URL: enough to tell pages apart without repeating the host every line. */
export function pageLabel(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol.startsWith('http') ? `${u.pathname}${u.search}` : url;
  } catch {
    return url;
  }
}
