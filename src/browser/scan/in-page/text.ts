/*
 * In-page helpers (run inside the browser). Every function here is serialized with
 * Function.prototype.toString and concatenated into one script, so they may only use
 * DOM globals, other in-page functions and the exported constants that page-script.ts
 * also injects — no other imports with runtime values, no closures over module state.
 * Every helper must be exported: only exports are collected into the script.
 */

export function cleanText(text: string | null | undefined, max: number): string {
  if (!text) return '';
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed.length > max ? `${collapsed.slice(0, max - 1)}…` : collapsed;
}

/** Text of a subtree, leaving out form controls (a <label> wrapping a <select> would otherwise list every option). */
export function textWithoutControls(root: Element): string {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const parts: string[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && parent !== root && parent.closest('select,textarea,button,script,style')) continue;
    parts.push(node.nodeValue ?? '');
  }
  return parts.join(' ');
}

export function textOfIdRefs(el: Element, ids: string): string {
  const root = el.getRootNode() as Document | ShadowRoot;
  return ids
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => root.getElementById(id) ?? document.getElementById(id))
    .map((node) => (node ? (node as HTMLElement).innerText || node.textContent || '' : ''))
    .join(' ');
}

/** Accessible-name-like label, without falling back to the element's own text. */
export function labelOf(el: Element): string {
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) {
    const text = cleanText(textOfIdRefs(el, labelledBy), 120);
    if (text) return text;
  }
  const ariaLabel = cleanText(el.getAttribute('aria-label'), 120);
  if (ariaLabel) return ariaLabel;
  const labels = (el as HTMLInputElement).labels;
  if (labels && labels.length > 0) {
    const text = cleanText(Array.from(labels).map(textWithoutControls).join(' '), 120);
    if (text) return text;
  }
  return cleanText(el.getAttribute('title'), 120);
}

/** Visible text of an interactable element; falls back to image alt text or an SVG title for icon buttons. */
export function visibleTextOf(el: Element): string {
  const text = cleanText((el as HTMLElement).innerText ?? el.textContent, 100);
  if (text) return text;
  const img = el.querySelector('img[alt]');
  if (img) return cleanText(img.getAttribute('alt'), 100);
  const svgTitle = el.querySelector('svg title');
  return svgTitle ? cleanText(svgTitle.textContent, 100) : '';
}

/** What kind of text block an element starts: headings and error/alert messages are flagged for the LLM. */
export function textKindOf(el: Element): 'heading' | 'alert' | undefined {
  const tag = el.localName;
  const role = el.getAttribute('role');
  if (/^h[1-6]$/.test(tag) || role === 'heading') return 'heading';
  if (role === 'alert' || role === 'status' || el.getAttribute('aria-live') === 'assertive') return 'alert';
  const hint = `${el.getAttribute('class') ?? ''} ${el.id}`;
  if (/(^|[\s_-])(error|errors|invalid|danger|alert|warning)([\s_-]|$)/i.test(hint)) return 'alert';
  return undefined;
}
