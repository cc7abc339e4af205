import type { Frame, Locator, Page } from 'playwright-core';
import { ELEMENT_ID_ATTRIBUTE } from './types.ts';

/** Frames whose ID prefix we already know, so lookups usually need no round trip. */
const knownPrefixes = new WeakMap<Frame, string>();

export function rememberFramePrefix(frame: Frame, prefix: string): void {
  knownPrefixes.set(frame, prefix);
}

/**
 * LLMs sometimes echo the ID the way it was shown ("[e12]") or with stray quotes.
 * Returns undefined for anything that is not an element ID.
 */
export function normalizeElementId(raw: string): string | undefined {
  const id = raw.trim().replace(/^[[("'`]+|[\])"'`]+$/g, '').trim();
  return /^(f\d+)?e\d+$/.test(id) ? id : undefined;
}

/** "f3e12" → "f3e"; "e12" → "e". */
function prefixOf(id: string): string {
  return id.replace(/\d+$/, '');
}

async function findFrame(page: Page, prefix: string): Promise<Frame | undefined> {
  if (prefix === 'e') return page.mainFrame();
  const frames = page.frames().filter((frame) => !frame.isDetached());
  const known = frames.find((frame) => knownPrefixes.get(frame) === prefix);
  if (known) return known;
  for (const frame of frames) {
    if (knownPrefixes.has(frame)) continue;
    const actual = (await frame.evaluate('window.__skyportPrefix ?? null').catch(() => null)) as string | null;
    if (!actual) continue;
    knownPrefixes.set(frame, actual);
    if (actual === prefix) return frame;
  }
  return undefined;
}

/** The frame a scanned element ID belongs to (whether or not the element still exists). */
export async function locateFrame(page: Page, elementId: string): Promise<Frame | null> {
  const id = normalizeElementId(elementId);
  return id ? ((await findFrame(page, prefixOf(id))) ?? null) : null;
}

/**
 * Resolves a scanned element ID to a Locator in whichever frame it lives. Playwright's CSS
 * engine pierces open shadow roots, so elements inside web components resolve too.
 * Returns null when the element no longer exists (page changed since the scan).
 */
export async function locateElement(page: Page, elementId: string): Promise<Locator | null> {
  const id = normalizeElementId(elementId);
  const frame = await locateFrame(page, elementId);
  if (!id || !frame) return null;
  const locator = frame.locator(`[${ELEMENT_ID_ATTRIBUTE}="${id}"]`);
  return (await locator.count()) > 0 ? locator.first() : null;
}
