import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserHarness, findElement, type BrowserHarness } from '../../../test/support/browser.ts';
import { scanPage } from './scan-page.ts';
import { serializePage } from './serialize.ts';
import { locateElement } from './locate.ts';

let harness: BrowserHarness;
before(async () => {
  harness = await startBrowserHarness();
});
after(async () => {
  await harness?.close();
});

describe('scanPage', () => {
  test('lists form controls with labels, values and state', async () => {
    const session = await harness.openSession('/form.html');
    const scan = await scanPage(session.page);
    const email = findElement(scan, 'Email', 'input');
    assert.equal(email.type, 'email');
    assert.equal(email.value, '');
    assert.equal(email.placeholder, 'you@example.com');
    assert.equal(email.state.required, true);
    const country = findElement(scan, 'Country', 'select');
    assert.deepEqual(
      country.options?.map((o) => o.label),
      ['Choose a country', 'United States', 'Canada', 'Germany', 'Japan'],
    );
    assert.equal(findElement(scan, 'I agree to the terms of service').state.checked, false);
    assert.equal(findElement(scan, 'Free').state.checked, true);
    assert.ok(scan.text.some((t) => t.kind === 'heading' && t.text === 'Create your account'));
  });

  test('masks password values', async () => {
    const session = await harness.openSession('/form.html');
    await session.page.fill('#password', 'hunter2hunter2');
    const scan = await scanPage(session.page);
    assert.equal(findElement(scan, 'Password', 'input').value, '********');
    assert.doesNotMatch(serializePage(scan), /hunter2/);
  });

  test('keeps element IDs stable across re-scans and DOM changes', async () => {
    const session = await harness.openSession('/form.html');
    const first = await scanPage(session.page);
    // Insert a new control at the top: existing elements must keep their IDs.
    await session.page.evaluate(() => document.body.insertAdjacentHTML('afterbegin', '<button>Injected</button>'));
    const second = await scanPage(session.page);
    for (const el of first.elements) {
      const again = second.elements.find((e) => e.id === el.id);
      assert.ok(again, `element ${el.id} disappeared`);
      assert.equal(again.label ?? again.text, el.label ?? el.text);
    }
    const injected = findElement(second, 'Injected', 'button');
    assert.ok(!first.elements.some((e) => e.id === injected.id), 'new element must get a new ID');
  });

  test('finds elements inside same-origin and cross-origin iframes and resolves them', async () => {
    const session = await harness.openSession('/iframe.html');
    await session.page.frameLocator('#cross-origin-frame').getByText('Say hello').waitFor();
    const scan = await scanPage(session.page);
    const subscribe = findElement(scan, 'Subscribe', 'button');
    const hello = findElement(scan, 'Say hello', 'button');
    assert.notEqual(subscribe.frameId, 'main');
    assert.notEqual(hello.frameId, 'main');
    assert.notEqual(subscribe.frameId, hello.frameId);
    assert.ok(scan.frames.some((f) => f.url.includes('localhost') && f.frameId === hello.frameId));
    const locator = await locateElement(session.page, hello.id);
    assert.ok(locator);
    assert.equal(await locator.textContent(), 'Say hello');
    const rescan = await scanPage(session.page);
    assert.equal(findElement(rescan, 'Say hello', 'button').id, hello.id);
  });

  test('scans visible iframes under their title and skips hidden and pixel-sized ones', async () => {
    const session = await harness.openSession('/index.html');
    await session.page.setContent(`
      <iframe title="Visible widget" srcdoc="<button>Inside visible</button>" width="300" height="100"></iframe>
      <iframe name="pixel" srcdoc="<button>Inside pixel</button>" style="width:1px;height:1px;border:0"></iframe>
      <iframe title="Hidden widget" srcdoc="<button>Inside hidden</button>" style="visibility:hidden" width="300" height="100"></iframe>
      <iframe name="named-widget" srcdoc="<button>Inside named</button>" width="300" height="100"></iframe>`);
    const scan = await scanPage(session.page);
    const texts = scan.elements.map((e) => e.text);
    assert.ok(texts.includes('Inside visible') && texts.includes('Inside named'), texts.join(', '));
    assert.ok(!texts.includes('Inside pixel') && !texts.includes('Inside hidden'), texts.join(', '));
    const titles = scan.frames.filter((f) => f.frameId !== 'main').map((f) => f.title).sort();
    assert.deepEqual(titles, ['Visible widget', 'named-widget'], 'the title attribute, else the name');
  });

  test('finds elements inside open shadow roots and resolves them', async () => {
    const session = await harness.openSession('/shadow.html');
    const scan = await scanPage(session.page);
    const input = findElement(scan, 'Guest name', 'input');
    const button = findElement(scan, 'Greet me', 'button');
    assert.equal(input.inShadowRoot, true);
    assert.equal(button.inShadowRoot, true);
    const locator = await locateElement(session.page, `[${input.id}]`);
    assert.ok(locator);
    assert.equal(await locator.getAttribute('placeholder'), 'Your name');
  });

  test('shows validation errors as alerts and skips hidden elements', async () => {
    const session = await harness.openSession('/form.html');
    const before = await scanPage(session.page);
    assert.ok(!before.text.some((t) => t.text.includes('required')), 'empty error containers are hidden');
    assert.ok(!before.elements.some((e) => e.text === 'Registration complete'));
    await session.page.click('button[type=submit]');
    const scan = await scanPage(session.page);
    const alerts = scan.text.filter((t) => t.kind === 'alert').map((t) => t.text);
    assert.ok(alerts.includes('Full name is required.'), alerts.join(' | '));
    assert.ok(alerts.includes('Please fix 5 error(s) below.'));
    assert.match(serializePage(scan), /^! Enter a valid email address\.$/m);
  });

  test('lists custom dropdown options once the list is open', async () => {
    const session = await harness.openSession('/dropdown.html');
    const closed = await scanPage(session.page);
    assert.ok(!closed.elements.some((e) => e.role === 'option'));
    const trigger = findElement(closed, 'Favorite color');
    assert.equal(trigger.state.expanded, false);
    await session.page.click('#color-trigger');
    const open = await scanPage(session.page);
    assert.deepEqual(
      open.elements.filter((e) => e.role === 'option').map((e) => e.text),
      ['Red', 'Green', 'Blue'],
    );
    // cursor:pointer divs without semantics are still listed.
    assert.equal(findElement(open, 'Choose a size').tag, 'div');
  });

  test('serializes a typical form page compactly', async () => {
    const session = await harness.openSession('/form.html');
    const text = serializePage(await scanPage(session.page));
    assert.ok(text.length < 8000, `serialized form is ${text.length} chars`);
    assert.match(text, /^\[e\d+\] input type=email name=email label="Email" placeholder="you@example.com" value="" required$/m);
    assert.match(text, /^\[e\d+\] button "Create account"$/m);
    assert.match(text, /^# Create your account$/m);
  });

  test('joins table rows into one line per row', async () => {
    const session = await harness.openSession('/products.html?page=2');
    const text = serializePage(await scanPage(session.page));
    assert.match(text, /^SKU-006 \| Fan \| \$21\.00$/m);
    assert.match(text, /^\[e\d+\] a "Next page" href=\/products\.html\?page=3$/m);
  });
});
