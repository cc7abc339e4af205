import type { Locator } from 'playwright-core';
import { locateFrame } from '../scan/locate.ts';
import { portable } from '../portable-fn.ts';
import { ActionError, type ActionContext, type ActionOf, type ActionResult } from './types.ts';
import { elementFacts, requireElement, stepTimeout } from './element.ts';
import { clickWithFallbacks } from './click.ts';
import { findOptionInPage } from './find-option.ts';

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

async function selectNative(locator: Locator, want: WantedOption, timeout: number): Promise<ActionResult> {
  const options = await locator.evaluate((select) =>
    Array.from((select as HTMLSelectElement).options).map((o) => ({ label: (o.label || o.text).trim(), value: o.value })),
  );
  const index = pickOptionIndex(options, want);
  if (index === -1) {
    const available = options.slice(0, 30).map((o) => `"${o.label}"`).join(', ');
    throw new ActionError(`no option matches ${describeWanted(want)}; available options: ${available}`);
  }
  // Custom widgets often hide the native <select> they keep in sync; force still fires change events.
  await locator
    .selectOption({ index }, { timeout })
    .catch(() => locator.selectOption({ index }, { timeout, force: true }));
  return { success: true, data: { selected: options[index] } };
}

export async function selectOption(ctx: ActionContext, action: ActionOf<'select_option'>): Promise<ActionResult> {
  const timeout = stepTimeout(ctx);
  const page = ctx.session.page;
  const locator = await requireElement(ctx, action.element_id);
  const facts = await elementFacts(locator);
  if (facts.tag === 'select') return selectNative(locator, action.option, timeout);

  // The LLM picked the option itself (the list is already open): just click it.
  if (['option', 'menuitem', 'menuitemradio', 'treeitem'].includes(facts.role)) {
    const method = await clickWithFallbacks(page, locator, timeout);
    return { success: true, data: { method } };
  }

  const text = action.option.label ?? action.option.value;
  if (!text) throw new ActionError('a custom dropdown needs option.label (the visible text of the option)');
  const frame = await locateFrame(page, action.element_id);
  if (!frame) throw new ActionError(`element ${action.element_id} is not on the page any more`);

  if (facts.tag === 'input' || facts.editable) {
    // Autocomplete comboboxes filter as you type; typing also opens their list.
    await locator.fill('', { timeout }).catch(() => undefined);
    await locator.pressSequentially(text, { delay: 15, timeout: timeout + text.length * 50 });
  } else {
    await clickWithFallbacks(page, locator, timeout);
  }

  const marker = { markerAttribute: 'data-skyport-option-target', markerValue: String(Date.now()) };
  const finder = portable(findOptionInPage);
  const deadline = Date.now() + Math.max(timeout, 1000);
  let found: string | null = null;
  // Lists often appear after an animation or a network round trip: poll briefly.
  while (Date.now() < deadline) {
    found = await locator.evaluate(finder, { text, ...marker }, { timeout }).catch(() => null);
    if (found !== null) break;
    await page.waitForTimeout(200);
  }
  if (found === null) {
    throw new ActionError(`opened the dropdown but found no visible option with text "${text}"`);
  }
  const option = frame.locator(`[${marker.markerAttribute}="${marker.markerValue}"]`).first();
  try {
    const method = await clickWithFallbacks(page, option, timeout);
    return { success: true, data: { clicked: found, method } };
  } finally {
    await option
      .evaluate((el, name) => el.removeAttribute(name), marker.markerAttribute, { timeout: 500 })
      .catch(() => undefined);
  }
}
