import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serveFixtures, type FixtureServer } from '../../../../../test/fixtures/sites/server.ts';
import { gotoUrlBlock, withScheme } from './goto-url.block.ts';
import { blockContext, startTestBrowser, type TestBrowser } from '../../../../../test/support/block-context.ts';

describe('goto_url block (real Chromium)', () => {
  let browser: TestBrowser;
  let site: FixtureServer;
  before(async () => { [browser, site] = await Promise.all([startTestBrowser(), serveFixtures()]); });
  after(async () => { await browser.close(); await site.close(); });

  it('navigates the shared page and outputs TaskOutput keys', async () => {
    const runBrowser = await browser.open();
    const result = await gotoUrlBlock(blockContext({ block_type: 'goto_url', label: 'go', url: `${site.baseUrl}/index.html` }, { browser: runBrowser }));
    assert.equal(result.status, 'completed');
    assert.equal(runBrowser.page().url(), `${site.baseUrl}/index.html`);
    assert.equal(await runBrowser.page().title(), 'Skyport test sites');
    const output = result.output as Record<string, unknown>;
    assert.equal(output.status, 'completed');
    assert.equal(output.task_id, null);
    assert.deepEqual(output.downloaded_files, []);
  });

  it('fails with the navigation error when the site is unreachable', async () => {
    const runBrowser = await browser.open();
    const result = await gotoUrlBlock(blockContext({ block_type: 'goto_url', label: 'go', url: 'http://127.0.0.1:1/nothing' }, { browser: runBrowser }));
    assert.equal(result.status, 'failed');
    assert.match(result.failureReason ?? '', /Failed to navigate to url http:\/\/127\.0\.0\.1:1\/nothing/);
    assert.equal((result.output as Record<string, unknown>).status, 'failed');
  });

  it('fails an empty url without opening the browser', async () => {
    const result = await gotoUrlBlock(blockContext({ block_type: 'goto_url', label: 'go', url: '  ' }));
    assert.equal(result.status, 'failed');
  });

  it('refuses non-web URLs such as file://', async () => {
    const result = await gotoUrlBlock(blockContext({ block_type: 'goto_url', label: 'go', url: 'file:///etc/passwd' }));
    assert.equal(result.status, 'failed');
    assert.match(result.failureReason ?? '', /only opens http\(s\) URLs/);
  });

  it('adds https:// when the scheme is missing, like Skyvern', () => {
    assert.equal(withScheme('example.com/a'), 'https://example.com/a');
    assert.equal(withScheme('http://x.test'), 'http://x.test');
  });
});
