import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pageText, scanAndFind, startBrowserHarness, type BrowserHarness } from '../../../test/support/browser.ts';
import type { PageSession } from '../session.ts';
import { scanPage } from '../scan/scan-page.ts';
import { executeAction } from './execute.ts';
import type { ActionResult, BrowserAction } from './types.ts';

let harness: BrowserHarness;
let scratch: string;
before(async () => {
  harness = await startBrowserHarness();
  scratch = await mkdtemp(join(tmpdir(), 'skyport-actions-test-'));
});
after(async () => {
  await harness?.close();
  await rm(scratch, { recursive: true, force: true });
});

async function run(session: PageSession, action: BrowserAction): Promise<ActionResult> {
  const result = await executeAction({ session, timeoutMs: 8000, tempDir: scratch }, action);
  assert.equal(result.success, true, `${action.action_type} failed: ${result.error}`);
  return result;
}

/** Element ID of the element with this text/label on the active page, found through a fresh scan. */
async function id(session: PageSession, text: string, tag?: string): Promise<string> {
  return (await scanAndFind(session, text, tag)).id;
}

describe('executeAction', () => {
  test('fills the registration form: text, native select, radio, hidden styled checkbox', async () => {
    const s = await harness.openSession('/form.html');
    await run(s, { action_type: 'input_text', element_id: await id(s, 'Full name'), text: 'Ada Lovelace' });
    await run(s, { action_type: 'input_text', element_id: await id(s, 'Email'), text: 'ada@example.com' });
    await run(s, { action_type: 'input_text', element_id: await id(s, 'Password'), text: 'analytical-engine' });
    const selected = await run(s, { action_type: 'select_option', element_id: await id(s, 'Country'), option: { label: 'canada' } });
    assert.deepEqual(selected.data?.selected, { label: 'Canada', value: 'CA' });
    await run(s, { action_type: 'click', element_id: await id(s, 'Pro') });
    const newsletter = await run(s, {
      action_type: 'checkbox',
      element_id: await id(s, 'Send me the monthly newsletter'),
      is_checked: true,
    });
    assert.equal(newsletter.data?.method, 'label', 'hidden input is reached through its label');
    await run(s, { action_type: 'checkbox', element_id: await id(s, 'I agree to the terms of service'), is_checked: true });
    await run(s, { action_type: 'click', element_id: await id(s, 'Create account', 'button') });
    assert.match(
      await pageText(s),
      /Thank you, Ada Lovelace! Your pro account for ada@example.com \(CA\) has been created\. You will receive the newsletter\./,
    );
  });

  test('selects native options by value and by index', async () => {
    const s = await harness.openSession('/form.html');
    const country = await id(s, 'Country');
    await run(s, { action_type: 'select_option', element_id: country, option: { value: 'DE' } });
    assert.equal(await s.page.inputValue('#country'), 'DE');
    await run(s, { action_type: 'select_option', element_id: country, option: { index: 4 } });
    assert.equal(await s.page.inputValue('#country'), 'JP');
    const missing = await executeAction({ session: s }, { action_type: 'select_option', element_id: country, option: { label: 'Atlantis' } });
    assert.equal(missing.success, false);
    assert.match(missing.error ?? '', /available options: .*"Canada"/);
  });

  test('logs in with keypress Enter and lands on the welcome page', async () => {
    const s = await harness.openSession('/login.html');
    await run(s, { action_type: 'input_text', element_id: await id(s, 'Username'), text: 'alice' });
    const password = await id(s, 'Password');
    await run(s, { action_type: 'input_text', element_id: password, text: 'wonderland' });
    await run(s, { action_type: 'keypress', element_id: password, keys: ['enter'] });
    await s.page.waitForURL(/welcome\.html/);
    assert.match(await pageText(s), /Welcome, alice!/);
  });

  test('picks options in custom dropdowns (ARIA listbox and plain divs)', async () => {
    const s = await harness.openSession('/dropdown.html');
    await run(s, { action_type: 'select_option', element_id: await id(s, 'Favorite color'), option: { label: 'Green' } });
    await run(s, { action_type: 'select_option', element_id: await id(s, 'Choose a size'), option: { label: 'Medium' } });
    const text = await pageText(s);
    assert.match(text, /Selected color: Green/);
    assert.match(text, /Selected size: Medium/);
  });

  test('handles a native date input and a typed text date', async () => {
    const s = await harness.openSession('/datepicker.html');
    const departure = await run(s, { action_type: 'input_text', element_id: await id(s, 'Departure date'), text: '05/01/2024' });
    assert.equal(departure.data?.value, '2024-05-01');
    await run(s, { action_type: 'input_text', element_id: await id(s, 'Return date (MM/DD/YYYY)'), text: '05/10/2024' });
    await run(s, { action_type: 'click', element_id: await id(s, 'Search flights') });
    assert.match(await pageText(s), /Departure: 2024-05-01, Return: 05\/10\/2024/);
  });

  test('acts inside a same-origin iframe, a cross-origin iframe and a shadow root', async () => {
    const s = await harness.openSession('/iframe.html');
    await s.page.frameLocator('#cross-origin-frame').getByText('Say hello').waitFor();
    await run(s, { action_type: 'input_text', element_id: await id(s, 'Newsletter email'), text: 'frames@example.com' });
    await run(s, { action_type: 'click', element_id: await id(s, 'Subscribe', 'button') });
    await run(s, { action_type: 'click', element_id: await id(s, 'Say hello', 'button') });
    const text = await pageText(s);
    assert.match(text, /Subscribed: frames@example.com/);
    assert.match(text, /Hello from the cross-origin frame!/);

    const shadow = await harness.openSession('/shadow.html');
    await run(shadow, { action_type: 'input_text', element_id: await id(shadow, 'Guest name'), text: 'Sam' });
    await run(shadow, { action_type: 'hover', element_id: await id(shadow, 'Greet me') });
    await run(shadow, { action_type: 'click', element_id: await id(shadow, 'Greet me') });
    assert.match(await pageText(shadow), /Hello, Sam!/);
  });

  test('walks through pagination, scrolls, waits and goes to a URL', async () => {
    const s = await harness.openSession('/products.html');
    await run(s, { action_type: 'click', element_id: await id(s, 'Next page') });
    await run(s, { action_type: 'click', element_id: await id(s, 'Next page') });
    const text = await pageText(s);
    assert.match(text, /Page 3 of 3/);
    assert.match(text, /SKU-015 \| Oven mitt/);
    assert.ok(!(await scanPage(s.page)).elements.some((e) => e.text === 'Next page'));
    await run(s, { action_type: 'scroll', direction: 'down' });
    await run(s, { action_type: 'wait', seconds: 0.05 });
    const goto = await run(s, { action_type: 'goto_url', url: '/products.html?page=1' });
    assert.equal(goto.data?.status, 200);
    assert.match(await pageText(s), /Page 1 of 3/);
  });

  test('completes the multi-page checkout and shows an order number', async () => {
    const s = await harness.openSession('/cart.html');
    await run(s, { action_type: 'input_text', element_id: await id(s, 'Quantity of Red Gadget'), text: '3' });
    await run(s, { action_type: 'click', element_id: await id(s, 'Proceed to shipping') });
    await s.page.waitForURL(/shipping\.html/);
    await run(s, { action_type: 'input_text', element_id: await id(s, 'Recipient name'), text: 'Grace Hopper' });
    await run(s, { action_type: 'input_text', element_id: await id(s, 'Street address'), text: '1 Navy Way' });
    await run(s, { action_type: 'input_text', element_id: await id(s, 'City'), text: 'Arlington' });
    await run(s, { action_type: 'input_text', element_id: await id(s, 'ZIP code'), text: '22202' });
    await run(s, { action_type: 'click', element_id: await id(s, 'Express (1-2 days, $15)') });
    await run(s, { action_type: 'click', element_id: await id(s, 'Place order') });
    await s.page.waitForURL(/confirmation\.html/);
    const text = await pageText(s);
    assert.match(text, /Order number: SKY-\d{5}/);
    assert.match(text, /1 x Blue Widget and 3 x Red Gadget to Grace Hopper in Arlington 22202 by express/);
  });

  test('uploads a local file and a file fetched from a URL', async () => {
    const local = join(scratch, 'resume.txt');
    await writeFile(local, 'Ada Lovelace - Analyst\n');
    const s = await harness.openSession('/upload.html');
    const uploaded = await run(s, { action_type: 'upload_file', element_id: await id(s, 'Document'), file_url: local });
    assert.equal(uploaded.data?.fileName, 'resume.txt');
    assert.match(await pageText(s), /Selected file: resume\.txt/);
    await run(s, { action_type: 'click', element_id: await id(s, 'Upload', 'button') });
    await s.page.waitForURL(/\/upload$/);
    assert.match(await pageText(s), /Uploaded file: resume\.txt \(23 bytes\)/);

    const fromUrl = await harness.openSession('/upload.html');
    await run(fromUrl, {
      action_type: 'upload_file',
      element_id: await id(fromUrl, 'Document'),
      file_url: `${harness.server.baseUrl}/download/report.csv`,
    });
    await run(fromUrl, { action_type: 'click', element_id: await id(fromUrl, 'Upload', 'button') });
    await fromUrl.page.waitForURL(/\/upload$/);
    assert.match(await pageText(fromUrl), /Uploaded file: report\.csv/);
  });

  test('reports a stale or unknown element ID as a failure instead of throwing', async () => {
    const s = await harness.openSession('/form.html');
    const result = await executeAction({ session: s }, { action_type: 'click', element_id: 'e9999' });
    assert.equal(result.success, false);
    assert.match(result.error ?? '', /not on the page/);
  });
});
