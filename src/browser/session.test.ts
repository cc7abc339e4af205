import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DOWNLOAD_FILE_BODY } from '../../test/fixtures/sites/server.ts';
import { pageText, scanAndFind, startBrowserHarness, type BrowserHarness } from '../../test/support/browser.ts';
import { executeAction } from './actions/execute.ts';
import type { PageSession } from './session.ts';

let harness: BrowserHarness;
before(async () => {
  harness = await startBrowserHarness();
});
after(async () => {
  await harness?.close();
});

async function clickText(session: PageSession, text: string) {
  const element = await scanAndFind(session, text);
  const result = await executeAction({ session, timeoutMs: 8000 }, { action_type: 'click', element_id: element.id });
  assert.equal(result.success, true, result.error);
  return result;
}

describe('PageSession', () => {
  test('accepts alert, confirm and prompt dialogs and records their messages', async () => {
    const s = await harness.openSession('/dialogs.html');
    await clickText(s, 'Show alert');
    assert.match(await pageText(s), /The alert was closed\./);
    await clickText(s, 'Delete item (asks for confirmation)');
    assert.match(await pageText(s), /Item deleted\./);
    await clickText(s, 'Enter a nickname');
    assert.match(await pageText(s), /Nickname set to skipper\./);

    const reported = s.takeNewDialogs();
    assert.deepEqual(
      reported.map((d) => [d.type, d.message]),
      [
        ['alert', 'Your session will expire in 5 minutes.'],
        ['confirm', 'Are you sure you want to delete this item?'],
        ['prompt', 'Choose a nickname'],
      ],
    );
    assert.equal(reported[2]?.defaultValue, 'skipper');
    assert.deepEqual(s.takeNewDialogs(), [], 'dialogs are reported once');
    assert.equal(s.dialogs.length, 3, 'history keeps everything');
  });

  test('follows a link that opens a new tab', async () => {
    const s = await harness.openSession('/newtab.html');
    const first = s.page;
    const result = await clickText(s, 'Read the terms of service (opens in a new tab)');
    assert.notEqual(s.page, first);
    assert.match(String(result.data?.newPage), /\/newtab-target\.html$/);
    assert.equal(s.pages.length, 2);
    assert.match(await pageText(s), /You are reading the terms of service in a new tab/);
    // Closing the active tab falls back to the previous one.
    await s.page.close();
    assert.equal(s.page, first);
  });

  test('saves downloads into the session folder and lists them', async () => {
    const s = await harness.openSession('/download.html');
    const link = await scanAndFind(s, 'Download sales report (CSV)');
    const result = await executeAction({ session: s }, { action_type: 'download_file', element_id: link.id });
    assert.equal(result.success, true, result.error);
    assert.equal(result.data?.fileName, 'report.csv');
    assert.equal(await readFile(String(result.data?.file), 'utf8'), DOWNLOAD_FILE_BODY);

    // A plain click on the same link also downloads; the name must not clash with the first file.
    await clickText(s, 'Download sales report (CSV)');
    const downloads = await s.settleDownloads();
    assert.deepEqual(
      downloads.map((d) => d.fileName),
      ['report.csv', 'report (2).csv'],
    );
    for (const d of downloads) assert.ok(d.path.startsWith(s.downloadDir));
  });

  test('download_file fails clearly when the click downloads nothing', async () => {
    const s = await harness.openSession('/newtab.html');
    const heading = await scanAndFind(s, 'Read the terms of service (opens in a new tab)');
    const started = Date.now();
    const result = await executeAction({ session: s, timeoutMs: 500 }, { action_type: 'download_file', element_id: heading.id });
    assert.equal(result.success, false);
    assert.match(result.error ?? '', /no download started/);
    assert.ok(Date.now() - started < 15_000);
  });
});
