'use strict';
// Child-process side of the code block sandbox (plain CommonJS so it needs no TypeScript loader).
// The parent starts this file with Node's permission model (no file system beyond this script,
// no child processes, no workers), an empty environment and a heap limit, and kills it on
// timeout or cancel. Inside, the user's JavaScript runs in a fresh vm context:
// - the context's global is a null-prototype object, so `this.constructor` is the context's own
//   Object, never this realm's (the classic `this.constructor.constructor('return process')()`);
// - code generation from strings (eval, Function) is disabled in the context;
// - everything the code can touch (page facade, console, parameters) is created *inside* the
//   context from JSON text; the one function from this realm (the bridge) is captured in a closure
//   and it only ever returns strings.
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
  else waiter.reject(String(message.error));
});

// kind: 'call' (page operation; returns a promise of a JSON string), 'log', 'done'. Inputs are
// JSON strings produced inside the context; anything else is ignored.
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

// Runs inside the context. Builds the facade from closures, then hands back `run(userFn)`.
const SETUP = `(function setup(bridge, parametersJson) {
  'use strict';
  const stringify = JSON.stringify, parse = JSON.parse, freeze = Object.freeze, StringCtor = String;
  const ErrorCtor = Error, isArray = Array.isArray, keys = Object.keys;
  const call = async (op, args) => {
    let text;
    try { text = await bridge('call', stringify({ op, args })); }
    catch (reason) { throw new ErrorCtor(StringCtor(reason)); }
    return parse(text);
  };
  const op = (name) => (...args) => call(name, args);
  const names = ['url', 'title', 'content', 'goto', 'reload', 'goBack', 'click', 'fill', 'type', 'press', 'check',
    'uncheck', 'selectOption', 'textContent', 'innerText', 'innerHTML', 'getAttribute', 'inputValue', 'isVisible',
    'isChecked', 'count', 'waitForSelector', 'waitForLoadState', 'waitForTimeout', 'screenshot'];
  const page = {};
  for (const name of names) page[name] = op(name);
  // Page functions travel as source text; they run in the browser page, not here.
  page.evaluate = (fn, arg) => call('evaluate', [typeof fn === 'function' ? { fn: StringCtor(fn) } : { expr: StringCtor(fn) }, arg]);
  page.$eval = (selector, fn, arg) => call('$eval', [selector, StringCtor(fn), arg]);
  page.$$eval = (selector, fn, arg) => call('$$eval', [selector, StringCtor(fn), arg]);
  page.keyboard = freeze({ press: op('keyboard.press'), type: op('keyboard.type') });
  globalThis.page = freeze(page);
  const log = (level) => (...items) => {
    const text = items.map((v) => (typeof v === 'string' ? v : (() => { try { return stringify(v); } catch { return StringCtor(v); } })())).join(' ');
    bridge('log', stringify({ level, text }));
  };
  globalThis.console = freeze({ log: log('info'), info: log('info'), warn: log('warn'), error: log('error'), debug: log('debug') });
  globalThis.sleep = (ms) => call('sleep', [ms]); // answered without opening the browser
  const parameters = parse(parametersJson);
  globalThis.parameters = parameters;
  for (const key of keys(parameters)) if (!(key in globalThis)) globalThis[key] = parameters[key];
  globalThis.result = undefined;
  return async function run(userFn) {
    try {
      const value = await userFn();
      let json;
      try { json = stringify(value === undefined ? null : value); }
      catch (error) { throw new ErrorCtor('result is not JSON-serializable: ' + StringCtor(error && error.message)); }
      bridge('done', stringify({ ok: true, json: json === undefined ? 'null' : json }));
    } catch (error) {
      const message = error && typeof error === 'object' && 'message' in error ? StringCtor(error.message) : StringCtor(error);
      const stack = error && typeof error === 'object' && typeof error.stack === 'string' ? error.stack : '';
      bridge('done', stringify({ ok: false, error: message, stack }));
    }
  };
})`;

let started = false;
function main({ code, parametersJson }) {
  if (started) return;
  started = true;
  const context = vm.createContext(Object.create(null), {
    name: 'code-block',
    codeGeneration: { strings: false, wasm: false },
  });
  const setup = new vm.Script(SETUP, { filename: 'code-block-setup.js' }).runInContext(context);
  const run = setup(bridge, String(parametersJson));
  // The user's code becomes the body of an async function; `result` (assigned or declared) is
  // returned unless the code returns something itself. lineOffset keeps error lines matching.
  const source = `(async function codeBlock() {\n${code}\n;return (typeof result === 'undefined' ? undefined : result);\n})`;
  let userFn;
  try {
    userFn = new vm.Script(source, { filename: 'code-block.js', lineOffset: -1 }).runInContext(context);
  } catch (error) {
    send({ type: 'done', payload: JSON.stringify({ ok: false, error: `SyntaxError: ${error && error.message}` }) });
    return;
  }
  run(userFn);
}
