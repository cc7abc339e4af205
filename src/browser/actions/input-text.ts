import type { Locator } from 'playwright-core';
import { ActionError, type ActionContext, type ActionOf, type ActionResult } from './types.ts';
import { elementFacts, probeSelector, resolveTarget, stepTimeout, type Target } from './element.ts';
import { clickWithFallbacks } from './click.ts';
import { NATIVE_DATE_TYPES, toNativeInputValue } from './dates.ts';
import { selectOption } from './select-option.ts';

/** Phone/credit-card masks reformat input; compare ignoring punctuation and case. */
function sameText(a: string, b: string): boolean {
  const simplify = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  return a === b || simplify(a) === simplify(b);
}

/** The field's current value (or text, for contenteditable). */
async function readValue(locator: Locator): Promise<string> {
  return locator.evaluate((el) =>
    (el as HTMLElement).isContentEditable ? (el as HTMLElement).innerText : ((el as HTMLInputElement).value ?? ''),
  );
}

/** Reads back a scanned field in one round trip (a locator read costs three). */
function valueReader(ctx: ActionContext, target: Target): () => Promise<string> {
  return async () => {
    const probe = await probeSelector(target.frame, target.selector, { clickCheck: false, timeoutMs: stepTimeout(ctx) });
    if (!probe) throw new ActionError('the field disappeared after typing');
    return probe.value ?? '';
  };
}

export async function inputText(ctx: ActionContext, action: ActionOf<'input_text'>): Promise<ActionResult> {
  const timeout = stepTimeout(ctx);
  const target = await resolveTarget(ctx, action.element_id);
  const { locator, facts } = target;

  // LLMs often "type" into a select; treat it as choosing the option with that text.
  if (facts.tag === 'select' || (facts.role === 'combobox' && facts.tag !== 'input')) {
    return selectOption(ctx, { action_type: 'select_option', element_id: action.element_id, option: { label: action.text } }, target);
  }
  if (facts.tag !== 'input' && facts.tag !== 'textarea' && !facts.editable) {
    // A wrapper was chosen: type into the editable thing inside it, if there is exactly one.
    const inner = locator.locator('input:not([type=hidden]), textarea, [contenteditable=""], [contenteditable=true]');
    if ((await inner.count()) !== 1) throw new ActionError(`element ${action.element_id} (${facts.tag}) is not a text field`);
    const field = inner.first();
    return inputIntoField(ctx, field, action.text, await elementFacts(field), () => readValue(field));
  }
  const read = valueReader(ctx, target);
  if (facts.tag === 'input' && NATIVE_DATE_TYPES.includes(facts.type)) {
    const value = toNativeInputValue(facts.type, action.text);
    await locator.fill(value, { timeout });
    const actual = await read();
    if (actual !== value) throw new ActionError(`the ${facts.type} field did not accept "${action.text}" (tried "${value}")`);
    return { success: true, data: { value: actual } };
  }
  // Some widgets only become editable once clicked; a failed click is fine, fill() decides.
  if (facts.disabled || facts.readOnly) {
    await clickWithFallbacks(ctx.session.page, locator, timeout, facts).catch(() => undefined);
  }
  // Visible, enabled and writable a moment ago: fill() need not re-check that first.
  const ready = facts.visible && !facts.disabled && !facts.readOnly;
  return inputIntoField(ctx, locator, action.text, facts, read, ready);
}

async function inputIntoField(
  ctx: ActionContext,
  locator: Locator,
  text: string,
  facts: { tag: string; type: string },
  read: () => Promise<string>,
  ready = false,
): Promise<ActionResult> {
  const timeout = stepTimeout(ctx);
  let method = 'fill';
  try {
    // A forced fill that fails (e.g. the field was just replaced) gets the waiting one.
    await (ready ? locator.fill(text, { timeout, force: true }).catch(() => locator.fill(text, { timeout })) : locator.fill(text, { timeout }));
  } catch {
    method = 'type';
  }
  let actual = await read().catch(() => '');
  if (method === 'type' || !sameText(actual, text)) {
    // Typing key by key fires the events that autocompletes and masked inputs listen for.
    method = 'type';
    await locator.fill('', { timeout }).catch(() => locator.press('ControlOrMeta+A', { timeout }));
    await locator.pressSequentially(text, { delay: 15, timeout: timeout + text.length * 50 });
    actual = await read().catch(() => '');
  }
  if (text !== '' && actual === '') {
    throw new ActionError(`typed "${text}" but the ${facts.tag} stayed empty (it may be read-only or replaced by a widget)`);
  }
  const data: Record<string, unknown> = { method, value: facts.type === 'password' ? '********' : actual };
  if (!sameText(actual, text)) data.note = `the field shows "${actual}" instead of the text typed`;
  return { success: true, data };
}
