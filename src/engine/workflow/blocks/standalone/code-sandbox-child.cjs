'use strict';
// Child-process side of the code sandbox (plain CommonJS so it needs no TypeScript loader).
// The parent starts this file with Node's permission model (no file system beyond this script,
// no child processes, no workers), an empty environment and a heap limit, and kills it on
// timeout or cancel. Inside, the sandboxed JavaScript runs in a fresh vm context:
// - the context's global is a null-prototype object, so `this.constructor` is the context's own
//   Object, never this realm's (the classic `this.constructor.constructor('return process')()`);
// - code generation from strings (eval, Function) is disabled in the context;
// - everything the code can touch (page facade, locators, expect, console, parameters) is created
//   *inside* the context from JSON text by `contextSetup` below, whose source (not the function
//   object) is compiled in the context; the one function from this realm (the bridge) is captured
//   in a closure and it only ever returns strings.
// Start modes (one child script for both):
// - `block`: a code block's body, with `page`, `parameters` (and each parameter), `sleep`,
//   `console` and `result` as globals;
// - `module`: CommonJS code (a script module transpiled by the host) run with a `module`/`exports`
//   pair made inside the context; its default export is called with
//   `{page, parameters, secrets, expect, skyport: {extract}, sleep}`.
const vm = require('node:vm');

const send = (message) => { if (process.connected) process.send(message); };

const pending = new Map();
let nextCallId = 1;

process.on('disconnect', () => process.exit(0)); // the parent is gone: nothing to report to
process.on('message', (message) => {
  if (message && message.type === 'start') return main(message);
  if (!message || message.type !== 'reply') return;
  const waiter = pending.get(message.id);
  if (!waiter) return;
  pending.delete(message.id);
  if (message.ok) waiter.resolve(String(message.json));
  else waiter.reject(JSON.stringify({ message: String(message.error), step: typeof message.step === 'number' ? message.step : null }));
});

// kind: 'call' (page operation; returns a promise of a JSON string, rejected with a JSON string),
// 'log', 'done'. Inputs are JSON strings produced inside the context; anything else is ignored.
function bridge(kind, payload) {
  if (typeof payload !== 'string') return undefined;
  if (kind === 'call') {
    const id = nextCallId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      send({ type: 'call', id, payload });
    });
  }
  if (kind === 'log' || kind === 'done') send({ type: kind, payload });
  return undefined;
}

// Never called in this realm: its source text is compiled inside the context (so it must not use
// anything from this file). Builds the facades from closures and returns the runners.
function contextSetup(bridge, configJson) {
  'use strict';
  const stringify = JSON.stringify, parse = JSON.parse, freeze = Object.freeze, StringCtor = String;
  const ErrorCtor = Error, isArray = Array.isArray, keys = Object.keys, create = Object.create;
  const RegExpCtor = RegExp, WeakMapCtor = WeakMap, NumberCtor = Number;
  const config = parse(configJson);

  // Errors that came from a failed host call -> that call's step number (for the outcome).
  const failedSteps = new WeakMapCtor();
  const call = async (op, args, chain) => {
    const site = new ErrorCtor('x'); // the caller's stack, taken before the first await
    const payload = stringify(chain === undefined ? { op, args: wire(args) } : { op, chain, args: wire(args) });
    let text;
    try {
      text = await bridge('call', payload);
    } catch (reason) {
      let info;
      try { info = parse(StringCtor(reason)); } catch { info = { message: StringCtor(reason) }; }
      const error = new ErrorCtor(StringCtor(info && info.message));
      const frames = StringCtor(site.stack || '').split('\n').slice(1).join('\n');
      try { error.stack = 'Error: ' + error.message + (frames ? '\n' + frames : ''); } catch { /* keep V8's */ }
      if (info && typeof info.step === 'number') failedSteps.set(error, info.step);
      throw error;
    }
    return parse(text);
  };

  // ---- arguments: RegExps and locators become JSON descriptions ----
  const locators = new WeakMapCtor(); // facade -> { kind: 'locator' | 'frame', chain }
  const wire = (value, depth) => {
    const d = depth || 0;
    if (d > 20) throw new ErrorCtor('argument is nested too deeply');
    if (value instanceof RegExpCtor) return { $regexp: { source: value.source, flags: value.flags } };
    if (value && (typeof value === 'object' || typeof value === 'function')) {
      const described = locators.get(value);
      if (described) return { $locator: described.chain };
      if (typeof value === 'function') return undefined;
      if (typeof value.toJSON === 'function') return value; // Date and friends: JSON.stringify decides
      if (isArray(value)) return value.map((item) => wire(item, d + 1));
      const out = create(null);
      for (const key of keys(value)) out[key] = wire(value[key], d + 1);
      return out;
    }
    return value;
  };
  const sourceOf = (fn) => StringCtor(fn);

  // ---- locators: plain descriptions (a chain of steps), actions sent to the host ----
  const LOCATOR_ACTIONS = ['click', 'dblclick', 'fill', 'press', 'pressSequentially', 'type', 'check', 'uncheck',
    'setChecked', 'selectOption', 'hover', 'focus', 'clear', 'blur', 'scrollIntoViewIfNeeded', 'textContent',
    'innerText', 'innerHTML', 'inputValue', 'getAttribute', 'isVisible', 'isHidden', 'isEnabled', 'isDisabled',
    'isChecked', 'isEditable', 'count', 'waitFor', 'allInnerTexts', 'allTextContents', 'boundingBox'];
  const FINDERS = ['getByRole', 'getByLabel', 'getByPlaceholder', 'getByText', 'getByTestId', 'getByTitle', 'getByAltText'];
  const extend = (chain, s, args) => {
    const a = args.slice();
    while (a.length && a[a.length - 1] === undefined) a.pop();
    return chain.concat([{ s, a: wire(a) }]);
  };
  const addFinders = (target, chain) => {
    for (const name of FINDERS) target[name] = (...args) => makeLocator(extend(chain, name, args));
    target.locator = (selectorOrLocator, options) => makeLocator(extend(chain, 'locator', [selectorOrLocator, options]));
    target.frameLocator = (selector) => makeFrameLocator(extend(chain, 'frameLocator', [selector]));
  };
  const makeLocator = (chain) => {
    const loc = {};
    addFinders(loc, chain);
    loc.or = (other) => makeLocator(extend(chain, 'or', [other]));
    loc.and = (other) => makeLocator(extend(chain, 'and', [other]));
    loc.first = () => makeLocator(extend(chain, 'first', []));
    loc.last = () => makeLocator(extend(chain, 'last', []));
    loc.nth = (index) => makeLocator(extend(chain, 'nth', [index]));
    loc.filter = (options) => makeLocator(extend(chain, 'filter', [options]));
    loc.visible = (options) => makeLocator(extend(chain, 'visible', [options]));
    loc.contentFrame = () => makeFrameLocator(extend(chain, 'contentFrame', []));
    for (const name of LOCATOR_ACTIONS) loc[name] = (...args) => call('locator.' + name, args, chain);
    loc.evaluate = (fn, arg, options) => call('locator.evaluate', [sourceOf(fn), arg, options], chain);
    loc.evaluateAll = (fn, arg) => call('locator.evaluateAll', [sourceOf(fn), arg], chain);
    loc.all = async () => {
      const n = await call('locator.count', [], chain);
      const all = [];
      for (let i = 0; i < n; i++) all.push(makeLocator(extend(chain, 'nth', [i])));
      return all;
    };
    loc.toString = () => 'locator(' + stringify(chain) + ')';
    freeze(loc);
    locators.set(loc, { kind: 'locator', chain });
    return loc;
  };
  const makeFrameLocator = (chain) => {
    const frame = {};
    addFinders(frame, chain);
    frame.first = () => makeFrameLocator(extend(chain, 'first', []));
    frame.last = () => makeFrameLocator(extend(chain, 'last', []));
    frame.nth = (index) => makeFrameLocator(extend(chain, 'nth', [index]));
    frame.owner = () => makeLocator(extend(chain, 'owner', []));
    freeze(frame);
    locators.set(frame, { kind: 'frame', chain });
    return frame;
  };

  // ---- page facade ----
  const op = (name) => (...args) => call(name, args);
  // Note: url() is async here (a round trip to the host), unlike Playwright's synchronous page.url().
  const names = ['url', 'title', 'content', 'goto', 'reload', 'goBack', 'click', 'fill', 'type', 'press', 'check',
    'uncheck', 'selectOption', 'textContent', 'innerText', 'innerHTML', 'getAttribute', 'inputValue', 'isVisible',
    'isChecked', 'count', 'waitForSelector', 'waitForLoadState', 'waitForURL', 'waitForTimeout', 'screenshot'];
  const page = {};
  for (const name of names) page[name] = op(name);
  // Page functions travel as source text; they run in the browser page, not here.
  page.evaluate = (fn, arg) => call('evaluate', [typeof fn === 'function' ? { fn: StringCtor(fn) } : { expr: StringCtor(fn) }, arg]);
  page.$eval = (selector, fn, arg) => call('$eval', [selector, StringCtor(fn), arg]);
  page.$$eval = (selector, fn, arg) => call('$$eval', [selector, StringCtor(fn), arg]);
  page.keyboard = freeze({ press: op('keyboard.press'), type: op('keyboard.type') });
  addFinders(page, []);
  freeze(page);

  // ---- expect ----
  const LOCATOR_MATCHERS = ['toBeVisible', 'toBeHidden', 'toBeChecked', 'toBeEnabled', 'toBeDisabled', 'toBeEditable',
    'toBeFocused', 'toContainText', 'toHaveText', 'toHaveValue', 'toHaveCount', 'toHaveAttribute'];
  const PAGE_MATCHERS = ['toHaveURL', 'toHaveTitle'];
  const show = (v) => { try { const s = stringify(v); return s === undefined ? StringCtor(v) : s; } catch { return StringCtor(v); } };
  const equal = (a, b, depth) => {
    if (a === b) return a === a || b === b; // NaN aside
    if (a !== a && b !== b) return true;
    if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || (depth || 0) > 50) return false;
    if (isArray(a) !== isArray(b)) return false;
    const ka = keys(a), kb = keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!equal(a[k], b[k], (depth || 0) + 1)) return false;
    return true;
  };
  const VALUE_MATCHERS = {
    toBe: (r, e) => r === e || (r !== r && e !== e),
    toEqual: (r, e) => equal(r, e),
    toStrictEqual: (r, e) => equal(r, e),
    toBeTruthy: (r) => !!r,
    toBeFalsy: (r) => !r,
    toBeNull: (r) => r === null,
    toBeUndefined: (r) => r === undefined,
    toBeDefined: (r) => r !== undefined,
    toContain: (r, e) => (typeof r === 'string' ? r.includes(StringCtor(e)) : isArray(r) ? r.includes(e) : false),
    toMatch: (r, e) => typeof r === 'string' && (e instanceof RegExpCtor ? new RegExpCtor(e.source, e.flags).test(r) : r.includes(StringCtor(e))),
    toHaveLength: (r, e) => r != null && r.length === e,
    toBeGreaterThan: (r, e) => NumberCtor(r) > NumberCtor(e),
    toBeGreaterThanOrEqual: (r, e) => NumberCtor(r) >= NumberCtor(e),
    toBeLessThan: (r, e) => NumberCtor(r) < NumberCtor(e),
    toBeLessThanOrEqual: (r, e) => NumberCtor(r) <= NumberCtor(e),
  };
  const webMatchers = (target, matcherNames, isNot) => {
    const m = {};
    for (const name of matcherNames) m[name] = (...args) => call('expect', [target, name, isNot, args]).then(() => undefined);
    return freeze(m);
  };
  const valueMatchers = (received, isNot) => {
    const m = {};
    for (const name of keys(VALUE_MATCHERS)) {
      m[name] = (expected) => {
        if (VALUE_MATCHERS[name](received, expected) === !isNot) return;
        const wanted = name === 'toBeTruthy' || name === 'toBeFalsy' || name === 'toBeNull' || name === 'toBeUndefined' || name === 'toBeDefined' ? '' : ' ' + show(expected);
        throw new ErrorCtor(('expect(received).' + (isNot ? 'not.' : '') + name + ': expected' + (isNot ? ' not' : '') + wanted + ', received ' + show(received)).slice(0, 300));
      };
    }
    return freeze(m);
  };
  const expect = (subject) => {
    let target, matcherNames;
    const described = subject && (typeof subject === 'object' || typeof subject === 'function') ? locators.get(subject) : undefined;
    if (subject === page) { target = { kind: 'page' }; matcherNames = PAGE_MATCHERS; }
    else if (described && described.kind === 'locator') { target = { kind: 'locator', chain: described.chain }; matcherNames = LOCATOR_MATCHERS; }
    else if (described) throw new ErrorCtor('expect() takes a locator or the page, not a frame locator');
    if (!target) {
      const positive = valueMatchers(subject, false);
      return freeze({ ...positive, not: valueMatchers(subject, true) });
    }
    const positive = webMatchers(target, matcherNames, false);
    return freeze({ ...positive, not: webMatchers(target, matcherNames, true) });
  };
  freeze(expect);

  // ---- console, sleep ----
  const log = (level) => (...items) => {
    const text = items.map((v) => (typeof v === 'string' ? v : (() => { try { return stringify(v); } catch { return StringCtor(v); } })())).join(' ');
    bridge('log', stringify({ level, text }));
  };
  globalThis.console = freeze({ log: log('info'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') });
  const sleep = (ms) => call('sleep', [ms]); // answered without opening the browser

  const finish = async (work, invalid) => {
    try {
      const value = await work();
      let json;
      try { json = stringify(value === undefined ? null : value); }
      catch (error) { throw new ErrorCtor('result is not JSON-serializable: ' + StringCtor(error && error.message)); }
      bridge('done', stringify({ ok: true, json: json === undefined ? 'null' : json }));
    } catch (error) {
      const message = error && typeof error === 'object' && 'message' in error ? StringCtor(error.message) : StringCtor(error);
      let stack = '';
      try { stack = error && typeof error === 'object' && typeof error.stack === 'string' ? error.stack : ''; } catch { stack = ''; }
      const step = error && typeof error === 'object' ? failedSteps.get(error) : undefined;
      bridge('done', stringify({ ok: false, error: message, stack, step: typeof step === 'number' ? step : undefined, invalid: invalid === true ? true : undefined }));
    }
  };
  const parameters = parse(config.parametersJson);

  if (config.mode !== 'module') {
    globalThis.page = page;
    globalThis.sleep = sleep;
    globalThis.parameters = parameters;
    for (const key of keys(parameters)) if (!(key in globalThis)) globalThis[key] = parameters[key];
    globalThis.result = undefined;
    return { runBlock: (userFn) => finish(userFn) };
  }

  const secrets = freeze(parse(config.secretsJson));
  const skyport = freeze({ extract: () => call('skyport.extract', []) });
  const ctx = freeze({ page, parameters, secrets, expect, skyport, sleep });
  const noImports = (name) => {
    throw new ErrorCtor('scripts cannot import modules; only `import type` is allowed (require(' + show(name) + '))');
  };
  return {
    runModule(wrapper) {
      const module = { exports: {} };
      let fn;
      try {
        wrapper.call(module.exports, module.exports, noImports, module);
        const exported = module.exports;
        fn = exported && typeof exported.default === 'function' ? exported.default : typeof exported === 'function' ? exported : undefined;
      } catch (error) {
        return finish(() => { throw error; });
      }
      if (!fn) return finish(() => { throw new ErrorCtor('the module has no default export function (export default async function (ctx) { … })'); }, true);
      return finish(() => fn(ctx));
    },
  };
}

let started = false;
function main({ mode, code, fileName, parametersJson, secretsJson }) {
  if (started) return;
  started = true;
  const isModule = mode === 'module';
  const context = vm.createContext(Object.create(null), {
    name: isModule ? 'script' : 'code-block',
    codeGeneration: { strings: false, wasm: false },
  });
  const setup = new vm.Script(`(${contextSetup.toString()})`, { filename: 'sandbox-setup.js' }).runInContext(context);
  const config = JSON.stringify({
    mode: isModule ? 'module' : 'block',
    parametersJson: String(parametersJson),
    secretsJson: isModule ? String(secretsJson) : '{}',
  });
  const runners = setup(bridge, config);
  const fail = (error, invalid) => send({ type: 'done', payload: JSON.stringify({ ok: false, error: `SyntaxError: ${error && error.message}`, invalid }) });
  if (isModule) {
    // CommonJS wrapper on its own line; lineOffset keeps the stack's line numbers those of `code`.
    const source = `(function (exports, require, module) {\n${code}\n})`;
    let wrapper;
    try {
      wrapper = new vm.Script(source, { filename: String(fileName || 'script.js'), lineOffset: -1 }).runInContext(context);
    } catch (error) {
      fail(error, true);
      return;
    }
    runners.runModule(wrapper);
    return;
  }
  // The user's code becomes the body of an async function; `result` (assigned or declared) is
  // returned unless the code returns something itself. lineOffset keeps error lines matching.
  const source = `(async function codeBlock() {\n${code}\n;return (typeof result === 'undefined' ? undefined : result);\n})`;
  let userFn;
  try {
    userFn = new vm.Script(source, { filename: 'code-block.js', lineOffset: -1 }).runInContext(context);
  } catch (error) {
    fail(error, false);
    return;
  }
  runners.runBlock(userFn);
}
