// The outbound policy through the API and a real worker (issue 12, part 3). Nothing leaves the
// machine: the probes' metadata URLs are refused before any connection, and the run-time checks
// use two names of one loopback server (127.0.0.1 allowed, `localhost` on OUTBOUND_DENY_HOSTS).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { act, complete, startScriptedAgent, type ScriptedAgent } from '../e2e/agent/support/scripted-agent.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { createWorkflow } from '../support/workflows.ts';

describe('outbound policy (API + worker)', () => {
  let stack: TestStack;
  let agent: ScriptedAgent;
  let server: http.Server;
  let port = 0;
  const hits: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      hits.push(`${req.headers.host} ${req.url}`);
      if (req.url === '/to-denied') { res.writeHead(302, { location: `http://localhost:${port}/secret` }); res.end(); return; }
      if (req.url === '/page') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(`<!doctype html><title>outbound page</title><iframe src="http://localhost:${port}/frame"></iframe><img src="http://localhost:${port}/pixel.png">`);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, url: req.url }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    agent = await startScriptedAgent();
    stack = await startStack({ worker: true, env: { ...agent.env, OUTBOUND_DENY_HOSTS: 'localhost', BROWSER_SESSION_CREATE_WAIT_MS: '30000' } });
  });
  after(async () => {
    await stack.close();
    await agent.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('refuses the issue\'s probe URLs (and other spellings of metadata) with 422 naming the field', async () => {
    const probes: Array<[string, RegExp]> = [
      ['http://[::ffff:169.254.169.254]/', /url refused: 169\.254\.169\.254 is a cloud metadata address/],
      ['http://metadata.google.internal./', /url refused: metadata\.google\.internal is a cloud metadata host/],
      ['http://169.254.170.2/v2/credentials', /url refused: 169\.254\.170\.2 is a cloud metadata address/],
      ['http://2852039166/', /169\.254\.169\.254 is a cloud metadata address/],
      ['http://0xA9FEA9FE/', /169\.254\.169\.254/],
      ['http://0251.0376.0251.0376/', /169\.254\.169\.254/],
      ['http://[fd00:ec2::254]/', /fd00:ec2::254 is a cloud metadata address/],
      ['http://100.100.100.200/', /cloud metadata address/],
      ['http://169.254.1.1/', /a link-local address/],
      [`http://localhost:${port}/`, /localhost is on OUTBOUND_DENY_HOSTS/],
    ];
    for (const [url, reason] of probes) {
      const res = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url });
      assert.equal(res.status, 422, `${url}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.detail[0].loc, ['body', 'url']);
      assert.match(res.body.detail[0].msg, reason, url);
      assert.match(res.body.detail[0].msg, /outbound policy; see docs\/outbound-policy\.md/);
    }
    const hook = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: `http://127.0.0.1:${port}/`, webhook_url: 'http://[::ffff:a9fe:a9fe]/hook' });
    assert.equal(hook.status, 422);
    assert.deepEqual(hook.body.detail[0].loc, ['body', 'webhook_url']);
  });

  it('accepts loopback by address (allowed by default)', async () => {
    const res = await stack.request('POST', '/v1/run/tasks', { prompt: 'x', url: `http://127.0.0.1:${port}/page` });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await stack.request('POST', `/v1/runs/${res.body.run_id}/cancel`);
  });

  it('a workflow run: http_request redirect to a refused host fails the block with the reason; goto_url loads the page without its refused iframe', async () => {
    const wpid = await createWorkflow(stack, 'outbound', {
      workflow_definition: {
        parameters: [],
        blocks: [
          { block_type: 'goto_url', label: 'open', url: `http://127.0.0.1:${port}/page` },
          { block_type: 'http_request', label: 'call', url: `http://127.0.0.1:${port}/to-denied`, continue_on_failure: true },
          { block_type: 'http_request', label: 'direct', url: `http://localhost:${port}/secret` },
        ],
      },
    });
    hits.length = 0;
    const created = await stack.request('POST', '/v1/run/agents', { agent_id: wpid });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const done = await stack.waitForTerminal(created.body.run_id, 60_000);
    assert.equal(done.status, 'failed', JSON.stringify(done));
    assert.match(done.failure_reason ?? '', /http_request refused: localhost is on OUTBOUND_DENY_HOSTS \(outbound policy; see docs\/outbound-policy\.md\)/);
    const seen = hits.map((h) => h.split(' ')[0]);
    assert.ok(seen.length >= 2, `the page and the first call reached 127.0.0.1: ${hits.join(', ')}`);
    assert.ok(seen.every((h) => h.startsWith('127.0.0.1:')), `nothing reached localhost: ${hits.join(', ')}`);
  });

  it('the agent\'s own goto_url to a refused host fails with the policy\'s reason, and nothing reaches it', async () => {
    hits.length = 0;
    agent.on('[goto-refused]', (call) => {
      const previous = call.sections['PREVIOUS STEPS'] ?? '';
      if (call.kind === 'check') return { thoughts: 'done', user_goal_achieved: true, output: null };
      if (!previous) return act('Open the secret page', { action_type: 'goto_url', url: `http://localhost:${port}/secret` });
      return act('Seen why', complete({ previous }));
    });
    const created = await stack.request('POST', '/v1/run/tasks', { prompt: '[goto-refused] open the secret page', url: `http://127.0.0.1:${port}/page`, max_steps: 3 });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const done = await stack.waitForTerminal(created.body.run_id, 90_000);
    const second = agent.callsFor('[goto-refused]').filter((c) => c.kind === 'action')[1];
    assert.ok(second, `the model was asked again after the refusal: ${JSON.stringify(done)}`);
    assert.match(second.sections['PREVIOUS STEPS']!, /goto_url[^\n]*FAILED: browser request refused: localhost is on OUTBOUND_DENY_HOSTS/);
    assert.doesNotMatch(second.sections['PREVIOUS STEPS']!, /ERR_|403/);
    assert.ok(hits.every((h) => h.startsWith('127.0.0.1:')), `nothing reached localhost: ${hits.join(', ')}`);
  });

  it('a browser session\'s Chromium goes through the policy proxy, also for a user\'s own script over CDP', async () => {
    hits.length = 0;
    const created = await stack.request('POST', '/v1/browser_sessions', { url: `http://127.0.0.1:${port}/page` });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.status, 'running', JSON.stringify(created.body));
    const browser = await chromium.connectOverCDP(created.body.browser_address);
    try {
      // No run is attached, so no Playwright route: only the proxy can stop these.
      const page = browser.contexts()[0]!.pages()[0]!;
      const response = await page.goto(`http://127.0.0.1:${port}/to-denied`);
      assert.equal(response?.status(), 403);
      assert.match(await page.textContent('body') ?? '', /localhost is on OUTBOUND_DENY_HOSTS/);
      const fetched = await page.evaluate(async (url) => { try { return String((await fetch(url)).status); } catch (e) { return String(e); } }, `http://localhost:${port}/from-fetch`);
      assert.ok(fetched === '403' || /Failed to fetch/.test(fetched), `fetch from the page was refused: ${fetched}`);
      const seen = hits.map((h) => h.split(' ')[0]);
      assert.ok(hits.some((h) => h.endsWith(' /page')) && hits.some((h) => h.endsWith(' /to-denied')), `allowed requests went through: ${hits.join(', ')}`);
      assert.ok(seen.every((h) => h.startsWith('127.0.0.1:')), `nothing reached localhost (iframe, image, redirect hop, fetch): ${hits.join(', ')}`);
    } finally {
      await browser.close();
      await stack.request('POST', `/v1/browser_sessions/${created.body.browser_session_id}/close`);
    }
  });
});
