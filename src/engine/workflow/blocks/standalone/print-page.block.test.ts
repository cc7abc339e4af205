import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { serveFixtures, type FixtureServer } from '../../../../../test/fixtures/sites/server.ts';
import { pdfText } from './file-parsers.ts';
import { pdfFileName, printPageBlock } from './print-page.block.ts';
import { blockContext, startTestBrowser, type TestBrowser } from '../../../../../test/support/block-context.ts';

describe('print_page block (real Chromium)', () => {
  let browser: TestBrowser;
  let site: FixtureServer;
  before(async () => { [browser, site] = await Promise.all([startTestBrowser(), serveFixtures()]); });
  after(async () => { await browser.close(); await site.close(); });

  it('saves the current page as a real PDF in downloads and as a pdf artifact', async () => {
    const runBrowser = await browser.open();
    await runBrowser.page().goto(`${site.baseUrl}/index.html`);
    const ctx = blockContext({ block_type: 'print_page', label: 'print', custom_filename: 'receipt 7/8', format: 'Letter' }, { browser: runBrowser });
    const result = await printPageBlock(ctx);
    assert.equal(result.status, 'completed', result.failureReason ?? '');
    const output = result.output as Record<string, any>;
    assert.equal(output.filename, 'receipt 7_8.pdf');
    const onDisk = await readFile(output.file_path);
    assert.equal(onDisk.subarray(0, 4).toString('latin1'), '%PDF');
    assert.equal(output.size_bytes, onDisk.length);
    assert.match(await pdfText(onDisk), /Skyport test sites/);

    const artifact = ctx.recorder.artifacts.find((a) => a.type === 'pdf');
    assert.ok(artifact, 'a pdf artifact was saved');
    assert.equal(artifact.id, output.artifact_id);
    assert.equal(artifact.blockRunId, 'wrb_test');
    assert.ok(artifact.data.equals(onDisk));
    assert.deepEqual(output.downloaded_file_artifact_ids, [artifact.id]);
    assert.equal(output.downloaded_files[0].file_size, onDisk.length);
    assert.match(output.downloaded_file_urls[0], /^file:\/\/.*receipt%207_8\.pdf$/);
  });

  it('names the file page_<timestamp>.pdf without custom_filename', () => {
    assert.equal(pdfFileName(null, new Date('2025-03-04T05:06:07Z')), 'page_20250304_050607.pdf');
    assert.equal(pdfFileName('../../etc/passwd', new Date()), '_.._etc_passwd.pdf');
  });
});
