/**
 * Shared setup for browser tests: one Chromium per test file, the fixture sites server, and
 * helpers to pick elements from a scan by what a person would read (never by hard-coded ID).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { serveFixtures, type FixtureServer } from '../fixtures/sites/server.ts';
import { defaultChromiumPath, launchChromium } from '../../src/browser/launch.ts';
import { PageSession } from '../../src/browser/session.ts';
import { scanPage } from '../../src/browser/scan/scan-page.ts';
import type { PageScan, ScannedElement } from '../../src/browser/scan/types.ts';

export interface BrowserHarness {
  browser: Browser;
  server: FixtureServer;
  /** Fresh context + session opened on a fixture path such as "/form.html". */
  openSession(path: string): Promise<PageSession>;
  close(): Promise<void>;
}

export async function startBrowserHarness(): Promise<BrowserHarness> {
  const [server, browser] = await Promise.all([
    serveFixtures(),
    launchChromium({ executablePath: defaultChromiumPath() }),
  ]);
  const contexts: BrowserContext[] = [];
  const tempDirs: string[] = [];
  return {
    browser,
    server,
    async openSession(path) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      contexts.push(context);
      const downloadDir = await mkdtemp(join(tmpdir(), 'skyport-test-downloads-'));
      tempDirs.push(downloadDir);
      const session = await PageSession.open(context, { downloadDir });
      await session.page.goto(`${server.baseUrl}${path}`);
      return session;
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
      await browser.close();
      await server.close();
      await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

const norm = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();

/** The element whose visible text or label equals (or else contains) `text`, optionally of a given tag. */
export function findElement(scan: PageScan, text: string, tag?: string): ScannedElement {
  const candidates = scan.elements.filter((el) => !tag || el.tag === tag);
  const want = norm(text);
  const match =
    candidates.find((el) => norm(el.text) === want || norm(el.label) === want) ??
    candidates.find((el) => norm(el.text).includes(want) || norm(el.label).includes(want));
  if (!match) {
    const seen = candidates.map((el) => `${el.id}:${el.tag}:${el.text ?? el.label ?? ''}`).join(', ');
    throw new Error(`no element "${text}"${tag ? ` (${tag})` : ''} in scan of ${scan.url}; saw ${seen}`);
  }
  return match;
}

/** Scan the session's active page and find one element by its text/label. */
export async function scanAndFind(session: PageSession, text: string, tag?: string): Promise<ScannedElement> {
  return findElement(await scanPage(session.page), text, tag);
}

/** All visible text of the active page's scan, joined — handy for asserting on results. */
export async function pageText(session: PageSession): Promise<string> {
  const scan = await scanPage(session.page);
  return scan.text.map((t) => t.text).join('\n');
}
