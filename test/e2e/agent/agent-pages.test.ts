// skyvern-1.0 end to end on the harder page shapes: frames, shadow roots, pagination with
// extraction to a schema, downloads, uploads, alerts and new tabs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DOWNLOAD_FILE_BODY, type FixtureServer } from '../../fixtures/sites/server.ts';
import type { TestStack } from '../../support/stack.ts';
import { act, click, complete, simpleBrain, startAgentHarness, type AgentHarness, type, verdict, type AgentCall, type ScriptedAgent } from './support/scripted-agent.ts';

const PRODUCTS_SCHEMA = {
  type: 'object',
  properties: {
    products: {
      type: 'array',
      items: {
        type: 'object',
        properties: { sku: { type: 'string' }, name: { type: 'string' }, price: { type: 'number' } },
        required: ['sku', 'name', 'price'],
      },
    },
  },
  required: ['products'],
};

/** The scripted extractor: reads the table rows off the page and merges what was saved earlier. */
function extractProducts(call: AgentCall, asStrings: boolean) {
  const earlierText = call.sections['DATA SAVED EARLIER']?.split('\n')[0];
  const earlier: any[] = earlierText ? JSON.parse(earlierText).products : [];
  const rows = [...call.page.text.matchAll(/^(SKU-\d+) \| (.+?) \| \$([\d.]+)$/gm)]
    .map((m) => ({ sku: m[1], name: m[2], price: asStrings ? `$${m[3]}` : Number(m[3]) }));
  const merged = [...earlier, ...rows.filter((r) => !earlier.some((e) => e.sku === r.sku))];
  return { products: merged };
}

describe('agent skyvern-1.0: page shapes', { concurrency: 3 }, () => {
  let stack: TestStack; let agent: ScriptedAgent; let site: FixtureServer;
  let runTask: AgentHarness['runTask'];
  let harness: AgentHarness;
  before(async () => { harness = await startAgentHarness(); ({ stack, agent, site, runTask } = harness); });
  after(async () => { await harness?.close(); });

  it('acts inside a same-origin and a cross-origin iframe', async () => {
    agent.on('[iframe-test]', simpleBrain(/Subscribed: ada@example.com[\s\S]*Hello from the cross-origin frame!/, ({ page }) =>
      act('Both frames', type(page.find('Newsletter email'), 'ada@example.com'), click(page.find('Subscribe')), click(page.find('Say hello')))));
    const run = await runTask({ prompt: 'Subscribe ada@example.com to the newsletter and press "Say hello". [iframe-test]', url: `${site.baseUrl}/iframe.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
    const ids = agent.callsFor('[iframe-test]')[0]!.page.elements.map((e) => e.id);
    assert.ok(ids.every((id) => /^f\d+e\d+$/.test(id)), `frame-prefixed IDs: ${ids}`);
  });

  it('acts inside an open shadow root', async () => {
    agent.on('[shadow-test]', simpleBrain(/Hello, Ada!/, ({ page }) => act('Greet', type(page.find('Guest name'), 'Ada'), click(page.find('Greet me')))));
    const run = await runTask({ prompt: 'Greet the guest Ada. [shadow-test]', url: `${site.baseUrl}/shadow.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
  });

  it('collects a paginated table into data_extraction_schema (a mismatch is re-asked once)', async () => {
    let extractCalls = 0;
    agent.on('[pages-test]', (call) => {
      const { page } = call;
      if (call.kind === 'extract') return extractProducts(call, ++extractCalls === 1); // first reply: prices as strings
      if (call.kind === 'check') return verdict(page.has('Page 3 of 3') && /products\.html\?page=3:\n\s+- extract → ok/.test(call.sections['ACTIONS TAKEN'] ?? ''));
      if (page.has('Page 3 of 3')) return act('Last page', { action_type: 'extract' }, complete());
      return act('Save this page, go on', { action_type: 'extract' }, click(page.find('Next page')));
    });
    const run = await runTask({ prompt: 'List every product (sku, name, price) in the catalog, across all pages. [pages-test]', url: `${site.baseUrl}/products.html?page=1`, data_extraction_schema: PRODUCTS_SCHEMA });
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(run.output.products.length, 15);
    assert.deepEqual(run.output.products.at(-1), { sku: 'SKU-015', name: 'Oven mitt', price: 52.5 });
    const extracts = agent.callsFor('[pages-test]').filter((c) => c.kind === 'extract');
    assert.match(extracts[1]!.sections['PROBLEM WITH YOUR LAST REPLY']!, /must be number/);
    assert.equal(run.step_count, 3, 'no extra step for the final output: the last extraction is reused');
  });

  it('downloads a file and lists it in downloaded_files', async () => {
    agent.on('[download-test]', (call) => {
      if (call.kind === 'check') return verdict(/saved report\.csv/.test(call.sections['ACTIONS TAKEN'] ?? ''));
      // The download leaves no text on the page to quote: the claim goes to the checker.
      if (/saved report\.csv/.test(call.sections['PREVIOUS STEPS'] ?? '')) return act('Saved', complete());
      return act('Download', { action_type: 'download_file', element_id: call.page.find(/Download sales report/) });
    });
    const run = await runTask({ prompt: 'Download the sales report. [download-test]', url: `${site.baseUrl}/download.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(run.downloaded_files.length, 1);
    assert.equal(run.downloaded_files[0].filename, 'report.csv');
    const file = await stack.api.app.inject({ method: 'GET', url: new URL(run.downloaded_files[0].url).pathname + new URL(run.downloaded_files[0].url).search });
    assert.equal(file.body, DOWNLOAD_FILE_BODY);
  });

  it('uploads the file the prompt names, and refuses one it does not', async () => {
    const fileUrl = `${site.baseUrl}/download/report.csv`;
    agent.on('[upload-test]', simpleBrain(/Uploaded file: report\.csv/, ({ page, goal, sections }) => {
      // First try a file the user never mentioned (must be refused), then the one from the goal.
      const wanted = sections['PREVIOUS STEPS'] ? /(http\S+\.csv)/.exec(goal)![1]! : '/etc/passwd';
      return act('Upload', { action_type: 'upload_file', element_id: page.find('Document'), file_url: wanted }, click(page.find('Upload', 'button')));
    }));
    const run = await runTask({ prompt: `Upload the file ${fileUrl} with the document form. [upload-test]`, url: `${site.baseUrl}/upload.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.ok(site.uploads.some((u) => u.fileName === 'report.csv' && u.content.toString() === DOWNLOAD_FILE_BODY));
    assert.ok(!site.uploads.some((u) => u.fileName === 'passwd'));
    const second = agent.callsFor('[upload-test]').filter((c) => c.kind === 'action')[1]!;
    assert.match(second.sections['PREVIOUS STEPS']!, /upload_file .*\/etc\/passwd → FAILED: file_url "\/etc\/passwd" is not one the task gives/);
  });

  it('accepts an alert and tells the model what it said', async () => {
    agent.on('[alert-test]', (call) => {
      const message = /dialog \(accepted automatically\): "(.*)"/.exec(call.prompt)?.[1];
      if (call.kind === 'check') return verdict(call.page.has('The alert was closed.') && !!message, 'alert seen', message ? { alert: message } : null);
      if (message && call.page.has('The alert was closed.')) return act('Seen it', complete({ alert: message }, 'The alert was closed.'));
      return act('Open it', click(call.page.find('Show alert')));
    });
    const run = await runTask({ prompt: 'Press "Show alert" and report what the alert said. [alert-test]', url: `${site.baseUrl}/dialogs.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.deepEqual(run.output, { alert: 'Your session will expire in 5 minutes.' });
  });

  it('follows a link that opens a new tab', async () => {
    agent.on('[newtab-test]', simpleBrain(/reading the terms of service in a new tab/, ({ page }) => act('Open terms', click(page.find(/Read the terms of service/)))));
    const run = await runTask({ prompt: 'Open the terms of service. [newtab-test]', url: `${site.baseUrl}/newtab.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
    const last = agent.callsFor('[newtab-test]').filter((c) => c.kind === 'action').at(-1)!;
    assert.match(last.page.url, /newtab-target\.html$/);
    assert.match(last.sections['PREVIOUS STEPS']!, /opened a new tab \/newtab-target\.html/);
  });
});
