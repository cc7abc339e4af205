import type { Locator } from 'playwright-core';
import { ActionError, type ActionContext, type ActionOf, type ActionResult } from './types.ts';
import { requireElement, stepTimeout } from './element.ts';
import { clickWithFallbacks } from './click.ts';

/** Checked state of a native checkbox/radio, an ARIA checkbox/switch, or a wrapper holding one. */
async function readChecked(locator: Locator): Promise<boolean | null> {
  return locator.evaluate((el) => {
    const native = el.matches('input[type=checkbox], input[type=radio]')
      ? (el as HTMLInputElement)
      : el.querySelector<HTMLInputElement>('input[type=checkbox], input[type=radio]');
    if (native) return native.checked;
    const aria = el.getAttribute('aria-checked') ?? el.getAttribute('aria-pressed');
    return aria === null ? null : aria === 'true';
  });
}

export async function setCheckbox(ctx: ActionContext, action: ActionOf<'checkbox'>): Promise<ActionResult> {
  const timeout = stepTimeout(ctx);
  const locator = await requireElement(ctx, action.element_id);
  const before = await readChecked(locator);
  if (before === action.is_checked) return { success: true, data: { checked: before, changed: false } };

  // A click toggles; for an element without any readable state, one click is all we can do.
  const method = await clickWithFallbacks(ctx.session.page, locator, timeout);
  let after = await readChecked(locator).catch(() => null);
  if (after !== null && after !== action.is_checked) {
    // Some widgets swallow the first click (focus) or a label click toggled twice; try once more.
    await locator.evaluate((el) => (el as HTMLElement).click(), undefined, { timeout });
    after = await readChecked(locator).catch(() => null);
  }
  if (after !== null && after !== action.is_checked) {
    throw new ActionError(`the checkbox is still ${after ? 'checked' : 'unchecked'} after clicking it`);
  }
  return { success: true, data: { checked: after ?? action.is_checked, changed: true, method } };
}
