// Loop detection: the same action proposed again on a page that has not changed since the last
// time it was tried. Before the limit the model is warned (Skyvern just burns steps); at the limit
// the run ends with a reason that names the action.
import type { AgentAction } from './actions.ts';

export class LoopGuard {
  private readonly counts = new Map<string, number>();

  constructor(private readonly threshold: number) {}

  /** The first action that would reach the limit if executed now on this page state, if any. */
  wouldLoop(fingerprint: string, actions: AgentAction[]): { action: AgentAction; times: number } | undefined {
    for (const action of actions) {
      const times = (this.counts.get(keyOf(fingerprint, action)) ?? 0) + 1;
      if (times >= this.threshold) return { action, times };
    }
    return undefined;
  }

  record(fingerprint: string, actions: AgentAction[]): void {
    for (const action of actions) {
      const key = keyOf(fingerprint, action);
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
  }

  /** Actions already tried at least twice on this page state: worth a warning in the next prompt. */
  repeated(fingerprint: string, actions: AgentAction[]): AgentAction[] {
    return actions.filter((a) => (this.counts.get(keyOf(fingerprint, a)) ?? 0) >= 2);
  }
}

/**
 * The action without its free-text reasoning: two clicks on e3 are the same action. Key order is
 * stable because normalizeAction builds every action in the same order.
 */
function keyOf(fingerprint: string, action: AgentAction): string {
  // A "complete" that keeps being rejected is a loop whatever data it claims.
  if (action.action_type === 'complete') return `${fingerprint}|complete`;
  const { reasoning: _ignored, ...rest } = action as AgentAction & { reasoning?: string };
  return `${fingerprint}|${JSON.stringify(rest)}`;
}
