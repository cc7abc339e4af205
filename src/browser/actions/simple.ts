import { ActionError, type ActionContext, type ActionOf, type ActionResult } from './types.ts';
import { requireElement, settle, stepTimeout, waitForQuietDom } from './element.ts';

const KEY_ALIASES: Record<string, string> = {
  ctrl: 'Control', control: 'Control', cmd: 'Meta', command: 'Meta', meta: 'Meta', win: 'Meta',
  alt: 'Alt', option: 'Alt', shift: 'Shift', enter: 'Enter', return: 'Enter', esc: 'Escape',
  escape: 'Escape', tab: 'Tab', space: 'Space', spacebar: 'Space', backspace: 'Backspace',
  delete: 'Delete', del: 'Delete', up: 'ArrowUp', down: 'ArrowDown', left: 'ArrowLeft',
  right: 'ArrowRight', arrowup: 'ArrowUp', arrowdown: 'ArrowDown', arrowleft: 'ArrowLeft',
  arrowright: 'ArrowRight', pageup: 'PageUp', pagedown: 'PageDown', home: 'Home', end: 'End',
  insert: 'Insert',
};

/** "ctrl+a" → "Control+a", "ENTER" → "Enter", "f5" → "F5": the names Playwright's keyboard expects. */
export function normalizeKey(key: string): string {
  const trimmed = key.trim();
  if (trimmed === '+' || trimmed === ' ') return trimmed === ' ' ? 'Space' : '+';
  return trimmed
    .split('+')
    .map((part) => part.trim())
    .map((part) => {
      const lower = part.toLowerCase();
      if (KEY_ALIASES[lower]) return KEY_ALIASES[lower];
      if (/^f\d{1,2}$/.test(lower)) return lower.toUpperCase();
      return part;
    })
    .join('+');
}

export async function pressKeys(ctx: ActionContext, action: ActionOf<'keypress'>): Promise<ActionResult> {
  const page = ctx.session.page;
  const keys = action.keys.map(normalizeKey);
  const locator = action.element_id ? await requireElement(ctx, action.element_id) : undefined;
  if (locator) await locator.focus({ timeout: stepTimeout(ctx) });
  for (const [index, key] of keys.entries()) {
    try {
      // On the element, Playwright's press waits for a navigation the key starts (Enter submitting
      // a form), as its click does. Only the first key: it would re-focus the element for every
      // key, while "Tab, Enter" means Enter where the Tab left the focus.
      await (locator && index === 0 ? locator.press(key, { timeout: stepTimeout(ctx) }) : page.keyboard.press(key));
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      throw new ActionError(/unknown key/i.test(message) ? `unknown key "${key}": ${message}` : `could not press "${key}": ${message}`);
    }
  }
  // Keys pressed on the page: give it a frame to react (and a navigation time to start).
  if (!locator || keys.length > 1) await waitForQuietDom(page, 100);
  await settle(ctx.session.page);
  return { success: true, data: { keys } };
}

export async function scroll(ctx: ActionContext, action: ActionOf<'scroll'>): Promise<ActionResult> {
  const sign = action.direction === 'down' ? 1 : -1;
  if (action.element_id) {
    const locator = await requireElement(ctx, action.element_id);
    // Scroll the element's nearest scrollable container (a list, a modal), else the window.
    const position = await locator.evaluate((el, dir) => {
      for (let node: Element | null = el; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (/(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight) {
          node.scrollBy(0, dir * node.clientHeight * 0.8);
          return { container: node.localName, top: Math.round(node.scrollTop) };
        }
      }
      el.scrollIntoView({ block: 'center' });
      window.scrollBy(0, dir * window.innerHeight * 0.8);
      return { container: 'window', top: Math.round(window.scrollY) };
    }, sign);
    return { success: true, data: position };
  }
  const position = await ctx.session.page.evaluate((dir) => {
    window.scrollBy(0, dir * window.innerHeight * 0.8);
    const max = document.documentElement.scrollHeight - window.innerHeight;
    return { top: Math.round(window.scrollY), atTop: window.scrollY <= 0, atBottom: window.scrollY >= max - 2 };
  }, sign);
  return { success: true, data: position };
}

export async function hover(ctx: ActionContext, action: ActionOf<'hover'>): Promise<ActionResult> {
  const locator = await requireElement(ctx, action.element_id);
  const timeout = stepTimeout(ctx);
  try {
    await locator.hover({ timeout });
  } catch {
    // Covered by something else: move the real mouse to where the element is drawn.
    await locator.scrollIntoViewIfNeeded({ timeout }).catch(() => undefined);
    const box = await locator.boundingBox({ timeout });
    if (!box) throw new ActionError('cannot hover: the element is not visible on screen');
    await ctx.session.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  }
  return { success: true };
}

export const MAX_WAIT_SECONDS = 60;

export async function wait(ctx: ActionContext, action: ActionOf<'wait'>): Promise<ActionResult> {
  const seconds = Math.min(Math.max(action.seconds, 0), MAX_WAIT_SECONDS);
  await ctx.session.page.waitForTimeout(seconds * 1000);
  return { success: true, data: { waitedSeconds: seconds } };
}

export async function gotoUrl(ctx: ActionContext, action: ActionOf<'goto_url'>): Promise<ActionResult> {
  const page = ctx.session.page;
  let url: URL;
  try {
    // Relative URLs resolve against the current page, as a link on it would.
    url = new URL(action.url, page.url() === 'about:blank' ? undefined : page.url());
  } catch {
    throw new ActionError(`not a valid URL: ${action.url}`);
  }
  if (!['http:', 'https:', 'file:', 'about:', 'data:'].includes(url.protocol)) {
    throw new ActionError(`unsupported URL scheme: ${url.protocol}`);
  }
  const response = await page.goto(url.href, { waitUntil: 'domcontentloaded', timeout: Math.max(stepTimeout(ctx) * 6, 30_000) });
  const data: Record<string, unknown> = { url: page.url() };
  if (response) data.status = response.status();
  return { success: true, data };
}
