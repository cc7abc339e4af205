// Persistent browser sessions through the API: a worker launches a real Chromium, the test
// connects to its browser_address the way a user's Playwright script would, and closing or
// timing out stops it. A "minute" lasts one second here (SKYPORT_MINUTE_MS) so timeouts are testable.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { html, serve } from '../support/fixture-server.ts';
import { assertMatchesReference } from '../support/reference-schemas.ts';
import { startStack, type TestStack } from '../support/stack.ts';

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await fn();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last: ${JSON.stringify(last)?.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await fn();
  }
  return last;
}

/** True while something answers CDP at the address. */
async function cdpAnswers(address: string): Promise<boolean> {
  try { return (await fetch(`${address}/json/version`, { signal: AbortSignal.timeout(2000) })).ok; } catch { return false; }
}

describe('browser sessions: lifecycle through the API', () => {
  let stack: TestStack;
  let site: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    site = await serve({ 'GET /start': html('<h1>Session start page</h1>', 'Start') });
    // POST waits for the session's browser; on a loaded machine Chromium can take longer than the default 5 s to start.
    stack = await startStack({ worker: true, env: { LLM_KEY: '', SKYPORT_MINUTE_MS: '1000', BROWSER_SESSION_CREATE_WAIT_MS: '30000' } });
  });
  after(async () => { await stack.close(); await site.close(); });

  const getSession = async (id: string) => (await stack.request('GET', `/v1/browser_sessions/${id}`)).body;

  it('creates a running session whose browser_address Playwright can connect to, then closes it', async () => {
    const created = await stack.request('POST', '/v1/browser_sessions', { url: `${site.baseUrl}/start`, timeout: 30 });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assertMatchesReference('BrowserSessionResponse', created.body);
    const id = created.body.browser_session_id as string;
    assert.match(id, /^pbs_\d+$/);
    // POST waits (bounded) for the browser, so the first answer already carries the address.
    assert.equal(created.body.status, 'running');
    assert.match(created.body.browser_address, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(created.body.timeout, 30);
    assert.ok(created.body.started_at);
    assert.equal(created.body.completed_at, null);
    assert.deepEqual(created.body.downloaded_files, []);
    assert.equal(created.body.app_url, `${stack.config.appUrl}/browser-session/${id}`);

    const browser = await chromium.connectOverCDP(created.body.browser_address);
    const pages = browser.contexts()[0]!.pages();
    assert.ok(pages.some((p) => p.url() === `${site.baseUrl}/start`), `the session opened its url; pages: ${pages.map((p) => p.url())}`);
    assert.equal(await pages.find((p) => p.url().endsWith('/start'))!.title(), 'Start');
    await browser.close(); // disconnects; the session's browser stays up
    assert.ok(await cdpAnswers(created.body.browser_address), 'disconnecting a client leaves the session browser running');

    const list = await stack.request('GET', '/v1/browser_sessions');
    assert.equal(list.status, 200);
    assert.ok(list.body.some((s: any) => s.browser_session_id === id));
    for (const s of list.body) assertMatchesReference('BrowserSessionResponse', s);

    const patched = await stack.request('PATCH', `/v1/browser_sessions/${id}`, { generate_browser_profile: true });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.generate_browser_profile, true);
    assertMatchesReference('BrowserSessionResponse', patched.body);

    // The SDK's close sends no body and no content type.
    const closed = await stack.api.app.inject({ method: 'POST', url: `/v1/browser_sessions/${id}/close`, headers: { 'x-api-key': stack.apiKey } });
    assert.equal(closed.statusCode, 200);
    assert.deepEqual(closed.json(), { message: 'Browser session closed' });
    const after = await getSession(id);
    assertMatchesReference('BrowserSessionResponse', after);
    assert.equal(after.status, 'completed');
    assert.ok(after.completed_at);
    assert.equal(after.browser_address, null);
    assert.equal(await cdpAnswers(created.body.browser_address), false, 'the browser is stopped');
    const row = await stack.api.core.repos.browserSessions.getById(id);
    assert.ok((row!.savedState as any)?.cookies, 'generate_browser_profile kept the final state');

    const listed = await stack.request('GET', '/v1/browser_sessions');
    assert.ok(!listed.body.some((s: any) => s.browser_session_id === id), 'ended sessions are not listed');
    const late = await stack.request('PATCH', `/v1/browser_sessions/${id}`, { generate_browser_profile: false });
    assert.equal(late.status, 409);
    assert.match(late.body.detail, /already ended/);
    const again = await stack.request('POST', `/v1/browser_sessions/${id}/close`);
    assert.equal(again.status, 200, 'closing twice is fine');
  });

  it('accepts an empty JSON body and no body at all, with the default 60-minute timeout', async () => {
    const empty = await stack.api.app.inject({ method: 'POST', url: '/v1/browser_sessions', headers: { 'x-api-key': stack.apiKey, 'content-type': 'application/json' }, payload: '' });
    assert.equal(empty.statusCode, 200, empty.body);
    const none = await stack.api.app.inject({ method: 'POST', url: '/v1/browser_sessions', headers: { 'x-api-key': stack.apiKey } });
    assert.equal(none.statusCode, 200, none.body);
    for (const res of [empty, none]) {
      const body = res.json();
      assertMatchesReference('BrowserSessionResponse', body);
      assert.equal(body.timeout, 60);
      assert.equal(body.generate_browser_profile, false);
      await stack.request('POST', `/v1/browser_sessions/${body.browser_session_id}/close`);
    }
  });

  it('ends a session when its timeout passes and stops its browser', async () => {
    const created = await stack.request('POST', '/v1/browser_sessions', { timeout: 5 });
    assert.equal(created.body.status, 'running');
    const address = created.body.browser_address;
    const ended = await until(() => getSession(created.body.browser_session_id), (s) => s.status !== 'running', 20_000);
    assert.equal(ended.status, 'timeout');
    assert.ok(ended.completed_at);
    const lived = Date.parse(`${ended.completed_at}Z`) - Date.parse(`${ended.started_at}Z`);
    assert.ok(lived >= 5_000 && lived < 12_000, `timed out after ${lived} ms (5 one-second minutes)`);
    assert.equal(await cdpAnswers(address), false);
  });

  it('caps a timeout above the maximum with a warning, and rejects one below the minimum', async () => {
    const capped = await stack.request('POST', '/v1/browser_sessions', { timeout: 100_000 });
    assert.equal(capped.status, 200);
    assertMatchesReference('BrowserSessionResponse', capped.body);
    assert.equal(capped.body.timeout, 1440);
    assert.match(capped.body.warning, /exceeds this server's maximum of 1440 minutes/);
    await stack.request('POST', `/v1/browser_sessions/${capped.body.browser_session_id}/close`);

    const short = await stack.request('POST', '/v1/browser_sessions', { timeout: 2 });
    assert.equal(short.status, 422);
    assert.deepEqual(short.body.detail[0].loc, ['body', 'timeout']);
  });

  it('answers unknown sessions and profiles with 404, and bad input with 400/422', async () => {
    for (const [method, url, body] of [
      ['GET', '/v1/browser_sessions/pbs_404', undefined],
      ['PATCH', '/v1/browser_sessions/pbs_404', { generate_browser_profile: true }],
      ['POST', '/v1/browser_sessions/pbs_404/close', undefined],
    ] as const) {
      const res = await stack.request(method, url, body);
      assert.equal(res.status, 404, `${method} ${url}`);
      assert.match(res.body.detail, /Browser session not found/);
    }
    const profile = await stack.request('POST', '/v1/browser_sessions', { browser_profile_id: 'bp_404' });
    assert.equal(profile.status, 404);
    assert.match(profile.body.detail, /Browser profile not found/);
    const badProfile = await stack.request('POST', '/v1/browser_sessions', { browser_profile_id: 'not-a-profile' });
    assert.equal(badProfile.status, 422);
    const badUrl = await stack.request('POST', '/v1/browser_sessions', { url: 'ftp://example.com' });
    assert.equal(badUrl.status, 422);
    const proxy = await stack.request('POST', '/v1/browser_sessions', { proxy_session_id: 'x', proxy_location: 'RESIDENTIAL' });
    assert.equal(proxy.status, 400);
    const patchBody = await stack.request('PATCH', '/v1/browser_sessions/pbs_404', {});
    assert.equal(patchBody.status, 422);
  });

  it('hides sessions of other organizations', async () => {
    const created = await stack.request('POST', '/v1/browser_sessions', {});
    const other = await stack.api.services.organizations.createOrganization('other-org');
    const res = await stack.request('GET', `/v1/browser_sessions/${created.body.browser_session_id}`, undefined, { 'x-api-key': other.apiKey });
    assert.equal(res.status, 404);
    const closed = await stack.request('POST', `/v1/browser_sessions/${created.body.browser_session_id}/close`, undefined, { 'x-api-key': other.apiKey });
    assert.equal(closed.status, 404);
    const list = await stack.request('GET', '/v1/browser_sessions', undefined, { 'x-api-key': other.apiKey });
    assert.deepEqual(list.body, []);
    await stack.request('POST', `/v1/browser_sessions/${created.body.browser_session_id}/close`);
  });

  it('rejects runs naming an unknown or ended session', async () => {
    const unknown = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', browser_session_id: 'pbs_123' });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.detail, /Browser session not found/);
    const created = await stack.request('POST', '/v1/browser_sessions', {});
    await stack.request('POST', `/v1/browser_sessions/${created.body.browser_session_id}/close`);
    const ended = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', browser_session_id: created.body.browser_session_id });
    assert.equal(ended.status, 400);
    assert.match(ended.body.detail, /has ended \(status completed\); create a new browser session/);
    const unknownProfile = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', browser_profile_id: 'bp_9' });
    assert.equal(unknownProfile.status, 404);
    assert.match(unknownProfile.body.detail, /Browser profile not found/);
  });
});
