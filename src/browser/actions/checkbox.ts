import { ActionError, type ActionContext, type ActionOf, type ActionResult } from './types.ts';
import { probeSelector, resolveTarget, stepTimeout } from './element.ts';
import { clickWithFallbacks } from './click.ts';

/**
 * Sets a native checkbox/radio, an ARIA checkbox/switch, or a wrapper holding one. The probe
 * reads the checked state (native input, one inside the element, or aria-checked/aria-pressed).
 */
export async function setCheckbox(ctx: ActionContext, action: ActionOf<'checkbox'>): Promise<ActionResult> {
  const timeout = stepTimeout(ctx);
  const target = await resolveTarget(ctx, action.element_id, { clickCheck: true });
  const { locator, facts } = target;
  const readChecked = async () => (await probeSelector(target.frame, target.selector, { clickCheck: false, timeoutMs: timeout }).catch(() => null))?.checked ?? null;
  const before = facts.checked;
  if (before === action.is_checked) return { success: true, data: { checked: before, changed: false } };
  // A click toggles; for an element without any readable state, one click is all we can do.
  const method = await clickWithFallbacks(ctx.session.page, locator, timeout, facts);
  let after = await readChecked();
  if (after !== null && after !== action.is_checked) {
    // Some widgets swallow the first click (focus) or a label click toggled twice; try once more.
    await locator.evaluate((el) => (el as HTMLElement).click(), undefined, { timeout });
    after = await readChecked();
  }
  if (after !== null && after !== action.is_checked) {
    throw new ActionError(`the checkbox is still ${after ? 'checked' : 'unchecked'} after clicking it`);
  }
  return { success: true, data: { checked: after ?? action.is_checked, changed: true, method } };
}
