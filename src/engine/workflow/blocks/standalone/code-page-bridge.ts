// The page operations a code block may ask for, run here on the real Playwright page. The code
// itself lives in a worker thread and only ever sends an operation name and JSON arguments, so
// nothing of this process (the page, its browser, Node) is reachable from it.
import type { Page } from 'playwright-core';
import { isWebUrl } from './goto-url.block.ts';

/** Upper bound for one page operation, whatever the code asks for. */
const MAX_OPERATION_MS = 60_000;

type Args = unknown[];
type Operation = (page: Page, args: Args) => Promise<unknown> | unknown;

const str = (args: Args, i: number, name: string): string => {
  const value = args[i];
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  return value;
};
const opts = (args: Args, i: number): Record<string, unknown> => {
  const value = args[i];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
};
const timeout = (o: Record<string, unknown>): number =>
  typeof o.timeout === 'number' && o.timeout > 0 ? Math.min(o.timeout, MAX_OPERATION_MS) : 30_000;

/**
 * Page functions arrive as source text. Playwright sends `String(fn)` to the browser, so a
 * do-nothing function whose toString returns the source is enough — the source is never compiled
 * in this process.
 */
function pageFunction(source: string): () => void {
  const fn = function pageFunctionFromCodeBlock() {};
  fn.toString = () => source;
  return fn;
}

/** `evaluate(fnOrExpression, arg)`: the worker sends {fn: source} for functions, {expr} for strings. */
function evaluate(page: Page, args: Args) {
  const target = opts(args, 0);
  if (typeof target.fn === 'string') return page.evaluate(pageFunction(target.fn), args[1]);
  return page.evaluate(str([target.expr], 0, 'expression'));
}

export const PAGE_OPERATIONS: Record<string, Operation> = {
  url: (page) => page.url(),
  title: (page) => page.title(),
  content: (page) => page.content(),
  goto: async (page, args) => {
    const o = opts(args, 1);
    const url = str(args, 0, 'url');
    if (!isWebUrl(url)) throw new Error(`page.goto only opens http(s) URLs, not ${url}`);
    const response = await page.goto(url, {
      timeout: timeout(o),
      waitUntil: ['load', 'domcontentloaded', 'networkidle', 'commit'].includes(o.waitUntil as string) ? (o.waitUntil as 'load') : 'load',
    });
    return { url: page.url(), status: response?.status() ?? null };
  },
  reload: async (page) => { await page.reload(); return null; },
  goBack: async (page) => { await page.goBack(); return null; },
  click: async (page, a) => { await page.click(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1)) }); return null; },
  fill: async (page, a) => { await page.fill(str(a, 0, 'selector'), str(a, 1, 'value'), { timeout: timeout(opts(a, 2)) }); return null; },
  type: async (page, a) => {
    await page.locator(str(a, 0, 'selector')).pressSequentially(str(a, 1, 'text'), { timeout: timeout(opts(a, 2)) });
    return null;
  },
  press: async (page, a) => { await page.press(str(a, 0, 'selector'), str(a, 1, 'key'), { timeout: timeout(opts(a, 2)) }); return null; },
  check: async (page, a) => { await page.check(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1)) }); return null; },
  uncheck: async (page, a) => { await page.uncheck(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1)) }); return null; },
  selectOption: (page, a) => {
    const values = a[1];
    const wanted = Array.isArray(values) ? values.map(String) : String(values);
    return page.selectOption(str(a, 0, 'selector'), wanted, { timeout: timeout(opts(a, 2)) });
  },
  textContent: (page, a) => page.textContent(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1)) }),
  innerText: (page, a) => page.innerText(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1)) }),
  innerHTML: (page, a) => page.innerHTML(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1)) }),
  getAttribute: (page, a) => page.getAttribute(str(a, 0, 'selector'), str(a, 1, 'name'), { timeout: timeout(opts(a, 2)) }),
  inputValue: (page, a) => page.inputValue(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1)) }),
  isVisible: (page, a) => page.isVisible(str(a, 0, 'selector')),
  isChecked: (page, a) => page.isChecked(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1)) }),
  count: (page, a) => page.locator(str(a, 0, 'selector')).count(),
  waitForSelector: async (page, a) => {
    const o = opts(a, 1);
    const state = ['attached', 'detached', 'visible', 'hidden'].includes(o.state as string) ? (o.state as 'visible') : 'visible';
    await page.waitForSelector(str(a, 0, 'selector'), { state, timeout: timeout(o) });
    return null;
  },
  waitForLoadState: async (page, a) => {
    const state = ['load', 'domcontentloaded', 'networkidle'].includes(a[0] as string) ? (a[0] as 'load') : 'load';
    await page.waitForLoadState(state, { timeout: timeout(opts(a, 1)) });
    return null;
  },
  waitForTimeout: async (page, a) => {
    await page.waitForTimeout(Math.min(Math.max(Number(a[0]) || 0, 0), MAX_OPERATION_MS));
    return null;
  },
  evaluate,
  $eval: (page, a) => page.$eval(str(a, 0, 'selector'), pageFunction(str(a, 1, 'function')), a[2]),
  $$eval: (page, a) => page.$$eval(str(a, 0, 'selector'), pageFunction(str(a, 1, 'function')), a[2]),
  screenshot: async (page, a) => (await page.screenshot({ fullPage: opts(a, 0).fullPage === true, type: 'png' })).toString('base64'),
  'keyboard.press': async (page, a) => { await page.keyboard.press(str(a, 0, 'key')); return null; },
  'keyboard.type': async (page, a) => { await page.keyboard.type(str(a, 0, 'text')); return null; },
};

/** Runs one operation; unknown names are refused. The result must be JSON data. */
export async function runPageOperation(page: Page, name: string, args: Args): Promise<unknown> {
  if (!Object.hasOwn(PAGE_OPERATIONS, name)) throw new Error(`page.${name} is not available in code blocks`);
  const result = await PAGE_OPERATIONS[name]!(page, args);
  return result === undefined ? null : result;
}
