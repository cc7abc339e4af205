import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { advertisedHost, httpAddress, startCdpGateway, type CdpGateway } from './cdp-gateway.ts';
import { launchDebuggableChromium, type DebuggableChromium } from './debuggable-chromium.ts';
import { defaultChromiumPath } from './launch.ts';

/** GET with an explicit Host header (fetch does not let a caller set one). */
function getWithHost(port: number, pathname: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: pathname, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

const TOKEN = 'session-secret-Xk3';

describe('a session browser behind the CDP gateway', () => {
  let dir: string;
  let browser: DebuggableChromium;
  let gateway: CdpGateway;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'skyport-gateway-'));
    browser = await launchDebuggableChromium({ executablePath: defaultChromiumPath(), userDataDir: dir });
    gateway = await startCdpGateway({ targetPort: browser.port, host: '127.0.0.1', ports: { from: 39_400, to: 39_499 }, token: TOKEN });
  });
  after(async () => { await gateway.close(); await browser.stop(); await rm(dir, { recursive: true, force: true }); });

  it('opens a DevTools port that Chromium itself guards against host names', async () => {
    assert.ok(browser.port > 0);
    const direct = await getWithHost(browser.port, '/json/version', 'worker-1:9222');
    assert.equal(direct.status, 500, 'Chromium refuses a Host that is a name');
  });

  it('accepts any Host, and advertises WebSocket URLs at the address the client used, under the token', async () => {
    assert.ok(gateway.port >= 39_400 && gateway.port <= 39_499, 'listens within the configured range');
    const res = await getWithHost(gateway.port, `/${TOKEN}/json/version`, `worker-1:${gateway.port}`);
    assert.equal(res.status, 200, res.body);
    assert.match(JSON.parse(res.body).webSocketDebuggerUrl, new RegExp(`^ws://worker-1:${gateway.port}/${TOKEN}/devtools/browser/`));
  });

  it('answers nothing without the session\'s token: not /json, not a WebSocket, not a near-miss token', async () => {
    for (const p of ['/json/version', '/json/list', `/${TOKEN}x/json/version`, `/${TOKEN.slice(0, -1)}/json/version`, '/']) {
      const res = await getWithHost(gateway.port, p, `127.0.0.1:${gateway.port}`);
      assert.equal(res.status, 401, `${p}: ${res.body}`);
      assert.doesNotMatch(res.body, /devtools/);
    }
    const version = JSON.parse((await getWithHost(gateway.port, `/${TOKEN}/json/version`, `127.0.0.1:${gateway.port}`)).body);
    const bare = String(version.webSocketDebuggerUrl).replace(`/${TOKEN}/`, '/');
    await assert.rejects(chromium.connectOverCDP(bare, { timeout: 5_000 }), /401|Unexpected server response|socket hang up|closed/i);
    await assert.rejects(chromium.connectOverCDP(httpAddress('127.0.0.1', gateway.port), { timeout: 5_000 }), /401/);
  });

  it('carries a whole Playwright connection, and the browser outlives it', async () => {
    const client = await chromium.connectOverCDP(`${httpAddress('127.0.0.1', gateway.port)}/${TOKEN}`);
    const page = client.contexts()[0]!.pages()[0]!;
    await page.setContent('<p id="x">through the gateway</p>');
    assert.equal(await page.textContent('#x'), 'through the gateway');
    await client.close();
    const again = await chromium.connectOverCDP(`${httpAddress('127.0.0.1', gateway.port)}/${TOKEN}`);
    assert.equal(await again.contexts()[0]!.pages()[0]!.textContent('#x'), 'through the gateway');
    await again.close();
  });

  it('advertises the configured host, or a real address for a wildcard bind', () => {
    assert.equal(advertisedHost('0.0.0.0', 'browsers.internal'), 'browsers.internal');
    assert.equal(advertisedHost('10.1.2.3', undefined), '10.1.2.3');
    assert.match(advertisedHost('0.0.0.0', undefined), /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(httpAddress('::1', 9222), 'http://[::1]:9222');
  });
});
