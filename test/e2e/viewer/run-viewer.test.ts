// The run viewer in real Chromium against a listening server with a worker: sign in with the API
// key, the runs list, a run's page (screenshots that really load, actions, output, failure
// reason), a run updating live without reload, and what a wrong key or another organization sees.
// Screenshots of each page go to SKYPORT_VIEWER_SHOTS (docs/images uses them) or a temp folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { defaultChromiumPath, launchChromium } from '../../../src/browser/launch.ts';
import { startReceiver } from '../../support/webhook-receiver.ts';
import { act, click, simpleBrain, startAgentHarness, type, type AgentHarness } from '../agent/support/scripted-agent.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('run viewer', () => {
  let harness: AgentHarness;
  let browser: Browser;
  let base = '';
  let shots = '';
  let completedRun: any;
  let failedRun: any;
  const contexts: BrowserContext[] = [];

  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    contexts.push(context);
    return context.newPage();
  };
  const signIn = async (page: Page, key: string, next = '/runs') => {
    await page.goto(`${base}${next}`);
    assert.match(page.url(), /\/login\?next=/, 'an unsigned visitor is sent to sign in');
    await page.fill('#api_key', key);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
  };
  const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

  before(async () => {
    harness = await startAgentHarness();
    const { agent } = harness;
    agent.on('[viewer-login]', simpleBrain(/Welcome, alice/, ({ page }) =>
      act('Sign in with the given account', type(page.find('Username'), 'alice'), type(page.find('Password'), 'wonderland'), click(page.find('Sign in', 'button')))));
    agent.on('[viewer-fail]', (call) => {
      if (call.kind === 'check') return { thoughts: 'no', user_goal_achieved: false, output: null };
      return act('The page has no such report', { action_type: 'terminate', reason: 'The quarterly report is not on this site' });
    });
    // Slow: each answer takes 1.5 s, so the run is open in the page while it works.
    agent.on('[viewer-slow]', async (call) => {
      await sleep(1500);
      return simpleBrain(/Welcome, alice/, ({ page }) =>
        act('Sign in', type(page.find('Username'), 'alice'), type(page.find('Password'), 'wonderland'), click(page.find('Sign in', 'button'))))(call);
    });
    const { site } = harness;
    [completedRun, failedRun] = await Promise.all([
      harness.runTask({ prompt: 'Sign in as alice with password wonderland. [viewer-login]', url: `${site.baseUrl}/login.html`, extra_http_headers: { Authorization: 'Bearer viewer-header-secret' } }),
      harness.runTask({ prompt: 'Download the quarterly report. [viewer-fail]', url: `${site.baseUrl}/index.html` }),
    ]);
    assert.equal(completedRun.status, 'completed', completedRun.failure_reason);
    assert.equal(failedRun.status, 'terminated', JSON.stringify(failedRun));
    await harness.stack.api.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(harness.stack.api.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium({ executablePath: defaultChromiumPath() });
    shots = process.env.SKYPORT_VIEWER_SHOTS ?? await mkdtemp(path.join(os.tmpdir(), 'skyport-viewer-shots-'));
    await mkdir(shots, { recursive: true });
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await harness?.close();
  });

  it('sends app_url to this server\'s viewer', () => {
    assert.equal(completedRun.app_url, `${harness.stack.config.baseUrl}/runs/${completedRun.run_id}`);
  });

  it('signs in with the API key into an HttpOnly, SameSite=Strict cookie and lists the organization\'s runs', async () => {
    const page = await newPage();
    await page.goto(`${base}/runs`);
    await shoot(page, 'login');
    await signIn(page, harness.stack.apiKey);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'skyport_viewer');
    assert.ok(session, 'the viewer set its cookie');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.ok(!session.value.includes(harness.stack.apiKey), 'the key is sealed, not stored in the cookie as is');
    const row = page.locator(`tr[data-run-id="${completedRun.run_id}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /completed/);
    assert.match(await row.innerText(), /task_v1/);
    assert.match(await page.locator(`tr[data-run-id="${failedRun.run_id}"]`).innerText(), /terminated/);
    await shoot(page, 'runs-list');

    // Filters: status and search by run ID.
    await page.goto(`${base}/runs?status=terminated`);
    assert.equal(await page.locator(`tr[data-run-id="${completedRun.run_id}"]`).count(), 0);
    assert.equal(await page.locator(`tr[data-run-id="${failedRun.run_id}"]`).count(), 1);
    await page.goto(`${base}/runs?q=${completedRun.run_id}`);
    assert.equal(await page.locator('tbody tr').count(), 1);
    // Odd filter input is a page, never a server error.
    const odd = await page.goto(`${base}/runs?status=bogus&page=-5&from=2026-99-99&type=x&q=${'x'.repeat(5000)}`);
    assert.equal(odd?.status(), 200);
    const nul = await page.goto(`${base}/runs?q=%00`);
    assert.equal(nul?.status(), 422, 'NUL is refused as everywhere in the API');
  });

  it('shows a finished run: screenshots that load, actions with their results, output; a failed run\'s reason', async () => {
    const page = await newPage();
    await signIn(page, harness.stack.apiKey, `/runs/${completedRun.run_id}`);
    assert.equal(new URL(page.url()).pathname, `/runs/${completedRun.run_id}`, 'back where the visitor was going');
    await page.locator('li.step').first().waitFor();
    const images = page.locator('li.step figure img, figure.latest img');
    assert.ok(await images.count() >= 2, 'step screenshots are shown');
    for (const img of await images.all()) {
      await img.scrollIntoViewIfNeeded();
      await page.waitForFunction((el) => (el as HTMLImageElement).complete, await img.elementHandle());
      const width = await img.evaluate((el) => (el as HTMLImageElement).naturalWidth);
      assert.ok(width > 0, `screenshot ${await img.getAttribute('src')} loaded`);
    }
    const actions = await page.locator('li.action').allInnerTexts();
    assert.ok(actions.some((a) => /input_text/.test(a) && /alice/.test(a) && /→ ok/.test(a)), `typed the username: ${actions.join(' | ')}`);
    assert.ok(actions.some((a) => /click/.test(a)), 'clicked sign in');
    const request = await page.locator('details[data-key=request] pre').innerText();
    assert.match(request, /"Authorization": "••••••"/, 'header values are masked');
    assert.ok(!request.includes('viewer-header-secret'), 'the header\'s value is not on the page');
    // The prompt loads when opened.
    const prompt = page.locator('details.lazy', { hasText: 'Prompt' }).first();
    await prompt.locator('summary').click();
    await page.waitForFunction((el) => !el!.querySelector('pre')!.textContent!.startsWith('Loading'), await prompt.elementHandle());
    assert.match(await prompt.locator('pre').innerText(), /viewer-login/);
    assert.match(await page.locator('dl.facts').innerText(), /Steps\s*\d/i);
    await shoot(page, 'run-detail');

    await page.goto(`${base}/runs/${failedRun.run_id}`);
    assert.match(await page.locator('p.failure').first().innerText(), /The quarterly report is not on this site/);
    assert.match(await page.locator('li.action').first().innerText(), /terminate/);
    await shoot(page, 'run-failed');
  });

  it('updates a running run from running to completed on an open page, without reload', async () => {
    const page = await newPage();
    await signIn(page, harness.stack.apiKey);
    const created = await harness.stack.request('POST', '/v1/run/tasks', { prompt: 'Sign in as alice, password wonderland. [viewer-slow]', url: `${harness.site.baseUrl}/login.html` });
    assert.equal(created.status, 200);
    const runId = created.body.run_id as string;
    await page.goto(`${base}/runs/${runId}`);
    const first = await page.locator('#run .run-status .status').getAttribute('data-status');
    assert.ok(['created', 'queued', 'running'].includes(first!), `opened while active: ${first}`);
    await page.evaluate(() => { (window as unknown as { marker: number }).marker = 42; });
    await page.locator('#run li.step').first().waitFor({ timeout: 30_000 });
    await shoot(page, 'run-live');
    await page.waitForFunction(() => document.querySelector('#run .run-status .status')?.getAttribute('data-status') === 'completed', undefined, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42, 'the page was not reloaded');
    const live = await page.evaluate(() => (window as unknown as { skyportLive: { events: Array<{ kind: string }>; redraws: number } }).skyportLive);
    assert.ok(live.events.some((e) => e.kind === 'step'), `step events arrived: ${JSON.stringify(live.events.map((e) => e.kind))}`);
    assert.ok(live.redraws >= 2);
    assert.ok(await page.locator('#run li.step').count() >= 1);
  });

  it('cancels a run from its page (CSRF-checked), and refuses a POST without the form token', async () => {
    const page = await newPage();
    await signIn(page, harness.stack.apiKey);
    const created = await harness.stack.request('POST', '/v1/run/tasks', { prompt: 'Sign in as alice, password wonderland. [viewer-slow]', url: `${harness.site.baseUrl}/login.html` });
    const runId = created.body.run_id as string;
    await page.goto(`${base}/runs/${runId}`);
    const forged = await page.evaluate(async (url) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=forged' })).status, `/runs/${runId}/cancel`);
    assert.equal(forged, 403);
    assert.notEqual((await harness.stack.request('GET', `/v1/runs/${runId}`)).body.status, 'canceled');
    page.once('dialog', (d) => void d.accept());
    await Promise.all([page.waitForURL(/done=canceled/), page.click('button:has-text("Cancel run")')]);
    const run = await harness.stack.waitForTerminal(runId, 30_000);
    assert.equal(run.status, 'canceled');
  });

  it('a wrong key sees nothing; another organization never sees this one\'s runs', async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await page.fill('#api_key', 'sk_not_a_real_key');
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'), page.click('button[type=submit]')]);
    assert.equal(res.status(), 401);
    assert.match(await page.locator('[role=alert]').innerText(), /not valid/);
    await page.goto(`${base}/runs/${completedRun.run_id}`);
    assert.match(page.url(), /\/login/, 'still not signed in');
    const stream = await page.evaluate(async (url) => (await fetch(url)).status, `/runs/${completedRun.run_id}/events`);
    assert.equal(stream, 401);

    const other = await harness.stack.api.services.organizations.createOrganization('viewer-other-org');
    const otherPage = await newPage();
    await signIn(otherPage, other.apiKey);
    assert.equal(await otherPage.locator(`tr[data-run-id="${completedRun.run_id}"]`).count(), 0);
    assert.match(await otherPage.locator('main').innerText(), /No runs match/);
    const detail = await otherPage.goto(`${base}/runs/${completedRun.run_id}`);
    assert.equal(detail?.status(), 404);
    const otherStream = await otherPage.evaluate(async (url) => (await fetch(url)).status, `/runs/${completedRun.run_id}/events`);
    assert.equal(otherStream, 404);
    const fragment = await otherPage.evaluate(async (url) => (await fetch(url)).status, `/runs/${completedRun.run_id}/fragment`);
    assert.equal(fragment, 404);
  });

  it('shows workflows, browser sessions and credentials (names only)', async () => {
    const { stack } = harness;
    const wf = await stack.request('POST', '/v1/workflows', { json_definition: { title: 'Viewer workflow', workflow_definition: { parameters: [], blocks: [{ block_type: 'wait', label: 'pause', wait_sec: 0 }] } } });
    assert.equal(wf.status, 200, JSON.stringify(wf.body));
    const cred = await stack.request('POST', '/v1/credentials', { name: 'Shop login', credential_type: 'password', credential: { username: 'ada', password: 'very-secret-pw' } });
    assert.ok([200, 201].includes(cred.status), JSON.stringify(cred.body));
    const page = await newPage();
    await signIn(page, stack.apiKey, '/workflows');
    assert.match(await page.locator('main').innerText(), /Viewer workflow/);
    await shoot(page, 'workflows');
    const schedule = await stack.request('POST', `/v1/agents/${wf.body.workflow_permanent_id}/schedules`, { cron_expression: '0 9 * * 1', timezone: 'Europe/Paris', name: 'Monday morning' });
    assert.equal(schedule.status, 200, JSON.stringify(schedule.body));
    const run = await stack.request('POST', '/v1/run/agents', { agent_id: wf.body.workflow_permanent_id });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    await stack.waitForTerminal(run.body.run_id, 60_000);
    await page.click('text=Viewer workflow');
    const workflowText = await page.locator('main').innerText();
    assert.match(workflowText, /Versions/);
    assert.ok(workflowText.includes(run.body.run_id), 'the workflow page lists its last runs');
    // 09:00 in Paris on a Monday is 07:00 or 08:00 UTC; the first of the next fire times is shown.
    assert.match(workflowText, /Monday morning[\s\S]*0 9 \* \* 1[\s\S]*Europe\/Paris[\s\S]*\d{4}-\d{2}-\d{2} 0[78]:00 UTC/);
    assert.equal(schedule.body.next_runs[0].slice(0, 16).replace('T', ' '), /(\d{4}-\d{2}-\d{2} 0[78]:00) UTC/.exec(workflowText)![1]);
    await shoot(page, 'workflow');
    await page.click(`text=${run.body.run_id}`);
    const block = page.locator('li.block[data-block="pause"]');
    assert.match(await block.innerText(), /completed/);
    assert.match(await block.innerText(), /wait/);
    await shoot(page, 'workflow-run');
    await page.goto(`${base}/credentials`);
    const text = await page.locator('main').innerText();
    assert.match(text, /Shop login/);
    assert.ok(!text.includes('very-secret-pw') && !text.includes('ada'), 'no credential values on the page');
    await shoot(page, 'credentials');
    await page.goto(`${base}/browser-sessions`);
    assert.match(await page.locator('main').innerText(), /No open browser sessions/);
  });

  it('shows webhook delivery attempts and sends the webhook again; opens and closes a browser session', async () => {
    const receiver = await startReceiver();
    try {
      const run = await harness.runTask({ prompt: 'Download the quarterly report. [viewer-fail]', url: `${harness.site.baseUrl}/index.html`, webhook_url: receiver.url('/hook') });
      await receiver.waitFor('/hook', 1);
      const page = await newPage();
      await signIn(page, harness.stack.apiKey, `/runs/${run.run_id}`);
      // The worker records the attempt just after the receiver answered: look again until it is there.
      for (let i = 0; i < 50 && !/delivered 200/.test(await page.locator('main').innerText()); i++) { await sleep(200); await page.reload(); }
      assert.match(await page.locator('ul.deliveries').innerText(), /delivered · 1 attempt[\s\S]*delivered 200/);
      await Promise.all([page.waitForURL(/done=webhook/), page.click('button:has-text("Retry webhook")')]);
      assert.equal((await receiver.waitFor('/hook', 2)).length, 2, 'the webhook was sent again');
    } finally {
      await receiver.close();
    }

    const page = await newPage();
    await signIn(page, harness.stack.apiKey, '/browser-sessions');
    await Promise.all([page.waitForURL(/\/browser-session\/pbs_\d+\?done=session-opened/), page.click('button:has-text("Open a browser session")')]);
    const sessionId = new URL(page.url()).pathname.split('/').pop()!;
    assert.match(await page.locator('[role=status]').innerText(), /opened/);
    await page.goto(`${base}/browser-sessions`);
    assert.ok((await page.locator('main').innerText()).includes(sessionId));
    await shoot(page, 'browser-sessions');
    await Promise.all([page.waitForURL(/done=session-closed/), page.locator('tr', { hasText: sessionId }).locator('button:has-text("Close")').click()]);
    const closed = await harness.stack.request('GET', `/v1/browser_sessions/${sessionId}`);
    assert.ok(['completed', 'closed'].includes(closed.body.status) || closed.body.completed_at, JSON.stringify(closed.body));
  });
});
