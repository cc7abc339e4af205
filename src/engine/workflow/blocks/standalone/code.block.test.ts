import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serveFixtures, type FixtureServer } from '../../../../../test/fixtures/sites/server.ts';
import type { BlockResult } from '../block-handler.ts';
import { codeBlock, CODE_BLOCK_DISABLED_REASON } from './code.block.ts';
import { blockContext, startTestBrowser, type ContextOptions, type TestBrowser } from '../../../../../test/support/block-context.ts';

const runCode = (code: string, options: ContextOptions & { parameter_keys?: string[] } = {}): Promise<BlockResult> =>
  codeBlock(blockContext(
    { block_type: 'code', label: 'calc', code, parameter_keys: options.parameter_keys ?? null },
    { ...options, settings: { codeBlockEnabled: true, codeBlockTimeoutMs: 3_000, ...options.settings } },
  ));

describe('code block', () => {
  it('is refused unless ENABLE_CODE_BLOCK=true', async () => {
    const result = await codeBlock(blockContext({ block_type: 'code', label: 'calc', code: 'result = 1' }));
    assert.equal(result.status, 'failed');
    assert.equal(result.failureReason, CODE_BLOCK_DISABLED_REASON);
    assert.match(result.failureReason ?? '', /ENABLE_CODE_BLOCK=true/);
  });

  it('returns `result`, with the declared parameters as variables and in `parameters`', async () => {
    const result = await runCode('result = { sum: a + b.n, keys: Object.keys(parameters) }', {
      parameter_keys: ['a', 'b'], parameters: { a: 1, b: { n: 2 }, hidden: 'not declared' },
    });
    assert.deepEqual(result, { status: 'completed', output: { sum: 3, keys: ['a', 'b'] }, failureReason: null });
  });

  it('accepts a declared `result`, an explicit return, async code, and wraps bare numbers', async () => {
    assert.deepEqual((await runCode('let result = [1, 2]')).output, [1, 2]);
    assert.deepEqual((await runCode('await sleep(10); return "done"')).output, 'done');
    assert.deepEqual((await runCode('result = 6 * 7')).output, { value: 42 });
    assert.equal((await runCode('const x = 1')).output, null);
  });

  it('fails with the error the code threw, or its syntax error', async () => {
    const thrown = await runCode('throw new Error("price missing")');
    assert.equal(thrown.status, 'failed');
    assert.match(thrown.failureReason ?? '', /price missing/);
    const syntax = await runCode('result = {');
    assert.match(syntax.failureReason ?? '', /SyntaxError/);
    const notJson = await runCode('result = { n: 10n }');
    assert.match(notJson.failureReason ?? '', /not JSON-serializable/);
  });

  it('stops code that runs past the time limit (busy loop and never-settling promise)', async () => {
    for (const code of ['while (true) {}', 'await new Promise(() => {})']) {
      const started = Date.now();
      const result = await runCode(code, { settings: { codeBlockTimeoutMs: 300 } });
      assert.equal(result.status, 'failed');
      assert.match(result.failureReason ?? '', /TimeoutError: code block exceeded 0\.3 seconds/);
      assert.ok(Date.now() - started < 3000);
    }
  });

  it('stops at once when the run is canceled', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('canceled by user')), 100);
    const result = await runCode('await sleep(20000); result = 1', { signal: abort.signal, settings: { codeBlockTimeoutMs: 30_000 } });
    assert.equal(result.status, 'canceled');
  });

  it('stops code that allocates without bound, and the server process survives it', async () => {
    // Large array allocations make V8 abort the whole process at the heap limit (a worker thread
    // would take the server down with it); in the child process only the sandbox dies.
    const result = await runCode('const hoard = []; while (true) hoard.push(new Array(4e6).fill(Math.random()));', { settings: { codeBlockTimeoutMs: 20_000 } });
    assert.equal(result.status, 'failed');
    assert.match(result.failureReason ?? '', /ran out of memory \(limit 128 MB\)/);
    assert.equal((await runCode('result = "still here"')).output, 'still here');
  });

  describe('cannot reach Node', () => {
    const attempts: Record<string, string> = {
      'globals': 'result = [typeof process, typeof require, typeof module, typeof globalThis.process, typeof setTimeout, typeof Buffer].join()',
      'this.constructor.constructor': 'result = this.constructor.constructor("return process")()',
      'globalThis.constructor': 'result = globalThis.constructor.constructor("return process")()',
      'page method constructor': 'result = page.goto.constructor("return process")()',
      'parameters constructor': 'result = parameters.constructor.constructor("return process")()',
      'AsyncFunction constructor': 'result = Object.getPrototypeOf(async function () {}).constructor("return process")()',
      'eval': 'result = eval("process")',
      'error from a host call': 'try { await page.nosuch() } catch (e) { result = e.constructor.constructor("return process")() }',
      'console method constructor': 'result = console.log.constructor("return process")()',
      'import()': 'result = await import("node:fs")',
    };
    for (const [name, code] of Object.entries(attempts)) {
      it(name, async () => {
        const result = await runCode(code);
        if (result.status === 'completed') {
          assert.equal(result.output, 'undefined,undefined,undefined,undefined,undefined,undefined', `escaped via ${name}`);
        } else {
          assert.equal(result.status, 'failed');
          assert.doesNotMatch(JSON.stringify(result), /"pid"|"env"/);
        }
      });
    }

    // Code generation is off, so the attempts above fail early; this checks the second layer on its
    // own: every function and object the code can reach belongs to the sandbox's realm.
    it('only ever touches objects of its own realm', async () => {
      const result = await runCode(`
        let hostError;
        try { await page.url(); } catch (e) { hostError = e; } // the host answers with an error here (no browser)
        const AsyncFn = Object.getPrototypeOf(async () => {}).constructor;
        result = [
          this.constructor.constructor === Function, page.goto.constructor === Function, page.evaluate.constructor === Function,
          page.keyboard.constructor === Object, console.log.constructor === Function, sleep.constructor === Function,
          parameters.constructor === Object, parameters.p.constructor === Array, hostError instanceof Error,
          hostError.constructor === Error, AsyncFn !== Function,
        ];`, { parameter_keys: ['p'], parameters: { p: [1] } });
      assert.equal(result.status, 'completed', result.failureReason ?? '');
      assert.deepEqual(result.output, Array(11).fill(true));
    });

    it('sees no globals beyond the page facade, console, sleep, parameters and result', async () => {
      const result = await runCode('result = Object.getOwnPropertyNames(globalThis)');
      const builtins = new Set(Object.getOwnPropertyNames(globalThis));
      const extra = (result.output as string[]).filter((name) => !builtins.has(name)).sort();
      assert.deepEqual(extra, ['page', 'parameters', 'result', 'sleep']); // console exists in both
    });
  });

  describe('with the run page (real Chromium)', () => {
    let browser: TestBrowser;
    let site: FixtureServer;
    before(async () => { [browser, site] = await Promise.all([startTestBrowser(), serveFixtures()]); });
    after(async () => { await browser.close(); await site.close(); });

    it('drives the page through the facade: goto, fill, evaluate, $$eval', async () => {
      const runBrowser = await browser.open();
      const code = `
        const nav = await page.goto(base + '/form.html');
        await page.fill('#full-name', 'Ada Lovelace');
        const typed = await page.inputValue('#full-name');
        const doubled = await page.evaluate((n) => n * 2, 21);
        const labels = await page.$$eval('label', (els) => els.map((e) => e.textContent.trim()));
        console.log('labels', labels.length);
        result = { status: nav.status, title: await page.title(), typed, doubled, labels: labels.slice(0, 2), url: await page.url() };
      `;
      const result = await runCode(code, { parameter_keys: ['base'], parameters: { base: site.baseUrl }, browser: runBrowser });
      assert.equal(result.status, 'completed', result.failureReason ?? '');
      assert.deepEqual(result.output, {
        status: 200, title: 'Registration form', typed: 'Ada Lovelace', doubled: 42,
        labels: ['Full name', 'Email'], url: `${site.baseUrl}/form.html`,
      });
      assert.equal(runBrowser.page().url(), `${site.baseUrl}/form.html`, 'the shared page moved');
    });

    it('cannot open file:// pages (the browser would read the server disk)', async () => {
      const runBrowser = await browser.open();
      const result = await runCode('await page.goto("file:///etc/passwd"); result = await page.content()', { browser: runBrowser });
      assert.equal(result.status, 'failed');
      assert.match(result.failureReason ?? '', /only opens http\(s\) URLs/);
    });

    it('reports page errors inside the code, where they can be caught', async () => {
      const runBrowser = await browser.open();
      const result = await runCode(
        'try { await page.click("#does-not-exist", { timeout: 200 }); } catch (e) { result = "caught: " + e.message.split("\\n")[0]; }',
        { browser: runBrowser },
      );
      assert.equal(result.status, 'completed');
      assert.match(String(result.output), /^caught: .*Timeout 200ms/);
    });
  });
});
