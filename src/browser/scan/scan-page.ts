import type { Frame, Page } from 'playwright-core';
import { frameElementProbe, scanExpression } from './page-script.ts';
import { ELEMENT_ID_ATTRIBUTE, type FrameInfo, type PageScan, type RawFrameScan } from './types.ts';
import { rememberFramePrefix } from './locate.ts';

export interface ScanOptions {
  /** Per-frame cap on listed elements (protects prompts from huge pages). */
  maxElementsPerFrame?: number;
  maxTextBlocksPerFrame?: number;
  /** Frames beyond this many are ignored (ads and trackers tend to come last). */
  maxFrames?: number;
  /** A frame that does not answer within this time is skipped rather than stalling the agent. */
  frameTimeoutMs?: number;
}

const MAIN_PREFIX = 'e';

/** Scans the page's main frame and every visible, reachable iframe (same- or cross-origin). */
export async function scanPage(page: Page, options: ScanOptions = {}): Promise<PageScan> {
  try {
    return await scanOnce(page, options);
  } catch (error) {
    // A navigation that was still running when the scan started destroys its context; the
    // new document is what the agent wants to see anyway.
    if (!/context was destroyed|navigat|Target .*closed/i.test(String(error))) throw error;
    await page.waitForLoadState('domcontentloaded', { timeout: 10_000 }).catch(() => undefined);
    return scanOnce(page, options);
  }
}

async function scanOnce(page: Page, options: ScanOptions): Promise<PageScan> {
  const maxFrames = options.maxFrames ?? 20;
  const timeoutMs = options.frameTimeoutMs ?? 5000;
  const mainFrame = page.mainFrame();
  const childFrames = (await visibleChildFrames(page)).slice(0, maxFrames);
  const titles = new Map(childFrames.map((child) => [child.frame, child.title]));

  const scans = await Promise.all(
    [mainFrame, ...childFrames.map((child) => child.frame)].map(async (frame) => {
      const prefix = frame === mainFrame ? MAIN_PREFIX : await framePrefixFor(frame, mainFrame);
      if (!prefix) return undefined;
      const raw = await withTimeout(
        frame.evaluate(
          scanExpression({
            idPrefix: prefix,
            idAttribute: ELEMENT_ID_ATTRIBUTE,
            maxElements: options.maxElementsPerFrame ?? 400,
            maxTextBlocks: options.maxTextBlocksPerFrame ?? 300,
          }),
        ) as Promise<RawFrameScan>,
        timeoutMs,
      ).catch((error: unknown) => {
        // The main frame must scan; a broken ad iframe must not take the whole page down.
        if (frame === mainFrame) throw error;
        return undefined;
      });
      if (!raw) return undefined;
      rememberFramePrefix(frame, raw.idPrefix);
      return { frame, raw };
    }),
  );

  const mainScan = scans[0];
  if (!mainScan) throw new Error('could not scan the main frame');
  const frameIds = new Map<Frame, string>();
  for (const scan of scans) if (scan) frameIds.set(scan.frame, frameIdFromPrefix(scan.raw.idPrefix));

  const result: PageScan = {
    url: mainScan.raw.url,
    title: mainScan.raw.title,
    elements: [],
    text: [],
    frames: [],
    scroll: mainScan.raw.scroll,
    truncated: false,
    modalOpen: false,
  };
  for (const scan of scans) {
    if (!scan) continue;
    const frameId = frameIds.get(scan.frame)!;
    const info: FrameInfo = { frameId, url: scan.raw.url };
    if (scan.frame !== mainFrame) {
      info.title = titles.get(scan.frame) || scan.raw.title || undefined;
      const parent = scan.frame.parentFrame();
      info.parentFrameId = (parent && frameIds.get(parent)) || 'main';
    }
    if (scan.raw.modalOpen) info.modalOpen = true;
    result.frames.push(info);
    for (const element of scan.raw.elements) result.elements.push({ ...element, frameId });
    for (const block of scan.raw.text) result.text.push({ ...block, frameId });
    result.truncated ||= scan.raw.truncated;
    result.modalOpen ||= scan.raw.modalOpen;
  }
  return result;
}

/** "e" → "main", "f2e" → "f2". */
export function frameIdFromPrefix(prefix: string): string {
  return prefix === MAIN_PREFIX ? 'main' : prefix.slice(0, -1);
}

/** A child frame worth scanning, with its <iframe>'s title (or name) for the prompt. */
interface ChildFrame { frame: Frame; title?: string }

async function visibleChildFrames(page: Page): Promise<ChildFrame[]> {
  const frames = page.frames().filter((frame) => frame !== page.mainFrame() && !frame.isDetached());
  const checks = await Promise.all(
    frames.map(async (frame): Promise<ChildFrame | undefined> => {
      try {
        const element = await frame.frameElement();
        // One round trip for the box, the visibility, whether the frame is reachable (not in an
        // inert/aria-hidden subtree, not behind a modal of its parent) and the title.
        const info = await element.evaluate(frameElementProbe());
        void element.dispose().catch(() => undefined);
        // Tracking pixels, hidden helper frames and frames nobody can reach are noise for the LLM.
        if (!info.visible || info.blocked || info.width <= 2 || info.height <= 2) return undefined;
        return { frame, title: info.title };
      } catch {
        return undefined;
      }
    }),
  );
  return checks.filter((check): check is ChildFrame => check !== undefined);
}

/**
 * A frame keeps the prefix it got first (stored on its window). New frames get the next number
 * from a counter on the main window, so a removed frame's IDs are never reused by another.
 */
async function framePrefixFor(frame: Frame, mainFrame: Frame): Promise<string | undefined> {
  try {
    const existing = (await frame.evaluate('window.__skyportPrefix ?? null')) as string | null;
    if (existing) return existing;
    const next = (await mainFrame.evaluate(
      'window.__skyportFrameCounter = (window.__skyportFrameCounter ?? 0) + 1',
    )) as number;
    return `f${next}e`;
  } catch {
    return undefined;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`frame scan timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
