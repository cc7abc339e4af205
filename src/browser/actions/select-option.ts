import { portable } from '../portable-fn.ts';
import { ActionError, type ActionContext, type ActionOf, type ActionResult } from './types.ts';
import { probeSelector, resolveTarget, stepTimeout, type Target } from './element.ts';
import { clickWithFallbacks } from './click.ts';
import { findOptionInPage, type FindOptionArgs } from './find-option.ts';

type WantedOption = ActionOf<'select_option'>['option'];

export interface NativeOption {
  label: string;
  value: string;
}

/**
 * Picks the option the LLM meant. Labels are what it reads in the serialized page, so they win;
 * then values, then loose label matches, then the index.
 */
export function pickOptionIndex(options: NativeOption[], want: WantedOption): number {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const find = (predicate: (o: NativeOption) => boolean) => options.findIndex(predicate);
  const label = want.label !== undefined ? norm(want.label) : undefined;
  const value = want.value;
  const tries: Array<() => number> = [
    () => (label !== undefined ? find((o) => norm(o.label) === label) : -1),
    () => (value !== undefined ? find((o) => o.value === value) : -1),
    () => (value !== undefined ? find((o) => norm(o.value) === norm(value) || norm(o.label) === norm(value)) : -1),
    () => (label ? find((o) => norm(o.label).includes(label) || (norm(o.label) !== '' && label.includes(norm(o.label)))) : -1),
    () => (want.index !== undefined && want.index < options.length ? want.index : -1),
  ];
  for (const attempt of tries) {
    const index = attempt();
    if (index !== -1) return index;
  }
  return -1;
}

function describeWanted(want: WantedOption): string {
  return JSON.stringify(want);
}

async function selectNative(target: Target, want: WantedOption, timeout: number): Promise<ActionResult> {
  const options = target.facts.options ?? [];
  const index = pickOptionIndex(options, want);
  if (index === -1) {
    const available = options.slice(0, 30).map((o) => `"${o.label}"`).join(', ');
    throw new ActionError(`no option matches ${describeWanted(want)}; available options: ${available}`);
  }
  // Custom widgets often hide the native <select> they keep in sync; force still fires change events.
  const { locator } = target;
  await locator
    .selectOption({ index }, { timeout })
    .catch(() => locator.selectOption({ index }, { timeout, force: true }));
  return { success: true, data: { selected: options[index] } };
}

const OPTION_MARKER = 'data-skyport-option-target';

/** `target`: the element, when the caller (input_text on a select) has already resolved it. */
export async function selectOption(ctx: ActionContext, action: ActionOf<'select_option'>, resolved?: Target): Promise<ActionResult> {
  const timeout = stepTimeout(ctx);
  const page = ctx.session.page;
  const target = resolved ?? (await resolveTarget(ctx, action.element_id, { clickCheck: true }));
  const { locator, facts, frame } = target;
  if (facts.tag === 'select') return selectNative(target, action.option, timeout);
  // The LLM picked the option itself (the list is already open): just click it.
  if (['option', 'menuitem', 'menuitemradio', 'treeitem'].includes(facts.role)) {
    const method = await clickWithFallbacks(page, locator, timeout, facts);
    return { success: true, data: { method } };
  }
  const text = action.option.label ?? action.option.value;
  if (!text) throw new ActionError('a custom dropdown needs option.label (the visible text of the option)');
  if (facts.tag === 'input' || facts.editable) {
    // Autocomplete comboboxes filter as you type; typing also opens their list.
    await locator.fill('', { timeout }).catch(() => undefined);
    await locator.pressSequentially(text, { delay: 15, timeout: timeout + text.length * 50 });
  } else {
    await clickWithFallbacks(page, locator, timeout, facts);
  }
  // Lists often appear after an animation or a network round trip: the page itself waits for the
  // option to show up (watching DOM changes), in one round trip, instead of polling from here.
  const markerValue = String(Date.now());
  const args: FindOptionArgs = { triggerSelector: target.selector, text, markerAttribute: OPTION_MARKER, markerValue, waitMs: Math.max(timeout, 1000) };
  const found = await frame.evaluate(portable(findOptionInPage), args).catch(() => null);
  if (found === null) {
    throw new ActionError(`opened the dropdown but found no visible option with text "${text}"`);
  }
  const selector = `[${OPTION_MARKER}="${markerValue}"]`;
  const option = frame.locator(selector).first();
  try {
    const hints = await probeSelector(frame, selector, { clickCheck: frame === page.mainFrame(), timeoutMs: timeout });
    const method = await clickWithFallbacks(page, option, timeout, hints ?? {});
    return { success: true, data: { clicked: found, method } };
  } finally {
    // Many lists remove their options once one is picked; evaluateAll does not wait for them.
    void frame.locator(selector).evaluateAll((els, name) => els.forEach((el) => el.removeAttribute(name)), OPTION_MARKER).catch(() => undefined);
  }
}
