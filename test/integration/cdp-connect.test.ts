import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startCdpProxy } from '../support/cdp-proxy.ts';
import { startDebuggableChromium } from '../support/chromium-process.ts';
import { html, serve } from '../support/fixture-server.ts';
import { startStack, type TestStack } from '../support/stack.ts';

describe('runs on a remote browser over CDP (browser_address)', () => {
  let stack: TestStack;
  let site: Awaited<ReturnType<typeof serve>>;
  let chromium: Awaited<ReturnType<typeof startDebuggableChromium>>;
  let proxy: Awaited<ReturnType<typeof startCdpProxy>>;
  before(async () => {
    site = await serve({ 'GET /remote': html('<p>served to the remote browser</p>') });
    chromium = await startDebuggableChromium();
    proxy = await startCdpProxy(chromium.port);
    stack = await startStack({ worker: true, env: { LLM_KEY: '' } });
  });
  after(async () => { await stack.close(); await proxy.close(); await chromium.close(); await site.close(); });

  it('sends cdp_connect_headers only to the CDP endpoint and extra_http_headers only to the site', async () => {
    const created = await stack.request('POST', '/v1/run/tasks', {
      prompt: 'open the page', url: `${site.baseUrl}/remote`, browser_address: proxy.url,
      cdp_connect_headers: { 'x-cdp-token': 'cdp-secret' }, extra_http_headers: { 'x-site-header': 'for-the-site' },
    }, { 'x-user-agent': 'skyport-test-agent' });
    assert.equal(created.status, 200);
    assert.deepEqual(created.body.run_request.cdp_connect_headers, { 'x-cdp-token': '****' }, 'CDP credentials are masked in echoes');
    const run = await stack.waitForTerminal(created.body.run_id, 30_000);
    assert.match(run.failure_reason, /LLM/, 'the browser part ran and the run ended for lack of an LLM');

    assert.ok(proxy.seen.length > 0, 'the worker connected through the CDP proxy');
    assert.ok(proxy.seen.some((h) => h.upgrade === 'websocket' && h['x-cdp-token'] === 'cdp-secret'), 'CDP handshake carried the header');
    const pageHit = site.requests.find((r) => r.url === '/remote');
    assert.ok(pageHit, 'the remote browser opened the page');
    assert.equal(pageHit!.headers['x-site-header'], 'for-the-site');
    assert.equal(pageHit!.headers['x-cdp-token'], undefined, 'CDP credentials never reach websites');
    assert.equal(pageHit!.headers['user-agent'], 'skyport-test-agent', 'x-user-agent applies to the run pages');
  });
});
