import type { Frame, Locator, Page } from 'playwright-core';
import { locateFrame, normalizeElementId } from '../scan/locate.ts';
import { ELEMENT_ID_ATTRIBUTE } from '../scan/types.ts';
import { portable } from '../portable-fn.ts';
import { ActionError, type ActionContext } from './types.ts';
import { probeInPage, type ElementProbe } from './probe-in-page.ts';

export type { ElementProbe } from './probe-in-page.ts';

export const DEFAULT_STEP_TIMEOUT_MS = 5000;

export function stepTimeout(ctx: ActionContext): number {
  return ctx.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
}

/** An action's element: a Locator for Playwright's input methods plus what the probe found out. */
export interface Target {
  locator: Locator;
  frame: Frame;
  selector: string;
  facts: ElementProbe;
}

/**
 * Finds a scanned element and probes it in one round trip (see probe-in-page.ts).
 * `clickCheck` also makes the element ready for a click that skips Playwright's actionability wait;
 * it is only done in the main frame, where the hit test covers everything drawn over the element.
 */
export async function resolveTarget(ctx: ActionContext, elementId: string, opts: { clickCheck?: boolean } = {}): Promise<Target> {
  const id = normalizeElementId(elementId);
  const frame = id ? await locateFrame(ctx.session.page, id) : null;
  const missing = () => new ActionError(`element ${elementId} is not on the page any more (the page may have changed); use an ID from the latest page scan`);
  if (!id || !frame) throw missing();
  const selector = `[${ELEMENT_ID_ATTRIBUTE}="${id}"]`;
  const facts = await probeSelector(frame, selector, { clickCheck: !!opts.clickCheck && frame === ctx.session.page.mainFrame(), timeoutMs: stepTimeout(ctx) });
  if (!facts) throw missing();
  // A script click or fill would still reach it, doing what no person could (e.g. submit a form under a modal).
  if (facts.blocked) throw new ActionError(`element ${elementId} is behind an open dialog (the page around the dialog is inert); close or answer the dialog first`);
  return { locator: frame.locator(selector).first(), frame, selector, facts };
}

/** The probe for any selector in a frame (e.g. a dropdown option marked in the page); null if absent. */
export async function probeSelector(frame: Frame, selector: string, opts: { clickCheck: boolean; timeoutMs: number }): Promise<ElementProbe | null> {
  const args = { selector, clickCheck: opts.clickCheck, frameTimeoutMs: 100 };
  const run = () => withTimeout(frame.evaluate(portable(probeInPage), args), opts.timeoutMs);
  try {
    return await run();
  } catch (error) {
    // A navigation replaced the document under us: the element may be gone, or there again.
    if (!/context was destroyed|navigat/i.test(String(error))) throw error;
    await frame.waitForLoadState('domcontentloaded', { timeout: opts.timeoutMs }).catch(() => undefined);
    return run().catch(() => null);
  }
}

export async function requireElement(ctx: ActionContext, elementId: string): Promise<Locator> {
  return (await resolveTarget(ctx, elementId)).locator;
}

/** Facts about an element needed to choose a strategy, fetched in one round trip. */
export interface ElementFacts {
  tag: string;
  type: string;
  role: string;
  editable: boolean;
}

/** For elements without a scan ID (e.g. the field inside a wrapper the LLM picked). */
export async function elementFacts(locator: Locator): Promise<ElementFacts> {
  return locator.evaluate((el) => ({
    tag: el.localName,
    type: el.localName === 'input' ? (el as HTMLInputElement).type : '',
    role: el.getAttribute('role') ?? '',
    editable: (el as HTMLElement).isContentEditable,
  }));
}

/**
 * After an action that may have navigated: wait for the active page's document to be parsed.
 * Navigations a click or key press starts are already awaited by Playwright (it waits for them
 * to commit); this only adds the wait for DOMContentLoaded, and costs one cheap call otherwise.
 * Never fails — a slow page is the next scan's problem, not this action's.
 */
export async function settle(page: Page, timeoutMs = 3000): Promise<void> {
  await page.waitForLoadState('domcontentloaded', { timeout: timeoutMs }).catch(() => undefined);
}

/**
 * Lets the page react to the actions of a step before it is looked at again: resolves at the first
 * animation frame in which the DOM did not change (so a list being rendered, a validation message
 * or a spinner swap is seen finished), or after `capMs` on pages that never stop changing.
 * Inline-style changes are ignored: animations and carousels rewrite them every frame.
 * One round trip; a page that navigates away simply ends the wait.
 */
export async function waitForQuietDom(page: Page, capMs = 100): Promise<void> {
  await page.evaluate(portable(quietDomInPage), capMs).catch(() => undefined);
}

function quietDomInPage(capMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    let changed = false;
    const observer = new MutationObserver((records) => {
      if (records.some((r) => r.type !== 'attributes' || r.attributeName !== 'style')) changed = true;
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    const cap = setTimeout(() => done(), capMs);
    const done = () => {
      observer.disconnect();
      clearTimeout(cap);
      resolve();
    };
    const nextFrame = (): void => {
      requestAnimationFrame(() => {
        if (!changed) return done();
        changed = false;
        nextFrame();
      });
    };
    nextFrame();
  });
}

/**
 * Playwright compiles its helper script into a document the first time a locator touches it
 * (30–70 ms on a busy machine), so the first action on every new page paid for it. Starting a
 * harmless locator call in each frame right after the page is scanned moves that cost into the
 * time the model spends thinking. Fire-and-forget: failures do not matter.
 */
export function prepareForActions(page: Page): void {
  for (const frame of page.frames()) {
    if (!frame.isDetached()) void frame.locator(':root').count().catch(() => undefined);
  }
}

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Playwright errors carry a long call log; the first line is what the LLM needs.
  return message.split('\n')[0]!.slice(0, 500);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ActionError(`the page did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
