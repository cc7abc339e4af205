import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserHarness, findElement, type BrowserHarness } from '../../../test/support/browser.ts';
import { scanPage } from './scan-page.ts';
import { MODAL_NOTE, serializePage } from './serialize.ts';
import { locateElement } from './locate.ts';
import type { PageScan } from './types.ts';

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
    assert.match(text, /^\[e\d+\] input type=email label="Email" placeholder="you@example.com" required$/m);
    assert.match(text, /^\[e\d+\] button "Create account"$/m);
    assert.match(text, /^# Create your account$/m);
  });

  test('joins table rows into one line per row', async () => {
    const session = await harness.openSession('/products.html?page=2');
    const text = serializePage(await scanPage(session.page));
    assert.match(text, /^SKU-006 \| Fan \| \$21\.00$/m);
    assert.match(text, /^\[e\d+\] a "Next page" href=\/products\.html\?page=3$/m);
  });

  test('serializes a page without modal or row elements as before', async () => {
    const session = await harness.openSession('/products.html?page=2');
    const scan = await scanPage(session.page);
    assert.equal(scan.modalOpen, false);
    assert.ok(!scan.elements.some((e) => e.inline) && !scan.text.some((t) => t.parts));
    const lines = serializePage(scan).split('\n');
    assert.deepEqual(lines.slice(2), [
      '',
      '# Product catalog',
      'Page 2 of 3',
      'SKU | Product | Price',
      'SKU-006 | Fan | $21.00',
      'SKU-007 | Globe | $24.50',
      'SKU-008 | Hammock | $28.00',
      'SKU-009 | Inkwell | $31.50',
      'SKU-010 | Jacket | $35.00',
      '[e1] a "Previous page" href=/products.html?page=1',
      '[e2] a "Next page" href=/products.html?page=3',
    ]);
  });
});

/** The serialized page's header: the lines before the first blank line. */
const headerOf = (text: string) => text.slice(0, text.indexOf('\n\n')).split('\n');
const texts = (scan: PageScan) => scan.elements.map((e) => e.text ?? e.label ?? '');

describe('scanPage: content nobody can reach is left out', () => {
  test('inert and aria-hidden subtrees are left out; aria-hidden icons do not hide their button', async () => {
    const session = await harness.openSession('/scan-modal.html');
    const scan = await scanPage(session.page);
    const seen = texts(scan);
    assert.ok(seen.includes('Save profile') && seen.includes('Background link'), seen.join(', '));
    // inert <section>: neither its button nor its text.
    assert.ok(!seen.includes('Frozen button'), seen.join(', '));
    assert.ok(!scan.text.some((t) => t.text.includes('Frozen section text')));
    // aria-hidden="true" <div>: neither its link nor its text.
    assert.ok(!seen.includes('Duplicate image link'), seen.join(', '));
    assert.ok(!scan.text.some((t) => t.text.includes('Decorative duplicate text')));
    // An aria-hidden icon is the button's only content: the button stays, named by aria-label.
    const close = findElement(scan, 'Close panel', 'button');
    assert.equal(close.text, '×');
    assert.equal(findElement(scan, 'Save draft', 'button').tag, 'button');
    // The off-screen aria-modal drawer is not an open modal: nothing is blocked, frames are scanned.
    assert.equal(scan.modalOpen, false);
    assert.ok(seen.includes('Inside background frame'), seen.join(', '));
    assert.ok(!serializePage(scan).includes('Modal open'));
  });

  test('while a dialog opened with showModal() is open, only the dialog (and frames in it) are listed', async () => {
    const session = await harness.openSession('/scan-modal.html');
    const before = await scanPage(session.page);
    await session.page.click('#open-dialog');
    const scan = await scanPage(session.page);
    assert.equal(scan.modalOpen, true);
    assert.deepEqual(texts(scan), ['Yes, delete', 'Cancel', 'Inside dialog frame']);
    assert.deepEqual(scan.frames.map((f) => f.title ?? 'main'), ['main', 'Dialog widget']);
    assert.equal(scan.frames[0].modalOpen, true);
    assert.ok(scan.text.some((t) => t.kind === 'heading' && t.text === 'Delete your account?'));
    assert.ok(!scan.text.some((t) => t.text.includes('Background paragraph') || t.text === 'Account settings'));
    const text = serializePage(scan);
    assert.ok(headerOf(text).includes(MODAL_NOTE), text);
    assert.doesNotMatch(text, /Save profile|Inside background frame/);

    await session.page.click('#confirm-cancel');
    const after = await scanPage(session.page);
    assert.equal(after.modalOpen, false);
    assert.equal(findElement(after, 'Save profile').id, findElement(before, 'Save profile').id, 'IDs survive the modal');
    assert.ok(!serializePage(after).includes('Modal open'));
  });

  test('a visible role=dialog with aria-modal="true" hides the page behind it', async () => {
    const session = await harness.openSession('/scan-modal.html');
    await session.page.click('#open-sheet');
    const scan = await scanPage(session.page);
    assert.equal(scan.modalOpen, true);
    assert.deepEqual(texts(scan), ['Email address', 'Close sheet']);
    assert.ok(scan.text.some((t) => t.text === 'Share this page'));
    assert.ok(!scan.text.some((t) => t.text.includes('Background paragraph')));
    assert.ok(headerOf(serializePage(scan)).includes(MODAL_NOTE));
  });

  test('inert hosts and modals inside shadow roots', async () => {
    const session = await harness.openSession('/scan-shadow-modal.html');
    const closed = await scanPage(session.page);
    assert.deepEqual(texts(closed), ['Outside button', 'Open promo']);
    assert.ok(!closed.text.some((t) => t.text.includes('Frozen widget')), 'the shadow content of an inert host is left out');
    assert.equal(closed.modalOpen, false);
    await session.page.click('#open');
    const open = await scanPage(session.page);
    assert.equal(open.modalOpen, true);
    assert.deepEqual(texts(open), ['Dismiss promo']);
    assert.deepEqual(open.text.map((t) => t.text), ['Promo inside a shadow root']);
  });

  test('aria-hidden is ignored where it would hide the whole page', async () => {
    const session = await harness.openSession('/index.html');
    await session.page.setContent('<body aria-hidden="true"><button>Pay now</button></body>');
    assert.deepEqual(texts(await scanPage(session.page)), ['Pay now']);
    await session.page.setContent('<div id="app" aria-hidden="true"><h1>Shop</h1><button>Buy</button></div>');
    const stale = await scanPage(session.page);
    assert.deepEqual(texts(stale), ['Buy'], 'a left-over aria-hidden on the whole app must not leave the model blind');
    await session.page.setContent('<div aria-hidden="true"><button>Hidden twin</button></div><button>Visible</button>');
    assert.deepEqual(texts(await scanPage(session.page)), ['Visible']);
  });
});

describe('scanPage: table rows', () => {
  test('a table row is one line with its elements in place, each still a listed element', async () => {
    const session = await harness.openSession('/scan-table.html');
    const scan = await scanPage(session.page);
    const text = serializePage(scan);
    const row = /^\[(e\d+)\] input type=checkbox label="Select SKU-015" unchecked \| SKU-015 \| \[(e\d+)\] a "Oven mitt" href=\/products\.html\?page=3#sku-015 \| \$52\.50 \| \[(e\d+)\] button "Reorder" \[(e\d+)\] button "Return"$/m.exec(text);
    assert.ok(row, text);
    assert.match(text, /^\[e\d+\] input type=checkbox label="Select SKU-014" unchecked \| SKU-014 \| Notebook \| \$49\.00 \| \[e\d+\] a "View" href=\/products\.html\?page=3#sku-014$/m);
    const [, checkbox, link, reorder, ret] = row;
    for (const [id, name] of [[checkbox, 'Select SKU-015'], [link, 'Oven mitt'], [reorder, 'Reorder'], [ret, 'Return']]) {
      const el = scan.elements.find((e) => e.id === id);
      assert.ok(el, `${id} is in scan.elements`);
      assert.equal(el.text ?? el.label, name);
      assert.equal(el.inline, true);
      // Shown once: in the row, not again on a line of its own.
      assert.equal(text.split(`[${id}]`).length - 1, 1, `${id} appears once`);
    }
    const locator = await locateElement(session.page, link);
    assert.ok(locator);
    assert.equal(await locator.textContent(), 'Oven mitt');
    const block = scan.text.find((t) => t.parts?.some((p) => typeof p !== 'string' && p.id === link));
    assert.equal(block?.text, 'Select SKU-015 | SKU-015 | Oven mitt | $52.50 | Reorder Return');
  });

  test('paragraphs and layout tables keep one line per element', async () => {
    const session = await harness.openSession('/scan-table.html');
    const scan = await scanPage(session.page);
    const text = serializePage(scan);
    assert.match(text, /^Read the\n\[e\d+\] a "return policy" href=\/index\.html\nbefore you send anything back\.$/m);
    assert.match(text, /^Our support team answers within one business day\. .*\n\[e\d+\] button "Contact support"$/m);
    assert.equal(findElement(scan, 'Contact support').inline, undefined);
    assert.match(text, /^Select \| SKU \| Product \| Price \| Actions$/m);
  });
});

