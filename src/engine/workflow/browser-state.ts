// `persist_browser_session`: the browser state (cookies, and localStorage per origin) a completed
// run leaves, carried into the next run of the same workflow. Playwright's `storageState()`
// format; seeded into an already-open context (the run's browser is opened by the worker).
import type { BrowserContext } from 'playwright-core';

export interface StoredBrowserState {
  cookies?: Parameters<BrowserContext['addCookies']>[0];
  origins?: { origin: string; localStorage?: { name: string; value: string }[] }[];
}

export async function captureBrowserState(context: BrowserContext): Promise<StoredBrowserState> {
  return (await context.storageState()) as StoredBrowserState;
}

/**
 * Cookies are added directly. localStorage can only be written from a page of its origin, so an
 * init script fills in the saved keys when a page of that origin loads — only keys the page does
 * not have yet, so a site that changes or clears a value later in the run keeps its own value.
 */
export async function seedBrowserState(context: BrowserContext, state: StoredBrowserState | undefined | null): Promise<void> {
  if (!state) return;
  if (state.cookies?.length) await context.addCookies(state.cookies);
  const origins = (state.origins ?? []).filter((o) => o.localStorage?.length);
  if (origins.length === 0) return;
  const data = JSON.stringify(origins.map((o) => ({ origin: o.origin, items: o.localStorage })));
  await context.addInitScript({
    content: `(() => { try {
      const saved = ${data}.find((o) => o.origin === location.origin);
      if (!saved) return;
      for (const { name, value } of saved.items) if (localStorage.getItem(name) === null) localStorage.setItem(name, value);
    } catch (e) { /* storage disabled for this page */ } })();`,
  });
}
