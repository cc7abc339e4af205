// The one-round-trip probe that actions start with, and the click fast path it enables: what it
// reports, when it refuses the fast path, and that the fast path keeps a click's guarantees
// (waiting for the navigation it starts, never clicking an overlay instead of the element).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pageText, scanAndFind, startBrowserHarness, type BrowserHarness } from '../../../test/support/browser.ts';
import type { PageSession } from '../session.ts';
import { probeSelector } from './element.ts';
import { executeAction } from './execute.ts';
import type { ActionResult, BrowserAction } from './types.ts';

let harness: BrowserHarness;
before(async () => {
  harness = await startBrowserHarness();
});
after(async () => {
  await harness?.close();
});

async function pageWith(html: string): Promise<PageSession> {
  const s = await harness.openSession('/index.html');
  await s.page.setContent(html);
  return s;
}

const probe = (s: PageSession, selector: string, clickCheck = true) =>
  probeSelector(s.page.mainFrame(), selector, { clickCheck, timeoutMs: 8000 });

async function run(s: PageSession, action: BrowserAction, timeoutMs = 8000): Promise<ActionResult> {
  const result = await executeAction({ session: s, timeoutMs }, action);
  assert.equal(result.success, true, `${action.action_type} failed: ${result.error}`);
  return result;
}

describe('probeSelector', () => {
  test('reports what actions need about fields, selects and checkboxes', async () => {
    const s = await pageWith(`
      <input id="name" value="Ada"><input id="ro" readonly value="x"><input id="off" disabled>
      <select id="country"><option value="">Choose…</option><option value="CA">Canada</option></select>
      <label><input id="terms" type="checkbox" checked> Terms</label>
      <div id="toggle" role="switch" aria-checked="false">Dark mode</div>
      <a id="ext" href="/x" target="_blank">Other tab</a>`);
    const name = await probe(s, '#name', false);
    assert.equal(name?.tag, 'input');
    assert.equal(name?.value, 'Ada');
    assert.equal(name?.visible, true);
    assert.equal(name?.clickable, undefined, 'no click check unless asked');
    assert.equal((await probe(s, '#ro', false))?.readOnly, true);
    assert.equal((await probe(s, '#off', false))?.disabled, true);
    assert.deepEqual((await probe(s, '#country', false))?.options, [{ label: 'Choose…', value: '' }, { label: 'Canada', value: 'CA' }]);
    assert.equal((await probe(s, '#terms', false))?.checked, true);
    assert.equal((await probe(s, '#toggle', false))?.checked, false);
    const link = await probe(s, '#ext', false);
    assert.equal(link?.opensTab, true);
    assert.equal(link?.link, true);
    assert.equal(await probe(s, '#missing', false), null);
  });

  test('finds elements inside open shadow roots', async () => {
    const s = await pageWith(`<div id="host"></div><script>
      document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML = '<button id="inner">Inside</button>';
    </script>`);
    const inner = await probe(s, '#inner');
    assert.equal(inner?.tag, 'button');
    assert.equal(inner?.clickable, true);
  });

  test('clears the fast path only for elements a real click would reach', async () => {
    const s = await pageWith(`
      <style>@keyframes slide { from { transform: translateX(0) } to { transform: translateX(300px) } }</style>
      <button id="plain">Plain</button>
      <span style="position:relative;display:inline-block"><button id="covered">Covered</button><span style="position:absolute;inset:0"></span></span>
      <button id="hidden" style="visibility:hidden">Hidden</button>
      <button id="disabled" disabled>Disabled</button>
      <button id="moving" style="animation: slide 2s linear infinite">Moving</button>
      <div style="height:3000px"></div>
      <button id="far">Far below</button>`);
    assert.equal((await probe(s, '#plain'))?.clickable, true);
    assert.match((await probe(s, '#covered'))?.notClickable ?? '', /covered by span/);
    assert.equal((await probe(s, '#hidden'))?.notClickable, 'not visible');
    assert.equal((await probe(s, '#disabled'))?.notClickable, 'disabled');
    assert.equal((await probe(s, '#moving'))?.notClickable, 'moving');
    const far = await probe(s, '#far');
    assert.equal(far?.clickable, true, 'scrolled into view first');
    assert.ok(await s.page.evaluate(() => window.scrollY > 1000));
  });
});

describe('click fast path', () => {
  test('a click that starts a navigation still waits for the new page', async () => {
    const s = await harness.openSession('/index.html');
    await s.context.route(/\/slow-page\.html/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.fulfill({ contentType: 'text/html', body: '<h1>Slow page loaded</h1>' });
    });
    await s.page.setContent(`<a href="${harness.server.baseUrl}/slow-page.html">Go slowly</a>
      <button onclick="location.href='${harness.server.baseUrl}/slow-page.html?js'">Go by script</button>`);
    const link = await run(s, { action_type: 'click', element_id: (await scanAndFind(s, 'Go slowly')).id });
    assert.equal(link.data?.method, 'click');
    assert.match(s.page.url(), /slow-page\.html$/);
    assert.match(await pageText(s), /Slow page loaded/);

    await s.page.setContent(`<button onclick="location.href='${harness.server.baseUrl}/slow-page.html?js'">Go by script</button>`);
    await run(s, { action_type: 'click', element_id: (await scanAndFind(s, 'Go by script')).id });
    assert.match(s.page.url(), /slow-page\.html\?js$/, 'a navigation started by a click handler is waited for too');
    assert.match(await pageText(s), /Slow page loaded/);
  });

  test('an element under an overlay is not clicked through it: the fallbacks reach it', async () => {
    const s = await pageWith(`
      <button onclick="document.body.insertAdjacentHTML('beforeend', '<p>Saved!</p>')">Save</button>
      <div style="position:fixed;inset:0;background:transparent" onclick="document.body.insertAdjacentHTML('beforeend', '<p>Overlay hit</p>')"></div>`);
    const result = await run(s, { action_type: 'click', element_id: (await scanAndFind(s, 'Save')).id }, 500);
    assert.equal(result.data?.method, 'js', 'the real click is intercepted, the JS click is not');
    const text = await pageText(s);
    assert.match(text, /Saved!/);
    assert.doesNotMatch(text, /Overlay hit/);
  });

  test('custom dropdown options that appear late are waited for in the page', async () => {
    const s = await pageWith(`
      <div id="trigger" role="combobox" style="cursor:pointer">Pick a fruit</div><p id="out">none</p>
      <script>
        document.getElementById('trigger').addEventListener('click', () => setTimeout(() => {
          const list = document.createElement('ul');
          for (const fruit of ['Apple', 'Banana', 'Cherry']) {
            const li = document.createElement('li');
            li.textContent = fruit;
            li.onclick = () => { document.getElementById('out').textContent = 'Picked ' + fruit; list.remove(); };
            list.appendChild(li);
          }
          document.body.appendChild(list);
        }, 300));
      </script>`);
    const result = await run(s, { action_type: 'select_option', element_id: (await scanAndFind(s, 'Pick a fruit')).id, option: { label: 'Banana' } });
    assert.equal(result.data?.clicked, 'banana');
    assert.match(await pageText(s), /Picked Banana/);
  });

  test('an option whose text is split across tags still beats a loose match elsewhere', async () => {
    const s = await pageWith(`
      <p>Medium size chart</p>
      <button id="size" onclick="document.getElementById('menu').hidden = false">Choose a size</button>
      <ul id="menu" hidden>
        <li onclick="document.getElementById('out').textContent = 'Size S'">Small</li>
        <li onclick="document.getElementById('out').textContent = 'Size M'"><span>Med</span><span>ium</span></li>
      </ul><p id="out">Size none</p>`);
    await run(s, { action_type: 'select_option', element_id: (await scanAndFind(s, 'Choose a size')).id, option: { label: 'Medium' } });
    assert.match(await pageText(s), /Size M/);
  });

  test('Enter on a field waits for the form submission it starts', async () => {
    const s = await harness.openSession('/login.html');
    await run(s, { action_type: 'input_text', element_id: (await scanAndFind(s, 'Username')).id, text: 'alice' });
    const password = (await scanAndFind(s, 'Password')).id;
    await run(s, { action_type: 'input_text', element_id: password, text: 'wonderland' });
    await run(s, { action_type: 'keypress', element_id: password, keys: ['enter'] });
    assert.match(s.page.url(), /welcome\.html/, 'no waitForURL needed');
    assert.match(await pageText(s), /Welcome, alice!/);
  });
});
