// The page operations sandboxed code may ask for (code blocks and script modules), run here on the
// real Playwright page. The code itself lives in a child process and only ever sends an operation
// name and JSON arguments, so nothing of this process (the page, its browser, Node) is reachable
// from it. Three kinds of request:
// - `{op: 'click', args}` … the selector-based page operations of PAGE_OPERATIONS;
// - `{op: 'locator.<action>', chain, args}`: a Playwright locator described as a JSON chain of
//   steps (`[{s: 'getByRole', a: ['button', {name: 'Save'}]}, {s: 'first', a: []}]`), rebuilt here
//   through an allowlist of step names, then one allowlisted action on it;
// - `{op: 'expect', args: [target, matcher, isNot, matcherArgs]}`: a web-first assertion, polled
//   here until it passes or its timeout runs out.
// RegExp arguments travel as {$regexp: {source, flags}} and locator arguments (or(), has…) as
// {$locator: chain}. A user's RegExp is never executed in this process (a catastrophic pattern
// would block the server): Playwright turns it into selector text for the browser, and the
// assertions below test it inside the browser page.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { isWebUrl } from './goto-url.block.ts';
import { describeNavigationError, refusedNavigation } from '../../../../net/browser-routing.ts';
import { assertOutboundUrl } from '../../../../net/outbound.ts';

/** Upper bound for one page operation, whatever the code asks for. */
export const MAX_OPERATION_MS = 60_000;
/** Default for navigation (goto, waitForURL, waitForLoadState). */
const NAVIGATION_TIMEOUT_MS = 30_000;
const MAX_CHAIN_STEPS = 40;
const MAX_LOCATOR_NESTING = 4;
/** Steps of one request, nested locators (or(), has…) included: nesting multiplies selector text. */
const MAX_TOTAL_STEPS = 200;
const EXPECT_POLL_MS = 100;
/** Time one assertion sample may take to read a property of an element it has already counted. */
const SAMPLE_READ_MS = 1000;

export interface BridgeOptions {
  /**
   * Default timeout (ms) of element actions and assertions when the call gives none; capped by
   * MAX_OPERATION_MS. Code blocks keep Playwright's 30 s; scripts pass their step timeout, so a
   * missing element fails fast.
   */
  actionTimeoutMs?: number;
  /** Stops assertion and URL polling when the run ends. */
  signal?: AbortSignal;
  /**
   * Turns secret tokens into real values right before Playwright types or selects them (fill,
   * type, pressSequentially, press, selectOption, keyboard.*). Identity when absent.
   */
  reveal?: (text: string) => string | Promise<string>;
}

interface Env { actionTimeoutMs: number; signal?: AbortSignal; reveal: (text: string) => string | Promise<string> }

export interface PageOperationRequest { op: string; args?: unknown[]; chain?: unknown }

type Args = unknown[];
type Operation = (page: Page, args: Args, env: Env) => Promise<unknown> | unknown;

const str = (args: Args, i: number, name: string): string => {
  const value = args[i];
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  return value;
};
const opts = (args: Args, i: number): Record<string, unknown> => {
  const value = args[i];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
};
const clampTimeout = (ms: number) => Math.min(Math.max(ms, 1), MAX_OPERATION_MS);
/** The call's own `timeout` option, else the default; never more than MAX_OPERATION_MS. */
const timeout = (o: Record<string, unknown>, fallback = 30_000): number =>
  clampTimeout(typeof o.timeout === 'number' && o.timeout > 0 ? o.timeout : fallback);

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

/** `evaluate(fnOrExpression, arg)`: the child sends {fn: source} for functions, {expr} for strings. */
function evaluate(page: Page, args: Args) {
  const target = opts(args, 0);
  if (typeof target.fn === 'string') return page.evaluate(pageFunction(target.fn), args[1]);
  return page.evaluate(str([target.expr], 0, 'expression'));
}

// ---- option cleaning: only known option names with the right types reach Playwright ----

type OptionKind = 'string' | 'number' | 'boolean' | 'strings' | 'point';
function pick(o: Record<string, unknown>, spec: Record<string, OptionKind>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(spec)) {
    const value = o[key];
    if (value === undefined || value === null) continue;
    const ok =
      kind === 'strings' ? Array.isArray(value) && value.every((v) => typeof v === 'string') :
      kind === 'point' ? !!value && typeof value === 'object' && typeof (value as { x?: unknown }).x === 'number' && typeof (value as { y?: unknown }).y === 'number' :
      typeof value === kind;
    if (!ok) throw new TypeError(`option ${key} must be ${kind === 'strings' ? 'an array of strings' : kind === 'point' ? 'an {x, y} point' : `a ${kind}`}`);
    out[key] = kind === 'number' && key === 'delay' ? Math.min(Math.max(value as number, 0), 1000) : kind === 'point' ? { x: (value as { x: number }).x, y: (value as { y: number }).y } : value;
  }
  return out;
}
const CLICK_OPTIONS: Record<string, OptionKind> = { button: 'string', clickCount: 'number', delay: 'number', force: 'boolean', modifiers: 'strings', position: 'point', trial: 'boolean', noWaitAfter: 'boolean' };
const HOVER_OPTIONS: Record<string, OptionKind> = { force: 'boolean', modifiers: 'strings', position: 'point', trial: 'boolean', noWaitAfter: 'boolean' };
const CHECK_OPTIONS: Record<string, OptionKind> = { force: 'boolean', position: 'point', trial: 'boolean', noWaitAfter: 'boolean' };
const FILL_OPTIONS: Record<string, OptionKind> = { force: 'boolean', noWaitAfter: 'boolean' };
const TYPE_OPTIONS: Record<string, OptionKind> = { delay: 'number', noWaitAfter: 'boolean' };

/** selectOption values: strings (secret tokens revealed), {value, label, index}, or an array of those. */
async function selectValues(values: unknown, reveal: Env['reveal']): Promise<string | string[] | Array<{ value?: string; label?: string; index?: number }>> {
  const one = async (v: unknown): Promise<string | { value?: string; label?: string; index?: number }> => {
    if (typeof v === 'string') return reveal(v);
    if (typeof v === 'number') return String(v);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const out: { value?: string; label?: string; index?: number } = {};
      if (typeof o.value === 'string') out.value = await reveal(o.value);
      if (typeof o.label === 'string') out.label = await reveal(o.label);
      if (typeof o.index === 'number') out.index = o.index;
      if (Object.keys(out).length === 0) throw new TypeError('selectOption wants a value, label or index');
      return out;
    }
    throw new TypeError('selectOption values must be strings or {value, label, index} objects');
  };
  if (Array.isArray(values)) return (await Promise.all(values.map(one))) as string[];
  const single = await one(values);
  return typeof single === 'string' ? single : [single];
}

export const PAGE_OPERATIONS: Record<string, Operation> = {
  url: (page) => page.url(),
  title: (page) => page.title(),
  content: (page) => page.content(),
  goto: async (page, args) => {
    const o = opts(args, 1);
    const url = str(args, 0, 'url');
    if (!isWebUrl(url)) throw new Error(`page.goto only opens http(s) URLs, not ${url}`);
    await assertOutboundUrl(url, 'page.goto');
    const response = await page.goto(url, {
      timeout: timeout(o, NAVIGATION_TIMEOUT_MS),
      waitUntil: ['load', 'domcontentloaded', 'networkidle', 'commit'].includes(o.waitUntil as string) ? (o.waitUntil as 'load') : 'load',
    }).catch((error: unknown) => {
      // A redirect to a refused host: the policy's reason, not net::ERR_BLOCKED_BY_CLIENT.
      if (/ERR_BLOCKED_BY_CLIENT|ERR_TUNNEL_CONNECTION_FAILED/.test(String((error as Error)?.message))) throw new Error(describeNavigationError(page, error, url));
      throw error;
    });
    const refused = await refusedNavigation(response);
    if (refused) throw new Error(refused);
    return { url: page.url(), status: response?.status() ?? null };
  },
  reload: async (page) => { await page.reload(); return null; },
  goBack: async (page) => { await page.goBack(); return null; },
  click: async (page, a, e) => { await page.click(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1), e.actionTimeoutMs) }); return null; },
  fill: async (page, a, e) => { await page.fill(str(a, 0, 'selector'), await e.reveal(str(a, 1, 'value')), { timeout: timeout(opts(a, 2), e.actionTimeoutMs) }); return null; },
  type: async (page, a, e) => {
    await page.locator(str(a, 0, 'selector')).pressSequentially(await e.reveal(str(a, 1, 'text')), { timeout: timeout(opts(a, 2), e.actionTimeoutMs) });
    return null;
  },
  press: async (page, a, e) => { await page.press(str(a, 0, 'selector'), await e.reveal(str(a, 1, 'key')), { timeout: timeout(opts(a, 2), e.actionTimeoutMs) }); return null; },
  check: async (page, a, e) => { await page.check(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1), e.actionTimeoutMs) }); return null; },
  uncheck: async (page, a, e) => { await page.uncheck(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1), e.actionTimeoutMs) }); return null; },
  selectOption: async (page, a, e) =>
    page.selectOption(str(a, 0, 'selector'), await selectValues(a[1], e.reveal), { timeout: timeout(opts(a, 2), e.actionTimeoutMs) }),
  textContent: (page, a, e) => page.textContent(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1), e.actionTimeoutMs) }),
  innerText: (page, a, e) => page.innerText(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1), e.actionTimeoutMs) }),
  innerHTML: (page, a, e) => page.innerHTML(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1), e.actionTimeoutMs) }),
  getAttribute: (page, a, e) => page.getAttribute(str(a, 0, 'selector'), str(a, 1, 'name'), { timeout: timeout(opts(a, 2), e.actionTimeoutMs) }),
  inputValue: (page, a, e) => page.inputValue(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1), e.actionTimeoutMs) }),
  isVisible: (page, a) => page.isVisible(str(a, 0, 'selector')),
  isChecked: (page, a, e) => page.isChecked(str(a, 0, 'selector'), { timeout: timeout(opts(a, 1), e.actionTimeoutMs) }),
  count: (page, a) => page.locator(str(a, 0, 'selector')).count(),
  waitForSelector: async (page, a, e) => {
    const o = opts(a, 1);
    const state = ['attached', 'detached', 'visible', 'hidden'].includes(o.state as string) ? (o.state as 'visible') : 'visible';
    await page.waitForSelector(str(a, 0, 'selector'), { state, timeout: timeout(o, e.actionTimeoutMs) });
    return null;
  },
  waitForLoadState: async (page, a) => {
    const state = ['load', 'domcontentloaded', 'networkidle'].includes(a[0] as string) ? (a[0] as 'load') : 'load';
    await page.waitForLoadState(state, { timeout: timeout(opts(a, 1), NAVIGATION_TIMEOUT_MS) });
    return null;
  },
  waitForURL: (page, a, e) => waitForUrl(page, a, e),
  waitForTimeout: async (page, a) => {
    await page.waitForTimeout(Math.min(Math.max(Number(a[0]) || 0, 0), MAX_OPERATION_MS));
    return null;
  },
  evaluate,
  $eval: (page, a) => page.$eval(str(a, 0, 'selector'), pageFunction(str(a, 1, 'function')), a[2]),
  $$eval: (page, a) => page.$$eval(str(a, 0, 'selector'), pageFunction(str(a, 1, 'function')), a[2]),
  screenshot: async (page, a) => (await page.screenshot({ fullPage: opts(a, 0).fullPage === true, type: 'png' })).toString('base64'),
  'keyboard.press': async (page, a, e) => { await page.keyboard.press(await e.reveal(str(a, 0, 'key'))); return null; },
  'keyboard.type': async (page, a, e) => { await page.keyboard.type(await e.reveal(str(a, 0, 'text'))); return null; },
};

/** Runs one operation; unknown names are refused. The result must be JSON data. */
export async function runPageOperation(page: Page, request: PageOperationRequest, options: BridgeOptions = {}): Promise<unknown> {
  const env: Env = {
    actionTimeoutMs: clampTimeout(options.actionTimeoutMs ?? 30_000),
    signal: options.signal,
    reveal: options.reveal ?? ((s) => s),
  };
  const name = String(request.op);
  const args = Array.isArray(request.args) ? request.args : [];
  let result: unknown;
  if (name.startsWith('locator.')) {
    const action = name.slice('locator.'.length);
    if (!Object.hasOwn(LOCATOR_ACTIONS, action)) throw new Error(`locator.${action}() is not available in the sandbox`);
    const locator = asLocator(buildLocator(page, request.chain), 'an action');
    result = await LOCATOR_ACTIONS[action]!(locator, args, env);
  } else if (name === 'expect') {
    result = await runExpect(page, args, env);
  } else {
    if (!Object.hasOwn(PAGE_OPERATIONS, name)) throw new Error(`page.${name.slice(0, 60)}() is not available in the sandbox`);
    result = await PAGE_OPERATIONS[name]!(page, args, env);
  }
  return result === undefined ? null : result;
}

// ---- locator chains ----

type Built = { kind: 'page'; value: Page } | { kind: 'locator'; value: Locator } | { kind: 'frame'; value: FrameLocator };
/** What Page, Locator and FrameLocator have in common. */
type Finder = Pick<Locator, 'locator' | 'getByRole' | 'getByLabel' | 'getByPlaceholder' | 'getByText' | 'getByTestId' | 'getByTitle' | 'getByAltText' | 'frameLocator'>;
type TextArg = string | RegExp;

const FINDER_STEPS = new Set(['locator', 'getByRole', 'getByLabel', 'getByPlaceholder', 'getByText', 'getByTestId', 'getByTitle', 'getByAltText', 'frameLocator']);
const LOCATOR_STEPS = new Set(['or', 'and', 'first', 'last', 'nth', 'filter', 'visible', 'contentFrame']);
const FRAME_STEPS = new Set(['first', 'last', 'nth', 'owner']);
/** Every step name a chain may use (for error messages and tests). */
export const LOCATOR_STEP_NAMES: readonly string[] = [...new Set([...FINDER_STEPS, ...LOCATOR_STEPS, ...FRAME_STEPS])];

/** A RegExp travels as {$regexp: {source, flags}}; it is rebuilt but never run here. */
function toRegExp(value: unknown): RegExp | undefined {
  if (!value || typeof value !== 'object' || !('$regexp' in value)) return undefined;
  const { source, flags } = (value as { $regexp: { source?: unknown; flags?: unknown } }).$regexp ?? {};
  if (typeof source !== 'string' || source.length > 2000) throw new TypeError('a regular expression argument is malformed or too long');
  const f = typeof flags === 'string' ? flags : '';
  if (!/^[dgimsuyv]*$/.test(f)) throw new TypeError(`regular expression flags "${f}" are not allowed`);
  return new RegExp(source, f);
}
function textArg(value: unknown, what: string): TextArg {
  if (typeof value === 'string') return value;
  const re = toRegExp(value);
  if (re) return re;
  throw new TypeError(`${what} must be a string or a RegExp`);
}
const optionalText = (value: unknown, what: string): TextArg | undefined => (value === undefined || value === null ? undefined : textArg(value, what));

interface Budget { steps: number }

function nestedLocator(page: Page, value: unknown, depth: number, what: string, budget: Budget): Locator {
  if (!value || typeof value !== 'object' || !('$locator' in value)) throw new TypeError(`${what} must be a locator`);
  if (depth >= MAX_LOCATOR_NESTING) throw new Error(`locators are nested more than ${MAX_LOCATOR_NESTING} deep`);
  return asLocator(buildLocator(page, (value as { $locator: unknown }).$locator, depth + 1, budget), what);
}

function filterOptions(page: Page, o: Record<string, unknown>, depth: number, budget: Budget) {
  const out: { hasText?: TextArg; hasNotText?: TextArg; has?: Locator; hasNot?: Locator; visible?: boolean } = {};
  const hasText = optionalText(o.hasText, 'hasText');
  const hasNotText = optionalText(o.hasNotText, 'hasNotText');
  if (hasText !== undefined) out.hasText = hasText;
  if (hasNotText !== undefined) out.hasNotText = hasNotText;
  if (o.has != null) out.has = nestedLocator(page, o.has, depth, 'has', budget);
  if (o.hasNot != null) out.hasNot = nestedLocator(page, o.hasNot, depth, 'hasNot', budget);
  if (typeof o.visible === 'boolean') out.visible = o.visible;
  return out;
}
const exactOption = (o: Record<string, unknown>) => (typeof o.exact === 'boolean' ? { exact: o.exact } : {});
const ROLE_BOOLEANS = ['checked', 'disabled', 'exact', 'expanded', 'includeHidden', 'pressed', 'selected'] as const;

function applyStep(page: Page, base: Built, name: string, args: Args, depth: number, budget: Budget): Built {
  if (FINDER_STEPS.has(name)) {
    const finder = base.value as unknown as Finder;
    switch (name) {
      case 'locator': {
        const o = opts(args, 1);
        const target = typeof args[0] === 'string' ? args[0] : nestedLocator(page, args[0], depth, 'locator()', budget);
        const options = filterOptions(page, o, depth, budget);
        delete options.visible;
        return { kind: 'locator', value: finder.locator(target, options) };
      }
      case 'getByRole': {
        const o = opts(args, 1);
        const options: Record<string, unknown> = {};
        for (const key of ROLE_BOOLEANS) if (typeof o[key] === 'boolean') options[key] = o[key];
        if (typeof o.level === 'number') options.level = o.level;
        const label = optionalText(o.name, 'name');
        if (label !== undefined) options.name = label;
        const role = str(args, 0, 'role');
        if (!/^[a-z]{1,40}$/i.test(role)) throw new TypeError(`"${role.slice(0, 40)}" is not an ARIA role`);
        return { kind: 'locator', value: finder.getByRole(role as 'button', options) };
      }
      case 'getByTestId': return { kind: 'locator', value: finder.getByTestId(textArg(args[0], 'test id')) };
      case 'frameLocator': return { kind: 'frame', value: finder.frameLocator(str(args, 0, 'frame selector')) };
      default: {
        const method = name as 'getByLabel' | 'getByPlaceholder' | 'getByText' | 'getByTitle' | 'getByAltText';
        return { kind: 'locator', value: finder[method](textArg(args[0], 'text'), exactOption(opts(args, 1))) };
      }
    }
  }
  if (base.kind === 'locator' && LOCATOR_STEPS.has(name)) {
    const loc = base.value;
    switch (name) {
      case 'or': return { kind: 'locator', value: loc.or(nestedLocator(page, args[0], depth, 'or()', budget)) };
      case 'and': return { kind: 'locator', value: loc.and(nestedLocator(page, args[0], depth, 'and()', budget)) };
      case 'first': return { kind: 'locator', value: loc.first() };
      case 'last': return { kind: 'locator', value: loc.last() };
      case 'nth': return { kind: 'locator', value: loc.nth(integer(args[0], 'nth()')) };
      case 'filter': return { kind: 'locator', value: loc.filter(filterOptions(page, opts(args, 0), depth, budget)) };
      case 'visible': return { kind: 'locator', value: loc.filter({ visible: typeof opts(args, 0).visible === 'boolean' ? (opts(args, 0).visible as boolean) : true }) };
      case 'contentFrame': return { kind: 'frame', value: loc.contentFrame() };
    }
  }
  if (base.kind === 'frame' && FRAME_STEPS.has(name)) {
    const frame = base.value;
    switch (name) {
      case 'first': return { kind: 'frame', value: frame.first() };
      case 'last': return { kind: 'frame', value: frame.last() };
      case 'nth': return { kind: 'frame', value: frame.nth(integer(args[0], 'nth()')) };
      case 'owner': return { kind: 'locator', value: frame.owner() };
    }
  }
  const on = base.kind === 'page' ? 'the page' : base.kind === 'frame' ? 'a frame locator' : 'a locator';
  if (LOCATOR_STEP_NAMES.includes(name)) throw new Error(`locator step "${name}" cannot be used on ${on}`);
  throw new Error(`locator step "${name.slice(0, 60)}" is not allowed (allowed: ${LOCATOR_STEP_NAMES.join(', ')})`);
}

function integer(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${what} wants an integer`);
  return value;
}

/** Rebuilds a Playwright locator (or frame locator) from the chain the sandbox sent. */
export function buildLocator(page: Page, chain: unknown, depth = 0, budget: Budget = { steps: 0 }): Built {
  if (!Array.isArray(chain) || chain.length === 0) throw new TypeError('a locator must be described by a non-empty chain of steps');
  if (chain.length > MAX_CHAIN_STEPS) throw new Error(`a locator chain may have at most ${MAX_CHAIN_STEPS} steps`);
  budget.steps += chain.length;
  if (budget.steps > MAX_TOTAL_STEPS) throw new Error(`a locator may have at most ${MAX_TOTAL_STEPS} steps, nested locators included`);
  let built: Built = { kind: 'page', value: page };
  for (const step of chain) {
    const { s, a } = (step && typeof step === 'object' ? step : {}) as { s?: unknown; a?: unknown };
    if (typeof s !== 'string') throw new TypeError('a locator step has no name');
    built = applyStep(page, built, s, Array.isArray(a) ? a : [], depth, budget);
  }
  return built;
}

function asLocator(built: Built, what: string): Locator {
  if (built.kind !== 'locator') throw new TypeError(`${what} needs a locator, not ${built.kind === 'frame' ? 'a frame locator' : 'the page'}`);
  return built.value;
}

// ---- locator actions ----

type LocatorAction = (locator: Locator, args: Args, env: Env) => Promise<unknown>;
const t = (a: Args, i: number, e: Env) => timeout(opts(a, i), e.actionTimeoutMs);
const done = async (p: Promise<unknown>) => { await p; return null; };

export const LOCATOR_ACTIONS: Record<string, LocatorAction> = {
  click: (l, a, e) => done(l.click({ ...pick(opts(a, 0), CLICK_OPTIONS), timeout: t(a, 0, e) })),
  dblclick: (l, a, e) => done(l.dblclick({ ...pick(opts(a, 0), CLICK_OPTIONS), timeout: t(a, 0, e) })),
  hover: (l, a, e) => done(l.hover({ ...pick(opts(a, 0), HOVER_OPTIONS), timeout: t(a, 0, e) })),
  focus: (l, a, e) => done(l.focus({ timeout: t(a, 0, e) })),
  blur: (l, a, e) => done(l.blur({ timeout: t(a, 0, e) })),
  clear: (l, a, e) => done(l.clear({ ...pick(opts(a, 0), FILL_OPTIONS), timeout: t(a, 0, e) })),
  fill: async (l, a, e) => done(l.fill(await e.reveal(str(a, 0, 'value')), { ...pick(opts(a, 1), FILL_OPTIONS), timeout: t(a, 1, e) })),
  press: async (l, a, e) => done(l.press(await e.reveal(str(a, 0, 'key')), { ...pick(opts(a, 1), TYPE_OPTIONS), timeout: t(a, 1, e) })),
  pressSequentially: async (l, a, e) => done(l.pressSequentially(await e.reveal(str(a, 0, 'text')), { ...pick(opts(a, 1), TYPE_OPTIONS), timeout: t(a, 1, e) })),
  type: async (l, a, e) => done(l.pressSequentially(await e.reveal(str(a, 0, 'text')), { ...pick(opts(a, 1), TYPE_OPTIONS), timeout: t(a, 1, e) })),
  check: (l, a, e) => done(l.check({ ...pick(opts(a, 0), CHECK_OPTIONS), timeout: t(a, 0, e) })),
  uncheck: (l, a, e) => done(l.uncheck({ ...pick(opts(a, 0), CHECK_OPTIONS), timeout: t(a, 0, e) })),
  setChecked: (l, a, e) => {
    if (typeof a[0] !== 'boolean') throw new TypeError('setChecked wants true or false');
    return done(l.setChecked(a[0], { ...pick(opts(a, 1), CHECK_OPTIONS), timeout: t(a, 1, e) }));
  },
  selectOption: async (l, a, e) => l.selectOption(await selectValues(a[0], e.reveal), { ...pick(opts(a, 1), FILL_OPTIONS), timeout: t(a, 1, e) }),
  scrollIntoViewIfNeeded: (l, a, e) => done(l.scrollIntoViewIfNeeded({ timeout: t(a, 0, e) })),
  textContent: (l, a, e) => l.textContent({ timeout: t(a, 0, e) }),
  innerText: (l, a, e) => l.innerText({ timeout: t(a, 0, e) }),
  innerHTML: (l, a, e) => l.innerHTML({ timeout: t(a, 0, e) }),
  inputValue: (l, a, e) => l.inputValue({ timeout: t(a, 0, e) }),
  getAttribute: (l, a, e) => l.getAttribute(str(a, 0, 'name'), { timeout: t(a, 1, e) }),
  isVisible: (l) => l.isVisible(),
  isHidden: (l) => l.isHidden(),
  isEnabled: (l, a, e) => l.isEnabled({ timeout: t(a, 0, e) }),
  isDisabled: (l, a, e) => l.isDisabled({ timeout: t(a, 0, e) }),
  isChecked: (l, a, e) => l.isChecked({ timeout: t(a, 0, e) }),
  isEditable: (l, a, e) => l.isEditable({ timeout: t(a, 0, e) }),
  count: (l) => l.count(),
  waitFor: (l, a, e) => {
    const o = opts(a, 0);
    const state = ['attached', 'detached', 'visible', 'hidden'].includes(o.state as string) ? (o.state as 'visible') : 'visible';
    return done(l.waitFor({ state, timeout: t(a, 0, e) }));
  },
  allInnerTexts: (l) => l.allInnerTexts(),
  allTextContents: (l) => l.allTextContents(),
  boundingBox: (l, a, e) => l.boundingBox({ timeout: t(a, 0, e) }),
  evaluate: (l, a, e) => l.evaluate(pageFunction(str(a, 0, 'function')), a[1], { timeout: t(a, 2, e) }),
  evaluateAll: (l, a) => l.evaluateAll(pageFunction(str(a, 0, 'function')), a[1]),
};

// ---- waitForURL ----

type UrlPattern = { exact: string } | { regexp: { source: string; flags: string } };

/** Playwright's glob: `**` any characters, `*` any but `/`, `{a,b}` alternatives; the rest literal. */
function globToRegExpSource(glob: string): string {
  let out = '^';
  let inGroup = false;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') { out += '.*'; i++; } else out += '[^/]*';
    } else if (c === '{') { inGroup = true; out += '('; }
    else if (c === '}' && inGroup) { inGroup = false; out += ')'; }
    else if (c === ',' && inGroup) out += '|';
    else out += /[\\^$.|?+()[\]{}]/.test(c) ? `\\${c}` : c;
  }
  return `${out}$`;
}

function urlPattern(value: unknown): UrlPattern {
  if (typeof value === 'string') {
    if (!/[*{]/.test(value)) return { exact: value };
    return { regexp: { source: globToRegExpSource(value), flags: '' } };
  }
  const re = toRegExp(value);
  if (!re) throw new TypeError('waitForURL wants a URL string, a glob or a RegExp');
  return { regexp: { source: re.source, flags: re.flags } };
}

/** Tests a user's RegExp inside the browser page, never in this process. */
async function regexpMatches(page: Page, text: string, pattern: { source: string; flags: string }): Promise<boolean> {
  return page.evaluate(
    ({ text: subject, source, flags }) => new RegExp(source, flags.replace(/[gy]/g, '')).test(subject),
    { text, source: pattern.source, flags: pattern.flags },
  );
}

async function urlMatches(page: Page, pattern: UrlPattern): Promise<boolean> {
  const url = page.url();
  return 'exact' in pattern ? url === pattern.exact : regexpMatches(page, url, pattern.regexp);
}

async function waitForUrl(page: Page, args: Args, env: Env): Promise<null> {
  const pattern = urlPattern(args[0]);
  const o = opts(args, 1);
  const deadline = Date.now() + timeout(o, NAVIGATION_TIMEOUT_MS);
  for (;;) {
    env.signal?.throwIfAborted();
    const remaining = deadline - Date.now();
    if (await withDeadline(urlMatches(page, pattern), Math.max(remaining, 200)).catch(() => false)) break;
    if (Date.now() >= deadline) throw new Error(`page.waitForURL: Timeout ${timeout(o, NAVIGATION_TIMEOUT_MS)}ms exceeded waiting for ${describeValue(args[0])} (at ${page.url()})`);
    await delay(Math.min(EXPECT_POLL_MS, Math.max(deadline - Date.now(), 0)));
  }
  const waitUntil = ['load', 'domcontentloaded', 'networkidle', 'commit'].includes(o.waitUntil as string) ? (o.waitUntil as string) : 'load';
  if (waitUntil !== 'commit') await page.waitForLoadState(waitUntil as 'load', { timeout: Math.max(deadline - Date.now(), 1000) });
  return null;
}

// ---- expect ----

interface Sample {
  /** Whether the element/page has the property; undefined when it could not be told (no element…). */
  matches: boolean | undefined;
  received: string;
  /** Errors that retrying cannot fix (strict mode violation). */
  fatal?: string;
}

interface MatcherSpec { expected: string; options: Record<string, unknown>; sample(remainingMs: number): Promise<Sample> }

const NOT_FOUND = '<element(s) not found>';
const quote = (s: string, max = 120) => JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
const normalizeSpace = (s: string) => s.replace(/[\u200b\s]+/g, ' ').trim();
const patternText = (p: TextArg) => (typeof p === 'string' ? quote(p) : String(p));

async function textMatches(page: Page, received: string, expected: TextArg, mode: 'contain' | 'equal' | 'exact', ignoreCase: boolean): Promise<boolean> {
  if (typeof expected !== 'string') {
    const flags = ignoreCase && !expected.flags.includes('i') ? `${expected.flags}i` : expected.flags;
    return regexpMatches(page, received, { source: expected.source, flags });
  }
  let have = mode === 'exact' ? received : normalizeSpace(received);
  let want = mode === 'exact' ? expected : normalizeSpace(expected);
  if (ignoreCase) { have = have.toLowerCase(); want = want.toLowerCase(); }
  return mode === 'contain' ? have.includes(want) : have === want;
}

/** Count first (never waits), so a missing element is told apart from a property that is false. */
async function single(locator: Locator, describe: string): Promise<{ missing: true } | { missing: false; fatal?: string }> {
  const n = await locator.count();
  if (n === 0) return { missing: true };
  if (n > 1) return { missing: false, fatal: `strict mode violation: ${describe} resolved to ${n} elements` };
  return { missing: false };
}

function locatorMatcher(page: Page, locator: Locator, describe: string, matcher: string, a: Args): MatcherSpec {
  // The element is there (counted first), so reading it is quick; a floor keeps the last sample
  // before the deadline from failing on a too-short timeout.
  const short = (_remaining: number) => ({ timeout: SAMPLE_READ_MS });
  /** Sample one element's value, then compare. */
  const valueOf = (expected: string, options: Record<string, unknown>, read: (remaining: number) => Promise<string | null>, compare: (value: string | null) => Promise<boolean> | boolean, shown = (v: string) => v): MatcherSpec => ({
    expected, options,
    async sample(remaining) {
      const one = await single(locator, describe);
      if (one.missing) return { matches: undefined, received: NOT_FOUND };
      if (one.fatal) return { matches: undefined, received: '', fatal: one.fatal };
      const value = await read(remaining);
      return { matches: await compare(value), received: value === null ? 'null' : quote(shown(value)) };
    },
  });
  const state = (expected: string, read: (remaining: number) => Promise<boolean>): MatcherSpec => ({
    expected, options: opts(a, 0),
    async sample(remaining) {
      const one = await single(locator, describe);
      if (one.missing) return { matches: undefined, received: NOT_FOUND };
      if (one.fatal) return { matches: undefined, received: '', fatal: one.fatal };
      const value = await read(remaining);
      return { matches: value, received: value ? expected : `not ${expected}` };
    },
  });
  switch (matcher) {
    case 'toBeVisible':
    case 'toBeHidden': {
      const wantVisible = matcher === 'toBeVisible';
      return {
        expected: wantVisible ? 'visible' : 'hidden', options: opts(a, 0),
        async sample() {
          const one = await single(locator, describe);
          if (!one.missing && one.fatal) return { matches: undefined, received: '', fatal: one.fatal };
          // No element counts as hidden (Playwright: toBeHidden and not.toBeVisible pass).
          const visible = one.missing ? false : await locator.isVisible();
          return { matches: wantVisible ? visible : !visible, received: one.missing ? NOT_FOUND : visible ? 'visible' : 'hidden' };
        },
      };
    }
    case 'toBeChecked': {
      const o = opts(a, 0);
      const want = o.checked !== false;
      return state(want ? 'checked' : 'unchecked', async (r) => (await locator.isChecked(short(r))) === want);
    }
    case 'toBeEnabled': return state('enabled', (r) => locator.isEnabled(short(r)));
    case 'toBeDisabled': return state('disabled', (r) => locator.isDisabled(short(r)));
    case 'toBeEditable': return state('editable', (r) => locator.isEditable(short(r)));
    case 'toBeFocused': return state('focused', (r) => locator.evaluate((el) => el === (el.getRootNode() as Document | ShadowRoot).activeElement, undefined, short(r)));
    case 'toHaveCount': {
      const want = integer(a[0], 'toHaveCount');
      return { expected: String(want), options: opts(a, 1), async sample() { const n = await locator.count(); return { matches: n === want, received: String(n) }; } };
    }
    case 'toContainText':
    case 'toHaveText': {
      const expected = textArg(a[0], `${matcher} expected value`);
      const o = opts(a, 1);
      const mode = matcher === 'toContainText' ? 'contain' : 'equal';
      const ignoreCase = o.ignoreCase === true;
      return valueOf(patternText(expected), o,
        (r) => (o.useInnerText === true ? locator.innerText(short(r)) : locator.textContent(short(r))),
        (v) => textMatches(page, v ?? '', expected, mode, ignoreCase), normalizeSpace);
    }
    case 'toHaveValue': {
      const expected = textArg(a[0], 'toHaveValue expected value');
      return valueOf(patternText(expected), opts(a, 1), (r) => locator.inputValue(short(r)), (v) => textMatches(page, v ?? '', expected, 'exact', false));
    }
    case 'toHaveAttribute': {
      const name = str(a, 0, 'attribute name');
      const hasValue = typeof a[1] === 'string' || toRegExp(a[1]) !== undefined;
      const expected = hasValue ? textArg(a[1], 'toHaveAttribute expected value') : undefined;
      const o = opts(a, hasValue ? 2 : 1);
      return valueOf(expected === undefined ? `attribute ${quote(name)}` : `${name}=${patternText(expected)}`, o,
        (r) => locator.getAttribute(name, short(r)),
        (v) => (v === null ? false : expected === undefined ? true : textMatches(page, v, expected, 'exact', o.ignoreCase === true)));
    }
    default:
      throw new Error(`expect(locator).${matcher.slice(0, 60)}() is not available in the sandbox`);
  }
}

function pageMatcher(page: Page, matcher: string, a: Args): MatcherSpec {
  // Checked before the arguments, so an unknown matcher is named as such.
  if (matcher !== 'toHaveURL' && matcher !== 'toHaveTitle') throw new Error(`expect(page).${matcher.slice(0, 60)}() is not available in the sandbox`);
  const expected = textArg(a[0], `${matcher} expected value`);
  const o = opts(a, 1);
  const ignoreCase = o.ignoreCase === true;
  switch (matcher) {
    case 'toHaveURL':
      return { expected: patternText(expected), options: o, async sample() { const url = page.url(); return { matches: await textMatches(page, url, expected, 'exact', ignoreCase), received: quote(url) }; } };
    case 'toHaveTitle':
      return { expected: patternText(expected), options: o, async sample() { const title = await page.title(); return { matches: await textMatches(page, title, expected, 'equal', ignoreCase), received: quote(title) }; } };
  }
}

/**
 * A web-first assertion: samples every 100 ms until it holds or its timeout (the matcher's
 * `timeout` option, else the default) runs out, then fails with what was last seen.
 */
async function runExpect(page: Page, args: Args, env: Env): Promise<null> {
  const target = opts(args, 0);
  const matcher = str(args, 1, 'matcher');
  const isNot = args[2] === true;
  const matcherArgs = Array.isArray(args[3]) ? args[3] : [];
  let spec: MatcherSpec;
  let subject: string;
  if (target.kind === 'page') {
    subject = 'page';
    spec = pageMatcher(page, matcher, matcherArgs);
  } else {
    const locator = asLocator(buildLocator(page, target.chain), 'expect()');
    subject = 'locator';
    spec = locatorMatcher(page, locator, describeChain(target.chain), matcher, matcherArgs);
  }
  const limit = timeout(spec.options, env.actionTimeoutMs);
  const deadline = Date.now() + limit;
  const label = `expect(${subject})${isNot ? '.not' : ''}.${matcher}`;
  let last: Sample = { matches: undefined, received: '<nothing yet>' };
  let seen = false;
  for (;;) {
    env.signal?.throwIfAborted();
    const remaining = Math.max(deadline - Date.now(), 1);
    try {
      last = await withDeadline(spec.sample(remaining), Math.max(remaining, SAMPLE_READ_MS) + 250);
      seen = true;
    } catch (error) {
      // Keep what an earlier sample saw (an element replaced mid-read says less than its text).
      last = { matches: undefined, received: seen ? last.received : `<${firstLine(error)}>` };
    }
    if (last.fatal) throw new Error(trim(`${label}: ${last.fatal}`));
    if (last.matches !== undefined && last.matches !== isNot) return null;
    if (Date.now() >= deadline) break;
    await delay(Math.min(EXPECT_POLL_MS, Math.max(deadline - Date.now(), 0)));
  }
  const where = subject === 'locator' ? ` — locator ${describeChain(target.chain).slice(0, 120)}` : '';
  throw new Error(trim(`${label}: expected ${isNot ? 'not ' : ''}${spec.expected}, received ${last.received}${where} (timeout ${limit}ms)`));
}

const trim = (s: string, max = 300) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 120);
const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms}ms`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

// ---- readable calls (script steps) ----

/** Arguments that are typed into the page: shown as the secret token they are, else "…". */
const TYPED_ARGS: Record<string, number[]> = {
  fill: [1], type: [1], press: [1], 'keyboard.type': [0], 'keyboard.press': [0],
  'locator.fill': [0], 'locator.type': [0], 'locator.pressSequentially': [0], 'locator.press': [0],
};
const KEY_NAME = /^[A-Za-z0-9]+(\+[A-Za-z0-9]+)*$/;

function describeValue(value: unknown, depth = 0): string {
  if (typeof value === 'string') return `'${(value.length > 80 ? `${value.slice(0, 80)}…` : value).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (value === null || typeof value !== 'object') return String(value);
  if (depth > 3) return '…';
  if ('$regexp' in value) {
    const { source, flags } = ((value as { $regexp: { source?: unknown; flags?: unknown } }).$regexp ?? {});
    return `/${String(source).slice(0, 80)}/${typeof flags === 'string' ? flags : ''}`;
  }
  if ('$locator' in value) return describeChain((value as { $locator: unknown }).$locator, depth + 1);
  if (Array.isArray(value)) return `[${value.map((v) => describeValue(v, depth + 1)).join(', ')}]`;
  const entries = Object.entries(value).map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : describeValue(k)}: ${describeValue(v, depth + 1)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}

function describeArgs(args: unknown[], typed: number[] = [], isToken: (s: string) => boolean = () => false, keys = false): string {
  let end = args.length;
  while (end > 0 && (args[end - 1] === undefined || args[end - 1] === null)) end--;
  return args.slice(0, end).map((v, i) => {
    if (!typed.includes(i)) return describeValue(v);
    if (typeof v === 'string' && (isToken(v) || (keys && KEY_NAME.test(v)))) return describeValue(v);
    return "'…'";
  }).join(', ');
}

/** `getByRole('button', { name: 'Save' }).first()` */
export function describeChain(chain: unknown, depth = 0): string {
  if (!Array.isArray(chain)) return '<locator>';
  return chain.map((step) => {
    const { s, a } = (step && typeof step === 'object' ? step : {}) as { s?: unknown; a?: unknown };
    return `${String(s).slice(0, 40)}(${depth > 3 ? '…' : describeArgs(Array.isArray(a) ? a : [])})`;
  }).join('.');
}

/**
 * A readable form of one request, for step logs: `getByLabel('Password').fill('…')`,
 * `page.goto('https://…')`, `expect(page).toHaveURL(/done/)`. Typed text is shown only when it is a
 * secret token (`isToken`), so neither secrets nor typed data end up in logs.
 */
export function describeOperation(request: PageOperationRequest, isToken: (s: string) => boolean = () => false): string {
  const op = String(request.op);
  const args = Array.isArray(request.args) ? request.args : [];
  let text: string;
  if (op.startsWith('locator.')) {
    const isKey = op === 'locator.press';
    text = `${describeChain(request.chain)}.${op.slice(8)}(${op === 'locator.evaluate' || op === 'locator.evaluateAll' ? '…' : describeArgs(args, TYPED_ARGS[op], isToken, isKey)})`;
  } else if (op === 'expect') {
    const target = opts(args, 0);
    const subject = target.kind === 'page' ? 'page' : describeChain(target.chain);
    text = `expect(${subject})${args[2] === true ? '.not' : ''}.${String(args[1]).slice(0, 40)}(${describeArgs(Array.isArray(args[3]) ? args[3] : [])})`;
  } else if (op === 'evaluate' || op === '$eval' || op === '$$eval') {
    text = `page.${op}(${op === 'evaluate' ? '…' : `${describeValue(args[0])}, …`})`;
  } else {
    const isKey = op === 'press' || op === 'keyboard.press';
    text = `page.${op.slice(0, 40)}(${describeArgs(args, TYPED_ARGS[op], isToken, isKey)})`;
  }
  return trim(text, 300);
}
