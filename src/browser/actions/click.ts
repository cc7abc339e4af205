import type { Locator, Page } from 'playwright-core';
import { ActionError } from './types.ts';
import { errorMessage } from './element.ts';

export type ClickMethod = 'click' | 'label' | 'js' | 'mouse';

/**
 * Clicks with escalating fallbacks, because real pages defeat a plain click in many ways:
 * overlays intercept it, the control is a hidden input styled through its <label>, or the
 * element is "not visible" to Playwright although a user can click it.
 * Returns the strategy that worked; throws ActionError listing every failure otherwise.
 */
export async function clickWithFallbacks(page: Page, locator: Locator, timeoutMs: number): Promise<ClickMethod> {
  const failures: string[] = [];
  // Skip the normal click for invisible elements: it would just wait out its timeout.
  const visible = await locator.isVisible().catch(() => false);
  const attempts: Array<[ClickMethod, () => Promise<void>]> = [
    ['click', () => locator.click({ timeout: timeoutMs })],
    ['label', () => clickAssociatedLabel(locator, timeoutMs)],
    ['js', () => locator.evaluate((el) => (el as HTMLElement).click(), undefined, { timeout: timeoutMs })],
    ['mouse', () => clickAtCenter(page, locator, timeoutMs)],
  ];
  for (const [method, attempt] of attempts) {
    if (method === 'click' && !visible) {
      failures.push('click: element is not visible');
      continue;
    }
    try {
      await attempt();
      return method;
    } catch (error) {
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
