// settlePage on real Chromium: it waits for what an action set off (a debounced request and its
// rendering, a busy button, a page still loading), and only that long.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startBrowserHarness, type BrowserHarness } from '../../test/support/browser.ts';
import { settlePage } from './settle.ts';

describe('settlePage', () => {
  let harness: BrowserHarness;
  before(async () => { harness = await startBrowserHarness(); });
  after(async () => { await harness.close(); });

  it('waits for a debounced server typeahead to render its answer', async () => {
    const session = await harness.openSession('/live-typeahead.html');
    try {
      // The server answers after 1.5 s here, so the list cannot be there yet however slow this machine is.
      await session.context.route(/\/api\/live\/cities/, async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
      await session.page.getByLabel('Ship to city').fill('San');
      assert.equal(await session.page.getByRole('option').count(), 0);
      const result = await settlePage(session, { quietMs: 400 });
      assert.ok(await session.page.getByRole('option', { name: 'San Francisco, CA' }).count() > 0, `options rendered (waited ${result.waitedMs} ms)`);
      assert.equal(result.stillBusy, undefined);
    } finally { await session.context.close(); }
  });

  it('waits out a "Placing order…" button and the confirmation page that loads after it', async () => {
    const session = await harness.openSession('/live-checkout.html');
    try {
      await session.page.getByLabel('Name').fill('Ada Lovelace');
      await session.page.getByLabel('Card number').fill('4242424242424242');
      await session.page.getByRole('button', { name: 'Place order' }).click();
      await settlePage(session);
      assert.match(await session.page.locator('body').innerText(), /Order ORD-\d+ confirmed for Ada Lovelace/);
    } finally { await session.context.close(); }
  });

  it('finds nothing busy on a calm page, and gives up at the cap naming what still looks busy', async () => {
    const session = await harness.openSession('/login.html');
    try {
      const calm = await settlePage(session, { quietMs: 100 });
      assert.equal(calm.stillBusy, undefined);
      await session.page.evaluate(() => {
        const b = document.createElement('button'); b.disabled = true; b.textContent = 'Saving…'; document.body.append(b);
      });
      const busy = await settlePage(session, { quietMs: 100, capMs: 600 });
      assert.match(busy.stillBusy ?? '', /Saving…/);
    } finally { await session.context.close(); }
  });
});
