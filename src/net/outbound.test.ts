// The outbound policy's enforcement points, proven on loopback only: 127.0.0.1 stays allowed and
// `localhost` (the same server) is put on OUTBOUND_DENY_HOSTS, so a refusal is visible without any
// traffic leaving the machine.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { DEFAULT_POLICY, setActivePolicy } from '../domain/outbound-policy.ts';
import { codeBlock } from '../engine/workflow/blocks/standalone/code.block.ts';
import { fileUrlParserBlock } from '../engine/workflow/blocks/standalone/file-url-parser.block.ts';
import { gotoUrlBlock } from '../engine/workflow/blocks/standalone/goto-url.block.ts';
import { httpRequestBlock } from '../engine/workflow/blocks/standalone/http-request.block.ts';
import { sendEmailBlock } from '../engine/workflow/blocks/standalone/send-email.block.ts';
import { blockContext, filesOnlyBrowser, startTestBrowser, type TestBrowser } from '../../test/support/block-context.ts';
import { enforceOutboundPolicy } from './browser-routing.ts';
import { startOutboundProxy } from './browser-proxy.ts';
import { PageSession } from '../browser/session.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configureOutbound, guardedLookup, isOutboundRefusal, outboundFetch } from './outbound.ts';

const DENIED = /refused: .*localhost.* is on OUTBOUND_DENY_HOSTS \(outbound policy; see docs\/outbound-policy\.md\)/;

describe('outbound policy enforcement (loopback only)', () => {
  let server: http.Server;
  let port = 0;
  const hits: string[] = [];
  let browser: TestBrowser;
  const allowed = () => `http://127.0.0.1:${port}`;
  const denied = () => `http://localhost:${port}`;

  before(async () => {
    server = http.createServer((req, res) => {
      hits.push(`${req.headers.host} ${req.url}`);
      const url = req.url ?? '/';
      if (url.startsWith('/to-denied')) { res.writeHead(302, { location: `${denied()}/secret` }); res.end(); return; }
      if (url === '/page') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<!doctype html><title>outbound page</title><h1>hello</h1>
<iframe id="f" src="${denied()}/frame"></iframe>
<script>window.fetchResult = fetch('${denied()}/api').then(() => 'ok', (e) => 'error: ' + e.message);</script>`);
        return;
      }
      if (url === '/data.csv') { res.writeHead(200, { 'content-type': 'text/csv' }); res.end('a,b\n1,2\n'); return; }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`ok ${url}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    browser = await startTestBrowser();
  });
  after(async () => {
    setActivePolicy(DEFAULT_POLICY);
    await browser.close();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const denyLocalhost = () => configureOutbound({ denyHosts: ['localhost'] });
  afterEach(() => configureOutbound({}));

  it('loopback stays allowed by default: http_request, redirects to localhost included', async () => {
    const direct = await httpRequestBlock(blockContext({ block_type: 'http_request', label: 'h', url: `${allowed()}/x` } as never));
    assert.equal(direct.status, 'completed');
    const viaRedirect = await httpRequestBlock(blockContext({ block_type: 'http_request', label: 'h', url: `${allowed()}/to-denied` } as never));
    assert.equal(viaRedirect.status, 'completed');
    assert.equal((viaRedirect.output as Record<string, unknown>).response_body, 'ok /secret');
  });

  it('http_request: a refused host, and a redirect from an allowed host to a refused one, fail with the reason', async () => {
    denyLocalhost();
    hits.length = 0;
    const direct = await httpRequestBlock(blockContext({ block_type: 'http_request', label: 'h', url: `${denied()}/secret` } as never));
    assert.equal(direct.status, 'failed');
    assert.match(direct.failureReason ?? '', /^http_request refused: localhost is on OUTBOUND_DENY_HOSTS/);
    assert.deepEqual(direct.output, { error: direct.failureReason, error_type: 'outbound_policy' });

    const redirected = await httpRequestBlock(blockContext({ block_type: 'http_request', label: 'h', url: `${allowed()}/to-denied` } as never));
    assert.equal(redirected.status, 'failed');
    assert.match(redirected.failureReason ?? '', /^http_request refused: localhost is on OUTBOUND_DENY_HOSTS/);
    assert.deepEqual(hits, [`127.0.0.1:${port} /to-denied`], 'the refused hop never reached the server');

    // follow_redirects: false hands back the 3xx without touching the target.
    const manual = await httpRequestBlock(blockContext({ block_type: 'http_request', label: 'h', url: `${allowed()}/to-denied`, follow_redirects: false } as never));
    assert.equal((manual.output as Record<string, unknown>).status_code, 302);
  });

  it('BLOCK_PRIVATE_NETWORKS refuses loopback literals; the allow list lets one back in', async () => {
    configureOutbound({ blockPrivateNetworks: true });
    const refused = await httpRequestBlock(blockContext({ block_type: 'http_request', label: 'h', url: `${allowed()}/x` } as never));
    assert.match(refused.failureReason ?? '', /^http_request refused: 127\.0\.0\.1 is a loopback address, refused with BLOCK_PRIVATE_NETWORKS=true/);
    const mapped = await httpRequestBlock(blockContext({ block_type: 'http_request', label: 'h', url: `http://[::ffff:127.0.0.1]:${port}/x` } as never));
    assert.match(mapped.failureReason ?? '', /127\.0\.0\.1 is a loopback address/);
    configureOutbound({ blockPrivateNetworks: true, allowHosts: ['127.0.0.1'] });
    const back = await httpRequestBlock(blockContext({ block_type: 'http_request', label: 'h', url: `${allowed()}/x` } as never));
    assert.equal(back.status, 'completed');
  });

  it('the connection\'s own lookup judges every address (no check-then-connect gap)', async () => {
    denyLocalhost();
    const lookup = guardedLookup('t');
    const result = await new Promise<unknown>((ok) => lookup('LOCALHOST.', { all: true }, (err) => ok(err)));
    assert.ok(isOutboundRefusal(result));
    configureOutbound({ blockPrivateNetworks: true });
    const byAddress = await new Promise<unknown>((ok) => lookup('localhost', {}, (err) => ok(err)));
    assert.match((byAddress as Error).message, /localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    await assert.rejects(outboundFetch(`${denied()}/x`, {}, { label: 'totp_url' }), /totp_url refused: localhost resolves to/);
  });

  it('file_url_parser: a refused download fails the block with the reason', async () => {
    const files = await filesOnlyBrowser();
    try {
      const ok = await fileUrlParserBlock(blockContext({ block_type: 'file_url_parser', label: 'f', file_url: `${allowed()}/data.csv`, file_type: 'csv' } as never, { browser: files }));
      assert.equal(ok.status, 'completed');
      denyLocalhost();
      const refused = await fileUrlParserBlock(blockContext({ block_type: 'file_url_parser', label: 'f', file_url: `${denied()}/data.csv`, file_type: 'csv' } as never, { browser: files }));
      assert.equal(refused.status, 'failed');
      assert.match(refused.failureReason ?? '', /file_url_parser refused: localhost is on OUTBOUND_DENY_HOSTS/);
      const redirected = await fileUrlParserBlock(blockContext({ block_type: 'file_url_parser', label: 'f', file_url: `${allowed()}/to-denied`, file_type: 'csv' } as never, { browser: files }));
      assert.match(redirected.failureReason ?? '', DENIED);
    } finally { await files.cleanup(); }
  });

  it('send_email: a workflow\'s SMTP host follows the policy (the operator\'s SMTP_HOST does not)', async () => {
    denyLocalhost();
    const block = { block_type: 'send_email', label: 'e', sender: 'a@example.com', recipients: ['b@example.com'], subject: 's', body: 'b', custom_smtp_host: 'localhost', custom_smtp_port: 1 };
    const result = await sendEmailBlock(blockContext(block as never));
    assert.equal(result.status, 'failed');
    assert.match(result.failureReason ?? '', /^send_email refused: localhost is on OUTBOUND_DENY_HOSTS/);
  });

  it('goto_url: a refused URL, and a redirect to a refused host, fail with the policy reason', async () => {
    const runBrowser = await browser.open();
    await enforceOutboundPolicy(runBrowser.context);
    const ok = await gotoUrlBlock(blockContext({ block_type: 'goto_url', label: 'g', url: `${denied()}/fine` } as never, { browser: runBrowser }));
    assert.equal(ok.status, 'completed', 'localhost is allowed by default');
    denyLocalhost();
    const direct = await gotoUrlBlock(blockContext({ block_type: 'goto_url', label: 'g', url: `${denied()}/x` } as never, { browser: runBrowser }));
    assert.equal(direct.status, 'failed');
    assert.match(direct.failureReason ?? '', /Failed to navigate to url http:\/\/localhost:\d+\/x: goto_url refused: localhost is on OUTBOUND_DENY_HOSTS/);
  });

  // Playwright calls a route handler only for the first URL of a redirect chain, so redirect hops
  // are the worker's policy proxy's job (the browser's contexts are created with it).
  it('browser (policy proxy): redirects from an allowed page to a refused host fail goto_url, the code block\'s page.goto and fetch', async () => {
    denyLocalhost();
    const proxy = await startOutboundProxy();
    const context = await browser.browser.newContext({ proxy: { server: proxy.server } });
    try {
      await enforceOutboundPolicy(context);
      const scratchDir = await mkdtemp(path.join(tmpdir(), 'skyport-outbound-'));
      const session = await PageSession.open(context, { downloadDir: path.join(scratchDir, 'downloads') });
      const runBrowser = { context, session, page: () => session.page, downloadsDir: path.join(scratchDir, 'downloads'), scratchDir };
      hits.length = 0;
      const redirected = await gotoUrlBlock(blockContext({ block_type: 'goto_url', label: 'g', url: `${allowed()}/to-denied` } as never, { browser: runBrowser }));
      assert.equal(redirected.status, 'failed');
      assert.match(redirected.failureReason ?? '', /to-denied: browser request refused: localhost is on OUTBOUND_DENY_HOSTS/);
      assert.deepEqual(hits, [`127.0.0.1:${port} /to-denied`], 'the refused hop never reached the server');

      const code = await codeBlock(blockContext({ block_type: 'code', label: 'c', code: `await page.goto('${allowed()}/to-denied'); result = 1;` } as never, { browser: runBrowser, settings: { codeBlockEnabled: true } }));
      assert.equal(code.status, 'failed');
      assert.match(code.failureReason ?? '', /browser request refused: localhost is on OUTBOUND_DENY_HOSTS/);

      const ok = await gotoUrlBlock(blockContext({ block_type: 'goto_url', label: 'g', url: `${allowed()}/fine` } as never, { browser: runBrowser }));
      assert.equal(ok.status, 'completed', 'allowed pages load through the proxy');
      const viaFetch = await session.page.evaluate(`fetch('${allowed()}/to-denied').then((r) => r.status + ' ' + r.headers.get('x-skyport-outbound-refused'), (e) => 'error')`);
      // Cross-origin, the proxy's 403 has no CORS headers: the page sees a network error, never the data.
      assert.ok(viaFetch === 'error' || viaFetch === '403 1', `a fetch redirected to a refused host gets no data: ${viaFetch}`);
      assert.ok(hits.every((h) => h.startsWith('127.0.0.1:')), hits.join(', '));
      await rm(scratchDir, { recursive: true, force: true });
    } finally {
      await context.close();
      await proxy.close();
    }
  });

  it('browser: the page loads while its iframe and fetch to a refused host are aborted', async () => {
    denyLocalhost();
    const runBrowser = await browser.open();
    const guard = await enforceOutboundPolicy(runBrowser.context);
    hits.length = 0;
    const page = runBrowser.page();
    await page.goto(`${allowed()}/page`, { waitUntil: 'load' });
    assert.equal(await page.title(), 'outbound page');
    assert.match(String(await page.evaluate('window.fetchResult')), /^error: /);
    assert.ok(hits.every((h) => h.startsWith('127.0.0.1:')), `nothing reached localhost: ${hits.join(', ')}`);
    const refusedUrls = guard.refusals().map((r) => new URL(r.url).pathname).sort();
    assert.deepEqual(refusedUrls, ['/api', '/frame']);
    assert.match(guard.refusals()[0]!.reason, /^browser request refused: localhost is on OUTBOUND_DENY_HOSTS/);
  });

  it('code block: page.goto to a refused host throws the policy reason', async () => {
    denyLocalhost();
    const runBrowser = await browser.open();
    await enforceOutboundPolicy(runBrowser.context);
    const result = await codeBlock(blockContext({ block_type: 'code', label: 'c', code: `await page.goto('${denied()}/x'); result = 1;` } as never, { browser: runBrowser, settings: { codeBlockEnabled: true } }));
    assert.equal(result.status, 'failed');
    assert.match(result.failureReason ?? '', /page\.goto refused: localhost is on OUTBOUND_DENY_HOSTS/);
    // A page the code opens cannot pull from the refused host either.
    const frame = await codeBlock(blockContext({ block_type: 'code', label: 'c', code: `await page.goto('${allowed()}/page'); result = await page.evaluate('window.fetchResult');` } as never, { browser: runBrowser, settings: { codeBlockEnabled: true } }));
    assert.equal(frame.status, 'completed');
    assert.match(JSON.stringify(frame.output), /error: /);
  });
});
