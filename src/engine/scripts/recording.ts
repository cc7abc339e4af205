// Collects what the agent did successfully, as script material (see types.ts). run-actions.ts
// describes each element action's target before it runs (the element may be gone afterwards) and
// hands the pair here once the action succeeded.
import type { BrowserAction, TargetDescriptor } from '../../browser/index.ts';
import type { BlockRecording, RecordedAction } from './types.ts';

export interface SucceededAction {
  /** As the model wrote it, placeholders and all (never the real secret values). */
  action: BrowserAction;
  target?: TargetDescriptor;
  /** What the action's result says (a native select reports the option it picked). */
  data?: Record<string, unknown>;
  /** Path + query of the page the action led to, when it navigated. */
  navigatedTo?: string;
}

export class ActionRecording {
  private readonly actions: RecordedAction[] = [];
  private uncacheable?: string;

  add({ action, target, data, navigatedTo }: SucceededAction): void {
    if (this.uncacheable) return;
    const needTarget = (): TargetDescriptor | undefined => {
      if (target && target.strategies.length > 0) return target;
      this.uncacheable = `no stable way to find "${target?.summary ?? ('element_id' in action ? action.element_id : '?')}" again was found`;
      return undefined;
    };
    switch (action.action_type) {
      case 'goto_url': this.actions.push({ kind: 'goto', url: action.url }); return;
      case 'click':
      case 'download_file': {
        const t = needTarget();
        if (t) this.actions.push({ kind: 'click', target: t, ...(navigatedTo ? { navigatedTo } : {}) });
        return;
      }
      case 'input_text': {
        const t = needTarget();
        if (t) this.actions.push({ kind: 'fill', target: t, text: action.text });
        return;
      }
      case 'select_option': {
        const t = needTarget();
        if (!t) return;
        const selected = data?.selected as { label?: string; value?: string } | undefined;
        const requested = action.option.label ?? action.option.value ?? '';
        if (selected?.label !== undefined) {
          this.actions.push({ kind: 'select', target: t, label: selected.label, value: selected.value ?? selected.label, requested });
        } else {
          this.actions.push({ kind: 'pick', target: t, option: requested });
        }
        return;
      }
      case 'checkbox': {
        const t = needTarget();
        if (t) this.actions.push({ kind: 'check', target: t, checked: action.is_checked });
        return;
      }
      case 'keypress': {
        const t = action.element_id ? needTarget() : undefined;
        if (action.element_id && !t) return;
        this.actions.push({ kind: 'press', keys: action.keys, ...(t ? { target: t } : {}), ...(navigatedTo ? { navigatedTo } : {}) });
        return;
      }
      case 'upload_file':
        this.uncacheable = 'it uploads a file';
        return;
      case 'scroll': case 'hover': case 'wait':
        return; // Playwright scrolls, hovers and waits for its targets by itself
    }
  }

  /** The agent's `complete` quoted the page: the script checks the same words are there. */
  expectText(text: string): void {
    if (text.trim()) this.actions.push({ kind: 'expect_text', text: text.trim() });
  }

  markUncacheable(reason: string): void {
    this.uncacheable ??= reason;
  }

  snapshot(): BlockRecording {
    return { actions: compact(this.actions), ...(this.uncacheable ? { uncacheable: this.uncacheable } : {}) };
  }
}

/**
 * Drops what a replay need not repeat: a field filled again before anything else happened to the
 * page (the agent corrected its typing), and evidence checks other than the last one.
 */
export function compact(actions: RecordedAction[]): RecordedAction[] {
  const kept: RecordedAction[] = [];
  for (const action of actions) {
    const last = kept.at(-1);
    if (action.kind === 'fill' && last?.kind === 'fill' && sameTarget(last.target, action.target)) kept.pop();
    kept.push(action);
  }
  const lastExpect = kept.findLast((a) => a.kind === 'expect_text');
  return [...kept.filter((a) => a.kind !== 'expect_text'), ...(lastExpect ? [lastExpect] : [])];
}

const sameTarget = (a: TargetDescriptor, b: TargetDescriptor) => JSON.stringify(a) === JSON.stringify(b);
