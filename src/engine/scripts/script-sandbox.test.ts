import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as wait } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { startBrowserHarness, type BrowserHarness } from '../../../test/support/browser.ts';
import { createLogger } from '../../log/logger.ts';
import { runPageOperation } from '../workflow/blocks/standalone/code-page-bridge.ts';
import { checkScriptSource, runScriptModule, type ScriptModuleOutcome, type ScriptModuleRequest, type ScriptStep } from './script-sandbox.ts';

const logger = createLogger('silent', 'script-sandbox-test');
const SECRET = 'correct-horse-battery-staple';
const TOKEN = '{{secret:password}}';

function run(source: string, options: Partial<ScriptModuleRequest> = {}): Promise<ScriptModuleOutcome> {
  return runScriptModule({
    source,
    fileName: 'blocks/test.ts',
    parameters: {},
    secrets: {},
    resolveSecret: () => undefined,
    timeoutMs: 30_000,
    stepTimeoutMs: 5_000,
    signal: new AbortController().signal,
    page: async () => { throw new Error('this test has no page'); },
    logger,
    ...options,
  });
}

/** Sandbox child processes of this test process, from /proc (undefined where there is no /proc). */
function sandboxChildren(): number[] | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (ppid !== process.pid || state === 'Z') continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('code-sandbox-child.cjs')) found.push(Number(entry));
    } catch { /* gone meanwhile */ }
  }
  return found;
}

/** Waits (up to 5 s) until this process has no sandbox child left. */
async function assertNoSandboxChild() {
  for (let i = 0; i < 50; i++) {
    const left = sandboxChildren();
    if (left === undefined || left.length === 0) return;
    await wait(100);
  }
  assert.deepEqual(sandboxChildren(), [], 'the sandbox child was killed');
}

/** 1-based line of the first source line containing `marker`. */
const lineOf = (source: string, marker: string) => source.split('\n').findIndex((l) => l.includes(marker)) + 1;
const failed = (outcome: ScriptModuleOutcome) => {
  assert.equal(outcome.ok, false, `expected a failure, got ${JSON.stringify(outcome).slice(0, 500)}`);
  return outcome as Extract<ScriptModuleOutcome, { ok: false }>;
};
const succeeded = (outcome: ScriptModuleOutcome) => {
  assert.equal(outcome.ok, true, `expected success, got ${JSON.stringify(outcome).slice(0, 1500)}`);
  return outcome as Extract<ScriptModuleOutcome, { ok: true }>;
};

const SIGN_UP = `import type { BlockScript } from 'skyport/script';
// Block "sign_up" — Fill the registration form. Generated from run wr_123.
export default async function sign_up({ page, parameters, secrets, expect, skyport }: BlockScript) {
  await page.getByLabel('Full name', { exact: true }).or(page.locator('#full-name')).fill(parameters.full_name as string);
  await page.getByPlaceholder('you@example.com').fill(parameters.email as string);
  await page.getByLabel('Password').fill(secrets.password);
  await page.getByRole('combobox', { name: 'Country' }).selectOption({ label: 'Canada' });
  await page.getByRole('checkbox', { name: 'I agree' }).check();
  await page.getByLabel('Promo code').fill('SAVE10');                       // inside a shadow root
  await page.getByRole('button', { name: 'Apply code' }).click();
  await expect(page.getByText(/^Code SAVE10 applied$/)).toBeVisible();
  const newsletter = page.frameLocator('iframe[title="Newsletter signup"]');
  await newsletter.getByLabel('Newsletter email').fill(parameters.email as string);
  await newsletter.getByRole('button', { name: 'Subscribe' }).click();
  await expect(newsletter.locator('#subscribe-result')).toHaveText(\`Subscribed: \${parameters.email}\`);
  await page.getByTestId('submit-row').getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('body')).toContainText(\`Welcome, \${parameters.full_name}\`);
  await page.waitForURL(/created=1/);
  return await skyport.extract();
}
`;

describe('script modules in the code sandbox', () => {
  describe('compiling', () => {
    it('accepts a module with `import type` and a default export', async () => {
      assert.deepEqual(await checkScriptSource(SIGN_UP, 'blocks/sign_up.ts'), { ok: true });
      assert.deepEqual(await checkScriptSource('export default async ({ page }) => page.url();', 'blocks/a.js'), { ok: true });
    });

    it('refuses runtime imports (static, require, dynamic) with a line', async () => {
      const sources = {
        'import fs': "import type { BlockScript } from 'skyport/script';\nimport { readFileSync } from 'node:fs';\nexport default async () => readFileSync('/etc/passwd', 'utf8');\n",
        'require': "export default async function () {\n  return require('node:child_process').execSync('id').toString();\n}\n",
        'import()': "export default async function () {\n  const fs = await import('node:fs');\n  return fs.readFileSync('/etc/passwd', 'utf8');\n}\n",
        'side effect': "import 'node:fs';\nexport default async () => 1;\n",
      };
      for (const [name, source] of Object.entries(sources)) {
        const outcome = failed(await run(source));
        assert.equal(outcome.kind, 'invalid', name);
        assert.match(outcome.error, /scripts cannot import modules; only `import type` is allowed/, name);
        assert.match(outcome.error, /node:(fs|child_process)/, name);
        assert.equal(outcome.line, lineOf(source, 'node:'), name);
        const check = await checkScriptSource(source, 'blocks/test.ts');
        assert.equal(check.ok, false, name);
      }
    });

    it('reports a syntax error with its line, and a module without a default export', async () => {
      const source = "export default async function ({ page }) {\n  const x: number = 1;\n  const y = ;\n}\n";
      const outcome = failed(await run(source, { fileName: 'blocks/broken.ts' }));
      assert.equal(outcome.kind, 'invalid');
      assert.equal(outcome.line, 3);
      assert.match(outcome.error, /^SyntaxError: blocks\/broken\.ts:3:\d+: /);
      const noDefault = failed(await run('export async function helper() { return 1; }\n'));
      assert.equal(noDefault.kind, 'invalid');
      assert.match(noDefault.error, /must have a default export/);
      assert.match(failed(await run('export default 1;', { fileName: 'blocks/a.py' })).error, /must be \.ts or \.js files/);
    });
  });

  describe('running without a page', () => {
    it('passes parameters, secrets as tokens, sleep; returns the default export\'s value', async () => {
      const source = `import type { BlockScript } from 'skyport/script';
        export default async function ({ parameters, secrets, sleep }: BlockScript) {
          await sleep(10);
          return { name: parameters.name, keys: Object.keys(secrets), password: secrets.password };
        }`;
      const outcome = succeeded(await run(source, {
        parameters: { name: 'Ada' }, secrets: { password: TOKEN }, resolveSecret: (t) => (t === TOKEN ? SECRET : undefined),
      }));
      assert.deepEqual(outcome.value, { name: 'Ada', keys: ['password'], password: TOKEN });
      assert.deepEqual(outcome.steps, [], 'sleep is not a page step');
    });

    it('reports a thrown error with its line in the TypeScript source', async () => {
      const source = `import type { BlockScript } from 'skyport/script';
        interface Row { id: number }
        // a comment esbuild drops, so lines only match through the source map
        export default async function ({ parameters }: BlockScript) {
          const rows: Row[] = [];
          if (rows.length === 0) throw new Error('no rows for ' + parameters.name);  // THROW
          return rows;
        }`;
      const outcome = failed(await run(source, { parameters: { name: 'Ada' } }));
      assert.equal(outcome.kind, 'error');
      assert.equal(outcome.error, 'no rows for Ada');
      assert.equal(outcome.line, lineOf(source, '// THROW'));
      assert.equal(outcome.failedStep, undefined);
    });

    it('says extraction is not available when the caller gives no extract hook', async () => {
      const outcome = failed(await run('export default async ({ skyport }) => skyport.extract();'));
      assert.equal(outcome.kind, 'error');
      assert.match(outcome.error, /extraction is not available here/);
      assert.equal(outcome.failedStep?.call, 'skyport.extract()');
    });

    it('stops a busy loop and a never-settling promise at the time limit, killing the child', async () => {
      for (const body of ['while (true) {}', 'await new Promise(() => {});']) {
        const started = Date.now();
        const outcome = failed(await run(`export default async () => { ${body} };`, { timeoutMs: 500 }));
        assert.equal(outcome.kind, 'timeout');
        assert.match(outcome.error, /script exceeded 0\.5 seconds/);
        assert.ok(Date.now() - started < 15_000, 'the host was not blocked by the loop');
        await assertNoSandboxChild();
      }
    });

    it('stops at once when the run is canceled, killing the child', async () => {
      const abort = new AbortController();
      const started = Date.now();
      const running = run('export default async ({ sleep }) => { while (true) await sleep(50); };', { signal: abort.signal, timeoutMs: 60_000 });
      await wait(500);
      const children = sandboxChildren();
      if (children) assert.equal(children.length, 1, 'the script runs in one child process');
      abort.abort();
      const outcome = failed(await running);
      assert.equal(outcome.kind, 'canceled');
      assert.ok(Date.now() - started < 15_000);
      await assertNoSandboxChild();
      const already = failed(await run('export default async () => 1;', { signal: AbortSignal.abort() }));
      assert.equal(already.kind, 'canceled');
    });

    it('survives a memory bomb (only the child dies)', async () => {
      const outcome = failed(await run('export default async () => { const hoard = []; while (true) hoard.push(new Array(4e6).fill(Math.random())); };'));
      assert.equal(outcome.kind, 'crashed');
      assert.match(outcome.error, /script ran out of memory/);
    });

    describe('cannot reach Node (module mode)', () => {
      const attempts: Record<string, string> = {
        'this.constructor.constructor at module level': 'const p = this.constructor.constructor("return process")();\nexport default async () => typeof p;',
        'this.constructor.constructor in the function': 'export default async function () { return this.constructor.constructor("return process")(); }',
        'ctx.page method constructor': 'export default async ({ page }) => page.goto.constructor("return process")();',
        'expect constructor': 'export default async ({ expect }) => expect.constructor("return process")();',
        'parameters constructor': 'export default async ({ parameters }) => parameters.constructor.constructor("return process")();',
        'module object constructor': 'export default async () => module.constructor.constructor("return process")();',
        'error from a host call': 'export default async ({ page }) => { try { await page.nosuch(); } catch (e) { return e.constructor.constructor("return process")(); } };',
        'eval': 'export default async () => eval("process");',
      };
      for (const [name, source] of Object.entries(attempts)) {
        it(name, async () => {
          const outcome = failed(await run(source));
          assert.ok(outcome.kind === 'error' || outcome.kind === 'invalid', outcome.kind);
          assert.doesNotMatch(JSON.stringify(outcome), /"pid"|"env"/);
        });
      }

      it('sees no Node globals, and every object it can reach is of its own realm', async () => {
        const source = `export default async function (ctx) {
          const { page, expect, skyport, parameters, secrets, sleep } = ctx;
          const AsyncFn = Object.getPrototypeOf(async () => {}).constructor;
          return {
            globals: [typeof process, typeof Buffer, typeof setTimeout, typeof globalThis.require, typeof globalThis.module].join(),
            own: [ctx.constructor === Object, page.goto.constructor === Function, page.getByRole('button').click.constructor === Function,
              expect.constructor === Function, skyport.extract.constructor === Function, parameters.constructor === Object,
              secrets.constructor === Object, sleep.constructor === Function, module.constructor === Object,
              typeof require === 'function' && require.constructor === Function, AsyncFn !== Function],
            requireSays: (() => { const name = 'fs'; try { require(name); } catch (e) { return e.message; } })(),
          };
        }`;
        const outcome = succeeded(await run(source));
        const value = outcome.value as { globals: string; own: boolean[]; requireSays: string };
        assert.equal(value.globals, 'undefined,undefined,undefined,undefined,undefined');
        assert.deepEqual(value.own, Array(11).fill(true));
        assert.match(value.requireSays, /scripts cannot import modules/);
      });
    });
  });

  describe('with a page (real Chromium)', () => {
    let harness: BrowserHarness;
    before(async () => { harness = await startBrowserHarness(); });
    after(async () => { await harness.close(); });

    const open = async () => (await harness.openSession('/script-signup.html')).page;

    it('fills a form through getByLabel/getByRole/or()/frameLocator and a shadow root', async () => {
      const page = await open();
      const stepsSeen: ScriptStep[] = [];
      const outcome = succeeded(await run(SIGN_UP, {
        fileName: 'blocks/sign_up.ts',
        parameters: { full_name: 'Ada Lovelace', email: 'ada@example.com' },
        secrets: { password: TOKEN },
        resolveSecret: (t) => (t === TOKEN ? SECRET : undefined),
        extract: async () => ({ account: 'created' }),
        page: async () => page,
        onStep: (s) => stepsSeen.push(s),
      }));
      assert.deepEqual(outcome.value, { account: 'created' });

      // The page as Playwright sees it, outside the sandbox.
      assert.equal(await page.locator('#full-name').inputValue(), 'Ada Lovelace');
      assert.equal(await page.locator('#referrer').inputValue(), '', 'exact label: not the referrer field');
      assert.equal(await page.locator('#email').inputValue(), 'ada@example.com');
      assert.equal(await page.locator('#password').inputValue(), SECRET, 'the page got the real secret');
      assert.equal(await page.locator('#country').inputValue(), 'CA');
      assert.equal(await page.locator('#terms').isChecked(), true);
      assert.equal(await page.locator('promo-box #promo-status').textContent(), 'Code SAVE10 applied');
      assert.equal(await page.frameLocator('#newsletter').locator('#subscribe-result').textContent(), 'Subscribed: ada@example.com');
      assert.equal(await page.locator('#welcome').textContent(), 'Welcome, Ada Lovelace! Country CA, promo SAVE10.');
      assert.match(page.url(), /\/script-signup\.html\?created=1$/);

      // Steps: one per page operation, in order, readable, no typed data.
      assert.deepEqual(outcome.steps.map((s) => s.index), [...outcome.steps.keys()]);
      assert.deepEqual(stepsSeen.map((s) => s.index), outcome.steps.map((s) => s.index));
      assert.ok(outcome.steps.every((s) => s.ok));
      const calls = outcome.steps.map((s) => s.call);
      assert.deepEqual(calls.slice(0, 3), [
        "getByLabel('Full name', { exact: true }).or(locator('#full-name')).fill('…')",
        "getByPlaceholder('you@example.com').fill('…')",
        `getByLabel('Password').fill('${TOKEN}')`,
      ]);
      assert.ok(calls.includes("getByRole('combobox', { name: 'Country' }).selectOption({ label: 'Canada' })"));
      assert.ok(calls.includes(`frameLocator('iframe[title="Newsletter signup"]').getByRole('button', { name: 'Subscribe' }).click()`));
      assert.ok(calls.includes("expect(locator('body')).toContainText('Welcome, Ada Lovelace')"));
      assert.equal(calls.at(-1), 'skyport.extract()');
      assert.doesNotMatch(JSON.stringify(outcome), new RegExp(SECRET));
    });

    it('keeps secrets on the host: the script sees only the token, also when it reads the value back', async () => {
      const page = await open();
      const source = `export default async function ({ page, secrets, expect }) {
        await page.getByLabel('Password').fill(secrets.password);
        await page.getByLabel('Full name', { exact: true }).fill('Ada: ' + secrets.password);   // a token inside text
        const read = {
          seen: secrets.password,
          inputValue: await page.getByLabel('Password').inputValue(),
          inFullName: await page.locator('#full-name').inputValue(),
          evaluated: await page.evaluate(() => document.querySelector('#password').value),
        };
        try { await expect(page.getByLabel('Password')).toHaveValue('something else', { timeout: 300 }); }
        catch (e) { read.expectMessage = e.message; }
        await page.getByRole('checkbox', { name: 'I agree' }).check();
        await page.getByRole('button', { name: 'Create account' }).click();
        await expect(page.locator('#password-echo')).toContainText('Password on file');
        read.echo = await page.locator('#password-echo').textContent();
        read.texts = await page.locator('#result p').allInnerTexts();
        return read;
      }`;
      const outcome = succeeded(await run(source, {
        secrets: { password: TOKEN }, resolveSecret: async (t) => (t === TOKEN ? SECRET : undefined), page: async () => page,
      }));
      const value = outcome.value as Record<string, unknown>;
      assert.equal(await page.locator('#password').inputValue(), SECRET);
      assert.equal(await page.locator('#full-name').inputValue(), `Ada: ${SECRET}`);
      assert.equal(value.seen, TOKEN);
      assert.equal(value.inputValue, TOKEN);
      assert.equal(value.inFullName, `Ada: ${TOKEN}`);
      assert.equal(value.evaluated, TOKEN);
      assert.equal(value.echo, `Password on file: ${TOKEN}`);
      assert.deepEqual(value.texts, [`Welcome, Ada: ${TOKEN}! Country , promo none.`, `Password on file: ${TOKEN}`]);
      assert.equal(await page.locator('#password-echo').textContent(), `Password on file: ${SECRET}`);
      assert.match(String(value.expectMessage), /expect\(locator\)\.toHaveValue: expected "something else", received "\{\{secret:password\}\}"/);
      assert.doesNotMatch(JSON.stringify(outcome), new RegExp(SECRET));
    });

    it('fails fast on a missing element, naming the locator and the line', async () => {
      const page = await open();
      const source = `export default async function ({ page }) {
        await page.getByLabel('Full name', { exact: true }).fill('Ada', { timeout: 15000 }); // a loaded machine may need more than the 1 s step default
        await page.getByRole('button', { name: 'Does not exist' }).click();   // FAILS
        return 'unreachable';
      }`;
      const started = Date.now();
      const outcome = failed(await run(source, { page: async () => page, stepTimeoutMs: 1_000, timeoutMs: 60_000 }));
      assert.equal(outcome.kind, 'error');
      assert.ok(Date.now() - started < 20_000, 'failed on the step timeout, not the script timeout');
      assert.equal(outcome.failedStep?.index, 1);
      assert.equal(outcome.failedStep?.ok, false);
      assert.equal(outcome.failedStep?.call, "getByRole('button', { name: 'Does not exist' }).click()");
      assert.match(outcome.failedStep?.error ?? '', /Timeout 1000ms exceeded/);
      assert.match(outcome.error, /Timeout 1000ms exceeded/);
      assert.equal(outcome.line, lineOf(source, '// FAILS'));
      assert.equal(outcome.steps.length, 2);
      assert.equal(outcome.steps[0]!.ok, true);
    });

    it('expect: retries until it passes, and fails like Playwright does', async () => {
      const page = await open();
      const source = `export default async function ({ page, expect }) {
        const messages = {};
        const attempt = async (name, fn) => { try { await fn(); messages[name] = 'passed'; } catch (e) { messages[name] = e.message; } };
        await expect(page.locator('#result')).toBeHidden();
        await expect(page.getByRole('checkbox', { name: 'I agree' })).not.toBeChecked();
        await expect(page.locator('.field')).toHaveCount(7);
        await expect(page).toHaveTitle('Script sign-up');
        await expect(page).toHaveTitle(/sign-up$/);
        await expect(page.getByAltText('Skyport logo')).toBeVisible();
        await expect(page.getByTitle('Help text')).toHaveText('?');
        await expect(page.locator('label').filter({ hasText: 'Password' })).toHaveCount(1);
        await expect(page.locator('label').filter({ hasNotText: /full name/i }).first()).toHaveText('Email');
        await expect(page.locator('.field').nth(1).getByRole('textbox')).toHaveAttribute('id', 'referrer');
        await expect(page.locator('.field').filter({ has: page.getByLabel('Password') })).toHaveCount(1);
        await expect(page.getByRole('textbox').and(page.getByPlaceholder('you@example.com'))).toBeEditable();
        await expect(page.getByRole('textbox').last()).toBeEnabled();
        await attempt('contain', () => expect(page.locator('#welcome')).toContainText('Welcome', { timeout: 300 }));
        await attempt('not visible', () => expect(page.getByRole('button', { name: 'Create account' })).not.toBeVisible({ timeout: 300 }));
        await attempt('url', () => expect(page).toHaveURL(/created=1/, { timeout: 300 }));
        await attempt('count', () => expect(page.getByRole('button')).toHaveCount(9, { timeout: 300 }));
        await attempt('strict', () => expect(page.getByRole('textbox')).toHaveValue('x', { timeout: 300 }));
        await attempt('value', () => expect(1 + 1).toBe(3));
        await page.getByLabel('Full name', { exact: true }).fill('Grace Hopper');
        await page.getByText('I agree to the terms').click();
        await page.getByRole('button', { name: 'Create account' }).click();
        await expect(page.locator('#welcome')).toHaveText(/^Welcome, Grace Hopper!/);   // after ~400 ms
        await expect(page.locator('#result')).toBeVisible();
        await expect(page).toHaveURL(/created=1$/);
        await page.waitForURL('**/script-signup.html?created=1', { timeout: 2000 });
        await expect(page.getByRole('textbox', { name: 'Full name', exact: true })).toBeHidden();
        return messages;
      }`;
      const outcome = succeeded(await run(source, { page: async () => page }));
      const m = outcome.value as Record<string, string>;
      assert.match(m.contain!, /^expect\(locator\)\.toContainText: expected "Welcome", received "" — locator locator\('#welcome'\) \(timeout 300ms\)$/);
      assert.match(m['not visible']!, /^expect\(locator\)\.not\.toBeVisible: expected not visible, received visible/);
      assert.match(m.url!, /^expect\(page\)\.toHaveURL: expected \/created=1\/, received "http:\/\/127\.0\.0\.1:\d+\/script-signup\.html"/);
      assert.match(m.count!, /^expect\(locator\)\.toHaveCount: expected 9, received 2 — locator getByRole\('button'\)/);
      assert.match(m.strict!, /^expect\(locator\)\.toHaveValue: strict mode violation: getByRole\('textbox'\) resolved to \d+ elements/);
      assert.match(m.value!, /^expect\(received\)\.toBe: expected 3, received 2/);
      for (const message of Object.values(m)) assert.ok(message.length <= 300);
      const failedSteps = outcome.steps.filter((s) => !s.ok).map((s) => s.call);
      assert.deepEqual(failedSteps.slice(0, 2), [
        "expect(locator('#welcome')).toContainText('Welcome', { timeout: 300 })",
        "expect(getByRole('button', { name: 'Create account' })).not.toBeVisible({ timeout: 300 })",
      ]);
    });

    it('an expect that fails the script names its step and line', async () => {
      const page = await open();
      const source = `export default async function ({ page, expect }) {
        await expect(page.locator('body')).toContainText('Welcome, nobody');   // EXPECT
      }`;
      const outcome = failed(await run(source, { page: async () => page, stepTimeoutMs: 800 }));
      assert.equal(outcome.kind, 'error');
      assert.match(outcome.error, /^expect\(locator\)\.toContainText: expected "Welcome, nobody", received "Create your account \? Full name Full name of who/);
      assert.match(outcome.error, /\(timeout 800ms\)$/);
      assert.equal(outcome.failedStep?.call, "expect(locator('body')).toContainText('Welcome, nobody')");
      assert.equal(outcome.line, lineOf(source, '// EXPECT'));
    });

    it('refuses locator steps and actions outside the allowlist', async () => {
      const page = await open();
      // A script can only build allowed steps, but it can hand a forged chain where a locator is expected.
      const source = `export default async function ({ page }) {
        await page.locator('body').or({ $locator: [{ s: 'evaluateHandle', a: ['() => 1'] }] }).click();
      }`;
      const outcome = failed(await run(source, { page: async () => page }));
      assert.match(outcome.error, /locator step "evaluateHandle" is not allowed/);
      assert.match(outcome.failedStep?.call ?? '', /^locator\('body'\)\.or\(evaluateHandle\('\(\) => 1'\)\)\.click\(\)$/);

      await assert.rejects(runPageOperation(page, { op: 'locator.click', chain: [{ s: '_frame', a: [] }] }), /locator step "_frame" is not allowed/);
      await assert.rejects(runPageOperation(page, { op: 'locator.dispatchEvent', chain: [{ s: 'locator', a: ['body'] }], args: ['click'] }), /locator\.dispatchEvent\(\) is not available/);
      await assert.rejects(runPageOperation(page, { op: 'locator.click', chain: [{ s: 'frameLocator', a: ['iframe'] }] }), /needs a locator, not a frame locator/);
      await assert.rejects(runPageOperation(page, { op: 'locator.click', chain: [{ s: 'owner', a: [] }] }), /step "owner" cannot be used on the page/);
      await assert.rejects(runPageOperation(page, { op: 'expect', args: [{ kind: 'page' }, 'toPass', false, []] }), /expect\(page\)\.toPass\(\) is not available/);
      const wide = Array.from({ length: 30 }, () => ({ s: 'or', a: [{ $locator: Array.from({ length: 10 }, () => ({ s: 'locator', a: ['b'] })) }] }));
      await assert.rejects(runPageOperation(page, { op: 'locator.count', chain: [{ s: 'locator', a: ['body'] }, ...wide] }), /at most 200 steps, nested locators included/);
      await assert.rejects(runPageOperation(page, { op: 'locator.count', chain: [{ s: 'getByRole', a: ['button >> css=p'] }] }), /is not an ARIA role/);
    });

    it('runs page functions in the browser and keeps code block page operations', async () => {
      const page: Page = await open();
      const source = `export default async function ({ page }) {
        await page.fill('#email', 'old@example.com');
        await page.getByRole('textbox', { name: 'Email' }).clear();
        await page.getByRole('textbox', { name: 'Email' }).pressSequentially('new@example.com');
        return {
          url: await page.url(),
          title: await page.title(),
          email: await page.inputValue('#email'),
          labels: await page.locator('label').allTextContents().then((all) => all.length),
          visible: await page.getByText('Create your account').isVisible(),
          doubled: await page.evaluate((n) => n * 2, 21),
          tag: await page.getByLabel('Country').evaluate((el) => el.tagName),
          all: (await page.locator('select option').all()).length,
        };
      }`;
      const outcome = succeeded(await run(source, { page: async () => page }));
      assert.deepEqual({ ...(outcome.value as object), url: undefined }, {
        url: undefined, title: 'Script sign-up', email: 'new@example.com', labels: 7, visible: true, doubled: 42, tag: 'SELECT', all: 4,
      });
    });
  });
});
