import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../../../../../test/fixtures/llm/http-fixture.ts';
import { startScriptedLlm, type ScriptedLlm } from '../../../../../test/fixtures/llm/scripted-openai-server.ts';
import { fileUrlParserBlock } from './file-url-parser.block.ts';
import { blockContext, filesOnlyBrowser, scriptedLlmClient } from '../../../../../test/support/block-context.ts';

const FILES_DIR = fileURLToPath(new URL('../../../../../test/fixtures/files/', import.meta.url));

describe('file_url_parser block (local file server)', () => {
  let files: FixtureServer;
  let llm: ScriptedLlm;
  before(async () => {
    files = await startFixtureServer(async (req, res) => {
      const name = req.query.get('file') ?? path.basename(req.path);
      const data = await readFile(path.join(FILES_DIR, name)).catch(() => null);
      if (!data || req.path.startsWith('/missing')) {
        res.writeHead(404).end('not found');
        return;
      }
      // /download?file=<name> hides the name and type (octet-stream), so detection must sniff the bytes.
      res.writeHead(200, { 'content-type': req.path === '/download' ? 'application/octet-stream' : 'text/plain' }).end(data);
    });
    llm = await startScriptedLlm(() => ({ invoice_number: 'INV-7', total: 42 }));
  });
  after(async () => { await files.close(); await llm.close(); });

  const run = (block: Record<string, unknown>, options = {}) =>
    fileUrlParserBlock(blockContext({ block_type: 'file_url_parser', label: 'parse', ...block } as never, options));

  it('parses CSV into row objects (quotes, embedded commas and newlines, missing cells)', async () => {
    const result = await run({ file_url: `${files.baseUrl}/orders.csv` });
    assert.equal(result.status, 'completed');
    assert.deepEqual(result.output, [
      { id: '1', name: 'Blue Widget', amount: '19.99', note: 'says "hi", twice' },
      { id: '2', name: 'Red Gadget', amount: '5.00', note: 'two\nlines' },
      { id: '3', name: 'Green Thing', amount: '', note: '' },
    ]);
  });

  it('sniffs the tab delimiter of a TSV', async () => {
    const result = await run({ file_url: `${files.baseUrl}/stock.tsv`, file_type: 'csv' });
    assert.deepEqual(result.output, [{ sku: 'A-1', qty: '3' }, { sku: 'B-2', qty: '7' }]);
  });

  it('returns JSON files as data and text files as a string', async () => {
    const json = await run({ file_url: `${files.baseUrl}/customer.json` });
    assert.deepEqual(json.output, { customer: { name: 'Ada Lovelace', email: 'ada@example.com' }, orders: [1, 2, 3] });
    const sniffedJson = await run({ file_url: `${files.baseUrl}/download?file=customer.json` });
    assert.deepEqual(sniffedJson.output, json.output);
    const text = await run({ file_url: `${files.baseUrl}/notes.txt` });
    assert.equal(text.output, 'Meeting notes\nThe invoice total is 42 EUR.\n');
  });

  it('extracts the text of a PDF, detected from its bytes when the URL says nothing', async () => {
    const byName = await run({ file_url: `${files.baseUrl}/invoice.pdf` });
    assert.equal(byName.output, 'Invoice INV-7 total 42.00 EUR');
    const bySniff = await run({ file_url: `${files.baseUrl}/download?file=invoice.pdf` });
    assert.equal(bySniff.output, 'Invoice INV-7 total 42.00 EUR');
  });

  it('with json_schema, asks the LLM to structure the parsed content', async () => {
    const schema = { type: 'object', properties: { invoice_number: { type: 'string' }, total: { type: 'number' } }, required: ['total'] };
    const ctx = blockContext({ block_type: 'file_url_parser', label: 'parse', file_url: `${files.baseUrl}/invoice.pdf`, json_schema: schema } as never, { llm: scriptedLlmClient(llm.baseUrl) });
    const result = await fileUrlParserBlock(ctx);
    assert.equal(result.status, 'completed');
    assert.deepEqual(result.output, { invoice_number: 'INV-7', total: 42 });
    assert.match(JSON.stringify(llm.calls.at(-1)!.messages), /Invoice INV-7 total 42\.00 EUR/);
    assert.equal(ctx.recorder.usage.length, 1);
  });

  it('reads a local file only from the run downloads folder', async () => {
    const run_files = await filesOnlyBrowser();
    try {
      const local = path.join(run_files.downloadsDir, 'local.csv');
      await writeFile(local, 'x,y\n1,2\n');
      const byPath = await run({ file_url: local }, { browser: run_files });
      assert.deepEqual(byPath.output, [{ x: '1', y: '2' }]);
      const byUrl = await run({ file_url: pathToFileURL(local).href }, { browser: run_files });
      assert.deepEqual(byUrl.output, [{ x: '1', y: '2' }]);
      const outside = await run({ file_url: path.join(FILES_DIR, 'orders.csv') }, { browser: run_files });
      assert.equal(outside.status, 'failed');
      assert.match(outside.failureReason ?? '', /outside the run's download directory/);
      const escape = await run({ file_url: `${run_files.downloadsDir}/../../etc/passwd` }, { browser: run_files });
      assert.equal(escape.status, 'failed');
    } finally {
      await run_files.cleanup();
    }
  });

  it('fails with Skyvern\'s failure output on a 404 or an unsupported type', async () => {
    const missing = await run({ file_url: `${files.baseUrl}/missing/orders.csv` });
    assert.equal(missing.status, 'failed');
    assert.match(missing.failureReason ?? '', /Failed to download or validate file: HTTP 404/);
    assert.deepEqual(missing.output, {
      status: 'failed', failure_reason: missing.failureReason,
      errors: [{ error_code: 'FILE_PARSER_ERROR', reasoning: missing.failureReason, confidence_float: 1 }],
    });
    const excel = await run({ file_url: `${files.baseUrl}/orders.csv`, file_type: 'excel' });
    assert.equal(excel.status, 'failed');
    assert.match(excel.failureReason ?? '', /excel files are not supported/);
  });

  it('pdf_parser is file_url_parser fixed to PDF', async () => {
    const result = await fileUrlParserBlock(blockContext({ block_type: 'pdf_parser', label: 'pdf', file_url: `${files.baseUrl}/download?file=invoice.pdf` } as never));
    assert.equal(result.output, 'Invoice INV-7 total 42.00 EUR');
  });
});
