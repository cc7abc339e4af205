import type { Locator, Page } from 'playwright-core';
import { locateElement } from '../scan/locate.ts';
import { ActionError, type ActionContext } from './types.ts';

export const DEFAULT_STEP_TIMEOUT_MS = 5000;

export function stepTimeout(ctx: ActionContext): number {
  return ctx.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
}

export async function requireElement(ctx: ActionContext, elementId: string): Promise<Locator> {
  const locator = await locateElement(ctx.session.page, elementId);
  if (!locator) {
    throw new ActionError(`element ${elementId} is not on the page any more (the page may have changed); use an ID from the latest page scan`);
  }
  return locator;
}

/** Facts about an element needed to choose a strategy, fetched in one round trip. */
export interface ElementFacts {
  tag: string;
  type: string;
  role: string;
  editable: boolean;
}

export async function elementFacts(locator: Locator): Promise<ElementFacts> {
  return locator.evaluate((el) => ({
    tag: el.localName,
    type: el.localName === 'input' ? (el as HTMLInputElement).type : '',
    role: el.getAttribute('role') ?? '',
    editable: (el as HTMLElement).isContentEditable,
  }));
}

/**
 * Gives the page a moment to react to an action: a navigation or a new tab may have started.
 * Never fails — a slow page is the next scan's problem, not this action's.
 */
export async function settle(page: Page, timeoutMs = 3000): Promise<void> {
  // Two animation frames let click handlers run and the DOM repaint; the 100 ms cap covers a page
  // whose frames are throttled. (A fixed sleep cost every action its full length.)
  await page.evaluate(() => Promise.race([
    new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
    new Promise<void>((resolve) => setTimeout(resolve, 100)),
  ])).catch(() => undefined);
  await page.waitForLoadState('domcontentloaded', { timeout: timeoutMs }).catch(() => undefined);
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Playwright errors carry a long call log; the first line is what the LLM needs.
  return message.split('\n')[0]!.slice(0, 500);
}
