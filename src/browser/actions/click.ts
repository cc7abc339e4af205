import type { Locator, Page } from 'playwright-core';
import { ActionError } from './types.ts';
import { errorMessage } from './element.ts';

export type ClickMethod = 'click' | 'label' | 'js' | 'mouse';

/** What a probe of the element already found out (see probe-in-page.ts), so no round trip repeats it. */
export interface ClickHints {
  visible?: boolean;
  /** In view, stable and hit-tested just now: Playwright's own actionability wait can be skipped. */
  clickable?: boolean;
}

/**
 * Clicks with escalating fallbacks, because real pages defeat a plain click in many ways:
 * overlays intercept it, the control is a hidden input styled through its <label>, or the
 * element is "not visible" to Playwright although a user can click it.
 * Returns the strategy that worked; throws ActionError listing every failure otherwise.
 */
export async function clickWithFallbacks(page: Page, locator: Locator, timeoutMs: number, hints: ClickHints = {}): Promise<ClickMethod> {
  const failures: string[] = [];
  // Skip the normal click for invisible elements: it would just wait out its timeout.
  // A probe that saw the element visible is trusted; "not visible" is confirmed by Playwright,
  // whose notion of visibility has corner cases (display: contents) the probe does not copy.
  const visible = hints.visible === true || (await locator.isVisible().catch(() => false));
  const attempts: Array<[ClickMethod, () => Promise<void>]> = [
    ['click', () => locator.click({ timeout: timeoutMs })],
    ['label', () => clickAssociatedLabel(locator, timeoutMs)],
    ['js', () => locator.evaluate((el) => (el as HTMLElement).click(), undefined, { timeout: timeoutMs })],
    ['mouse', () => clickAtCenter(page, locator, timeoutMs)],
  ];
  if (hints.clickable) {
    // The probe did the actionability checks a moment ago; `force` skips Playwright's repeat of
    // them (≈30 ms of animation frames and round trips) but still scrolls, clicks at the centre
    // and waits for a navigation the click starts. If it throws, the careful click is next.
    attempts.unshift(['click', () => locator.click({ timeout: timeoutMs, force: true })]);
  }
  for (const [method, attempt] of attempts) {
    if (method === 'click' && !visible) {
      failures.push('click: element is not visible');
      continue;
    }
    try {
      await attempt();
      return method;
    } catch (error) {
      // The click went out and only the wait after it (for a navigation it started) ran out: a
      // second strategy would click again, e.g. open the tab or send the form twice.
      if (method === 'click' && /click action done/.test(String(error))) return method;
      failures.push(`${method}: ${errorMessage(error)}`);
    }
  }
  throw new ActionError(`could not click the element (${failures.join('; ')})`);
}

async function clickAssociatedLabel(locator: Locator, timeoutMs: number): Promise<void> {
  const handle = await locator.evaluateHandle((el) => {
    const labels = (el as HTMLInputElement).labels;
    return (labels && labels.length > 0 ? labels[0] : el.closest('label')) ?? null;
  });
  const label = handle.asElement();
  if (!label) {
    await handle.dispose();
    throw new Error('no associated label');
  }
  try {
    await label.click({ timeout: timeoutMs });
  } finally {
    await label.dispose();
  }
}

async function clickAtCenter(page: Page, locator: Locator, timeoutMs: number): Promise<void> {
  await locator.scrollIntoViewIfNeeded({ timeout: timeoutMs }).catch(() => undefined);
  // boundingBox is relative to the main frame's viewport even for elements inside iframes.
  const box = await locator.boundingBox({ timeout: timeoutMs });
  if (!box || box.width === 0 || box.height === 0) throw new Error('element has no box on screen');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}
