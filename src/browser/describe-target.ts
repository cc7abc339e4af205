// How to find an element again without the model and without our scan IDs: the ways a Playwright
// script can name it (role + accessible name, label, placeholder, text, test id, CSS), each checked
// on the live page to match exactly this one element, plus the iframes it sits in. Code runs
// (engine/scripts) turn these into locators.
import type { Frame, Locator, Page } from 'playwright-core';
import { portable } from './portable-fn.ts';
import { locateFrame, normalizeElementId } from './scan/locate.ts';
import { ELEMENT_ID_ATTRIBUTE } from './scan/types.ts';

export type LocatorStrategy =
  | { by: 'role'; role: string; name: string }
  | { by: 'label'; text: string }
  | { by: 'placeholder'; text: string }
  | { by: 'text'; text: string }
  | { by: 'testId'; id: string }
  | { by: 'css'; selector: string };

export interface TargetDescriptor {
  /** CSS selectors of the iframes on the way to the element, outermost first. */
  frames: string[];
  /** Strategies that matched exactly this element when it was recorded, most robust first. */
  strategies: LocatorStrategy[];
  tag: string;
  type?: string;
  /** What a person reads on it (for comments and failure messages). */
  summary: string;
}

interface ElementFacts {
  tag: string;
  type?: string;
  label?: string;
  placeholder?: string;
  text?: string;
  testId?: string;
  css?: string;
}

const MAX_TEXT = 80;

export async function describeTarget(page: Page, elementId: string): Promise<TargetDescriptor | undefined> {
  const id = normalizeElementId(elementId);
  const frame = id ? await locateFrame(page, id) : null;
  if (!id || !frame) return undefined;
  const element = frame.locator(`[${ELEMENT_ID_ATTRIBUTE}="${id}"]`).first();
  if ((await element.count()) === 0) return undefined;
  const [facts, aria] = await Promise.all([element.evaluate(portable(readFacts), MAX_TEXT).catch(() => undefined), ariaRoleAndName(element)]);
  if (!facts) return undefined;

  const candidates: LocatorStrategy[] = [];
  if (aria?.name) candidates.push({ by: 'role', role: aria.role, name: aria.name });
  if (facts.label) candidates.push({ by: 'label', text: facts.label });
  if (facts.placeholder) candidates.push({ by: 'placeholder', text: facts.placeholder });
  if (facts.text && !aria?.name && ['a', 'button', 'summary', 'label', 'li', 'span', 'div', 'td'].includes(facts.tag)) candidates.push({ by: 'text', text: facts.text });
  if (facts.testId) candidates.push({ by: 'testId', id: facts.testId });
  if (facts.css) candidates.push({ by: 'css', selector: facts.css });

  const kept = await Promise.all(candidates.map((strategy) => matchesOnly(frame, strategy, id)));
  const strategies = candidates.filter((_, i) => kept[i]);
  return {
    frames: await framePath(frame),
    strategies,
    tag: facts.tag,
    ...(facts.type ? { type: facts.type } : {}),
    summary: aria?.name ?? facts.label ?? facts.placeholder ?? facts.text ?? facts.css ?? facts.tag,
  };
}

/** The Playwright locator a strategy stands for, inside a frame (or page). */
export function strategyLocator(root: Frame | Page, strategy: LocatorStrategy): Locator {
  switch (strategy.by) {
    case 'role': return root.getByRole(strategy.role as Parameters<Page['getByRole']>[0], { name: strategy.name, exact: true });
    case 'label': return root.getByLabel(strategy.text, { exact: true });
    case 'placeholder': return root.getByPlaceholder(strategy.text, { exact: true });
    case 'text': return root.getByText(strategy.text, { exact: true });
    case 'testId': return root.getByTestId(strategy.id);
    case 'css': return root.locator(strategy.selector);
  }
}

async function matchesOnly(frame: Frame, strategy: LocatorStrategy, id: string): Promise<boolean> {
  try {
    const locator = strategyLocator(frame, strategy);
    if ((await locator.count()) !== 1) return false;
    return (await locator.getAttribute(ELEMENT_ID_ATTRIBUTE, { timeout: 1000 })) === id;
  } catch {
    return false;
  }
}

/** Playwright's own role and accessible name (the ones getByRole matches), from the element's ARIA snapshot. */
async function ariaRoleAndName(element: Locator): Promise<{ role: string; name?: string } | undefined> {
  const snapshot = await element.ariaSnapshot({ timeout: 1000 }).catch(() => undefined);
  const first = snapshot?.split('\n')[0] ?? '';
  const match = /^- ([a-z]+)(?: "((?:[^"\\]|\\.)*)")?/.exec(first);
  if (!match) return undefined;
  const name = match[2]?.replace(/\\(.)/g, '$1');
  return { role: match[1]!, ...(name ? { name } : {}) };
}

async function framePath(frame: Frame): Promise<string[]> {
  const path: string[] = [];
  for (let current: Frame | null = frame; current?.parentFrame(); current = current.parentFrame()) {
    const owner = await current.frameElement();
    path.unshift(await owner.evaluate(portable(iframeSelector)));
    await owner.dispose();
  }
  return path;
}

// --- In-page functions (serialized by Playwright: self-contained) ---

function iframeSelector(el: Element): string {
  const q = (v: string) => JSON.stringify(v);
  const tag = el.tagName.toLowerCase();
  for (const attr of ['title', 'name', 'id']) {
    const value = el.getAttribute(attr);
    if (value) return attr === 'id' ? `#${CSS.escape(value)}` : `${tag}[${attr}=${q(value)}]`;
  }
  const src = el.getAttribute('src');
  if (src) return `${tag}[src=${q(src)}]`;
  const siblings = Array.from((el.getRootNode() as Document).querySelectorAll(tag));
  return `${tag} >> nth=${siblings.indexOf(el)}`;
}

function readFacts(el: Element, maxText: number): ElementFacts {
  const clean = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const tag = el.tagName.toLowerCase();
  const input = el as HTMLInputElement;
  const labels = 'labels' in input && input.labels ? Array.from(input.labels).map((l) => clean(l.textContent)).filter(Boolean) : [];
  const label = labels[0] || clean(el.getAttribute('aria-label')) || undefined;
  const text = clean((el as HTMLElement).innerText ?? el.textContent);
  const root = el.getRootNode() as Document | ShadowRoot;
  const unique = (selector: string) => {
    try { return root.querySelectorAll(selector).length === 1; } catch { return false; }
  };
  const q = (v: string) => JSON.stringify(v);
  // A short CSS path inside the element's own root (document or shadow root); Playwright's CSS
  // pierces open shadow roots, so the host's selector in front reaches inside.
  const cssIn = (node: Element): string | undefined => {
    const id = node.getAttribute('id');
    if (id && !/^\d/.test(id) && unique(`#${CSS.escape(id)}`)) return `#${CSS.escape(id)}`;
    const name = node.getAttribute('name');
    const t = node.tagName.toLowerCase();
    if (name && unique(`${t}[name=${q(name)}]`)) return `${t}[name=${q(name)}]`;
    const parts: string[] = [];
    for (let current: Element | null = node; current && current.parentElement && parts.length < 6; current = current.parentElement) {
      const currentId = current.getAttribute('id');
      if (current !== node && currentId && !/^\d/.test(currentId)) { parts.unshift(`#${CSS.escape(currentId)}`); break; }
      const same = Array.from(current.parentElement.children).filter((c) => c.tagName === current!.tagName);
      const ct = current.tagName.toLowerCase();
      parts.unshift(same.length > 1 ? `${ct}:nth-of-type(${same.indexOf(current) + 1})` : ct);
    }
    const path = parts.join(' > ');
    return path && unique(path) ? path : undefined;
  };
  let css = cssIn(el);
  if (css && root instanceof ShadowRoot) {
    const host = cssInHost(root.host);
    css = host ? `${host} ${css}` : undefined;
  }
  function cssInHost(host: Element): string | undefined {
    const hostRoot = host.getRootNode();
    if (hostRoot instanceof ShadowRoot) return undefined; // nested shadow roots: role/label strategies only
    const id = host.getAttribute('id');
    if (id) return `#${CSS.escape(id)}`;
    const hostTag = host.tagName.toLowerCase();
    return document.querySelectorAll(hostTag).length === 1 ? hostTag : undefined;
  }
  return {
    tag,
    ...(tag === 'input' ? { type: (input.type || 'text').toLowerCase() } : {}),
    ...(label ? { label } : {}),
    ...(input.placeholder ? { placeholder: clean(input.placeholder) } : {}),
    ...(text && text.length <= maxText ? { text } : {}),
    ...(el.getAttribute('data-testid') ? { testId: el.getAttribute('data-testid')! } : {}),
    ...(css ? { css } : {}),
  };
}
