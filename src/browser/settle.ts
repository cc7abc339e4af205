// Waits until the page is ready to be looked at: what the last action set off has finished.
// Real signals, bounded in time: the document parsed, no awaited request in flight, the DOM
// without changes for a short window, and nothing that says "still working" (an empty body, a
// "Loading…" page, aria-busy, a disabled "Placing order…" button). A real model takes seconds to
// answer, so deciding on a half-updated page costs far more than these few hundred milliseconds.
import type { Page } from 'playwright-core';
import { portable } from './portable-fn.ts';
import type { PageSession } from './session.ts';

export interface SettleOptions {
  /** The DOM and the network must both have been quiet this long. */
  quietMs?: number;
  /** Give up waiting after this long; the page is then taken as it is. */
  capMs?: number;
  /** A canceled run stops waiting at once. */
  signal?: AbortSignal;
}

export interface SettleResult {
  waitedMs: number;
  /** Set when the cap was reached while the page still looked busy: what it showed. */
  stillBusy?: string;
}

export const DEFAULT_QUIET_MS = 150;
export const DEFAULT_SETTLE_CAP_MS = 8_000;

export async function settlePage(session: PageSession, opts: SettleOptions = {}): Promise<SettleResult> {
  const quietMs = opts.quietMs ?? DEFAULT_QUIET_MS;
  const started = performance.now();
  const deadline = started + (opts.capMs ?? DEFAULT_SETTLE_CAP_MS);
  const left = () => (opts.signal?.aborted ? 0 : Math.max(0, deadline - performance.now()));
  const wait = (promise: Promise<unknown>) => untilAborted(promise, opts.signal);
  let busy: string | undefined;
  while (left() > 0) {
    const page = session.page;
    await page.waitForLoadState('domcontentloaded', { timeout: left() }).catch(() => undefined);
    const seen = await wait(quietDom(page, quietMs, left())) as Awaited<ReturnType<typeof quietDom>> | undefined;
    if (!seen) break;
    if (seen === 'navigated') continue;
    busy = seen.busy;
    if (session.network.pending() > 0) {
      await wait(session.network.whenIdle(left()));
      continue;
    }
    const networkQuiet = session.network.quietForMs();
    if (networkQuiet < quietMs) {
      await wait(sleep(Math.min(quietMs - networkQuiet, left())));
      continue;
    }
    if (busy) {
      await wait(sleep(Math.min(100, left())));
      continue;
    }
    return { waitedMs: Math.round(performance.now() - started) };
  }
  return { waitedMs: Math.round(performance.now() - started), ...(busy ? { stillBusy: busy } : {}) };
}

async function quietDom(page: Page, quietMs: number, capMs: number): Promise<{ busy?: string } | 'navigated'> {
  try {
    const busy = await page.evaluate(portable(quietDomInPage), { quietMs, capMs });
    return busy ? { busy } : {};
  } catch (error) {
    // The document was replaced while we watched it: watch the new one.
    if (/context was destroyed|navigat|Target .*closed/i.test(String(error)) && !page.isClosed()) return 'navigated';
    return {};
  }
}

/** In the page: resolves when no DOM change happened for `quietMs` (capped), with what still looks busy. */
function quietDomInPage(args: { quietMs: number; capMs: number }): Promise<string | null> {
  const busyReason = (): string | null => {
    if (document.readyState === 'loading') return 'the page is still loading';
    const body = document.body;
    const text = (body?.innerText ?? '').replace(/\s+/g, ' ').trim();
    if (!text && !body?.querySelector('input, button, select, textarea, a[href], img, canvas, iframe, video')) return 'the page is empty';
    if (/^(loading|please wait|one moment)\b[ .…]*$/i.test(text)) return `the page shows "${text.slice(0, 40)}"`;
    for (const el of Array.from(document.querySelectorAll('[aria-busy="true"]'))) {
      if ((el as HTMLElement).offsetParent !== null || el === document.body) return 'a part of the page is marked busy';
    }
    for (const el of Array.from(document.querySelectorAll('button:disabled, input[type=submit]:disabled, [role=button][aria-disabled="true"]'))) {
      const label = ((el as HTMLElement).innerText || (el as HTMLInputElement).value || '').trim();
      if (/(…|\.\.\.)$/.test(label) && (el as HTMLElement).offsetParent !== null) return `the button "${label.slice(0, 40)}" is still working`;
    }
    return null;
  };
  return new Promise((resolve) => {
    let lastChange = performance.now();
    const observer = new MutationObserver((records) => {
      // Inline-style churn (animations, carousels) is not a change of content.
      if (records.some((r) => r.type !== 'attributes' || r.attributeName !== 'style')) lastChange = performance.now();
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    const started = performance.now();
    const tick = () => {
      const now = performance.now();
      if (now - lastChange >= args.quietMs || now - started >= args.capMs) {
        observer.disconnect();
        resolve(busyReason());
        return;
      }
      setTimeout(tick, Math.min(50, args.quietMs));
    };
    setTimeout(tick, Math.min(50, args.quietMs));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The promise's value, or undefined as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
