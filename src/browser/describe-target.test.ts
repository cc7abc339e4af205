// describeTarget on real Chromium: every strategy it keeps finds exactly the scanned element, in
// the main page, a same-origin iframe and an open shadow root; ambiguous ways are dropped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserHarness, findElement, type BrowserHarness } from '../../test/support/browser.ts';
import { describeTarget, strategyLocator } from './describe-target.ts';
import { scanPage } from './scan/scan-page.ts';
import { ELEMENT_ID_ATTRIBUTE } from './scan/types.ts';

describe('describeTarget', () => {
  let h: BrowserHarness;
  before(async () => { h = await startBrowserHarness(); });
  after(async () => { await h.close(); });

  /** Resolves every kept strategy from the top page through the recorded iframe path. */
  async function resolveAll(session: Awaited<ReturnType<BrowserHarness['openSession']>>, id: string) {
    const target = await describeTarget(session.page, id);
    assert.ok(target, `no description for ${id}`);
    for (const strategy of target.strategies) {
      let root = session.page.mainFrame();
      for (const selector of target.frames) {
        const frame = await (await root.locator(selector).elementHandle())!.contentFrame();
        root = frame!;
      }
      const locator = strategyLocator(root, strategy);
      assert.equal(await locator.count(), 1, `${JSON.stringify(strategy)} matches one element`);
      assert.equal(await locator.getAttribute(ELEMENT_ID_ATTRIBUTE), id, `${JSON.stringify(strategy)} matches ${id}`);
    }
    return target;
  }

  it('names form fields by role, label and CSS, and buttons by role', async () => {
    const session = await h.openSession('/form.html');
    const scan = await scanPage(session.page);
    const name = await resolveAll(session, findElement(scan, 'Full name').id);
    assert.deepEqual(name.frames, []);
    assert.deepEqual(name.strategies.map((s) => s.by), ['role', 'label', 'css']);
    assert.deepEqual(name.strategies[0], { by: 'role', role: 'textbox', name: 'Full name' });
    const button = await resolveAll(session, findElement(scan, 'Create account', 'button').id);
    assert.deepEqual(button.strategies[0], { by: 'role', role: 'button', name: 'Create account' });
    const country = await resolveAll(session, findElement(scan, 'Country').id);
    assert.equal(country.strategies[0]!.by === 'role' && country.strategies[0].role, 'combobox');
  });

  it('records the iframe path of an element in a same-origin iframe', async () => {
    const session = await h.openSession('/iframe.html');
    const scan = await scanPage(session.page);
    const email = await resolveAll(session, findElement(scan, 'Newsletter email').id);
    assert.deepEqual(email.frames, ['iframe[title="Newsletter signup"]']);
    assert.ok(email.strategies.length >= 2);
  });

  it('reaches into an open shadow root', async () => {
    const session = await h.openSession('/shadow.html');
    const scan = await scanPage(session.page);
    const guest = await resolveAll(session, findElement(scan, 'Guest name').id);
    assert.ok(guest.strategies.some((s) => s.by === 'css' && s.selector.startsWith('greeting-card ')), JSON.stringify(guest.strategies));
    assert.ok(guest.strategies.some((s) => s.by === 'label'));
  });

  it('drops ways that match more than one element', async () => {
    const session = await h.openSession('/scan-table.html');
    const scan = await scanPage(session.page);
    const reorder = scan.elements.find((el) => el.text === 'Reorder')!;
    const target = await resolveAll(session, reorder.id);
    // Only one "Reorder" button on the page, but every row's checkbox is "Select SKU-…": each distinct.
    assert.ok(target.strategies.length >= 1);
    const checkbox = await resolveAll(session, findElement(scan, 'Select SKU-015').id);
    assert.ok(checkbox.strategies.every((s) => s.by !== 'text'));
  });
});
