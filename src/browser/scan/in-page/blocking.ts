/*
 * In-page helpers (run inside the browser): content a user cannot reach right now — `inert` and
 * `aria-hidden="true"` subtrees, and everything outside an open modal. The scan leaves it out so
 * the model sees what it can act on (a modal first). See text.ts for the rules these functions
 * must follow.
 */
import { hasVisibleBox, isInViewport } from './classify.ts';

/**
 * Whether an element hides itself and everything below it: `inert`, or `aria-hidden="true"`.
 * aria-hidden is not honoured where Chromium ignores it too: on an element that holds the focus,
 * and on <html>/<body> (there it could only be a mistake, it would hide every modal as well).
 */
export function hidesSubtree(el: Element, honorAriaHidden: boolean): boolean {
  if (el.hasAttribute('inert')) return true;
  if (!honorAriaHidden || el.getAttribute('aria-hidden') !== 'true') return false;
  if (el.localName === 'body' || el.localName === 'html') return false;
  const active = (el.getRootNode() as Document | ShadowRoot).activeElement;
  return !(active && el.contains(active));
}

/** The parent element, continuing from a shadow root to its host. */
export function parentAcrossShadow(el: Element): Element | null {
  if (el.parentElement) return el.parentElement;
  const parent = el.parentNode;
  return parent instanceof ShadowRoot ? parent.host : null;
}

/** Whether the element or an ancestor (across shadow roots) hides its subtree. */
export function isInsideHiddenSubtree(el: Element, honorAriaHidden: boolean): boolean {
  for (let node: Element | null = el; node; node = parentAcrossShadow(node)) {
    if (hidesSubtree(node, honorAriaHidden)) return true;
  }
  return false;
}

/**
 * An open modal: a <dialog> shown with showModal() (`:modal`, the browser makes the rest of the
 * page inert), or a visible dialog/alertdialog with aria-modal="true" that is on screen (a closed
 * drawer parked off-screen does not count).
 */
export function isModalRoot(el: Element): boolean {
  if (el.localName === 'dialog') {
    try {
      if (el.matches(':modal')) return true;
    } catch {
      // :modal is not supported: fall back to aria-modal.
    }
  }
  if (el.getAttribute('aria-modal') !== 'true') return false;
  const role = el.getAttribute('role');
  if (role !== 'dialog' && role !== 'alertdialog' && el.localName !== 'dialog') return false;
  if (typeof el.checkVisibility === 'function' && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) {
    return false;
  }
  const rect = el.getBoundingClientRect();
  if (rect.width > 1 && rect.height > 1) return isInViewport(rect);
  return hasVisibleBox(el);
}

/**
 * The open modals of a document's light DOM, found with one selector query (modals inside shadow
 * roots are noticed during the walk, see collect.ts). A modal inside hidden content does not count.
 */
export function findModalRoots(doc: Document, honorAriaHidden: boolean): Element[] {
  const roots: Element[] = [];
  for (const el of Array.from(doc.querySelectorAll('dialog, [aria-modal="true"]'))) {
    if (isModalRoot(el) && !isInsideHiddenSubtree(el, honorAriaHidden)) roots.push(el);
  }
  return roots;
}

/**
 * For an <iframe> element: whether its frame cannot be reached — it sits in hidden content, or
 * behind an open modal of its parent document. Such frames are not scanned.
 */
export function isBlockedFrameElement(el: Element): boolean {
  if (isInsideHiddenSubtree(el, true)) return true;
  const modals = findModalRoots(el.ownerDocument, true);
  if (modals.length === 0) return false;
  for (let node: Element | null = el; node; node = parentAcrossShadow(node)) {
    if (modals.includes(node)) return false;
  }
  return true;
}

/** What scan-page.ts needs to know about an <iframe> element, in one round trip. */
export function frameElementInfo(node: Node): { width: number; height: number; visible: boolean; blocked: boolean; title?: string } {
  const el = node as Element;
  const rect = el.getBoundingClientRect();
  const shown = typeof el.checkVisibility === 'function' ? el.checkVisibility() : true;
  const visible = shown && getComputedStyle(el).visibility === 'visible';
  return {
    width: rect.width,
    height: rect.height,
    visible,
    blocked: visible && isBlockedFrameElement(el),
    title: el.getAttribute('title') ?? el.getAttribute('name') ?? undefined,
  };
}
