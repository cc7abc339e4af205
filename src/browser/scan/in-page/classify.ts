/*
 * In-page helpers (run inside the browser): visibility and "can a user interact with this?".
 * See text.ts for the rules these functions must follow.
 */

export function hasVisibleBox(el: Element): boolean {
  const rect = el.getBoundingClientRect();
  if (rect.width > 1 && rect.height > 1) return true;
  // Zero-sized wrappers (e.g. an inline <a> around block content) are visible through their children.
  for (const child of Array.from(el.children)) {
    const childRect = child.getBoundingClientRect();
    if (childRect.width > 1 && childRect.height > 1) return true;
  }
  return false;
}

export function isElementVisible(el: Element, style: CSSStyleDeclaration): boolean {
  if (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse') return false;
  if (Number.parseFloat(style.opacity) === 0) return false;
  // checkVisibility also accounts for hidden/transparent ancestors and content-visibility.
  if (typeof el.checkVisibility === 'function' && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) {
    return false;
  }
  return style.display === 'contents' || hasVisibleBox(el);
}

export const INTERACTIVE_ROLES = [
  'button', 'link', 'checkbox', 'radio', 'combobox', 'option', 'menuitem', 'menuitemcheckbox',
  'menuitemradio', 'tab', 'switch', 'textbox', 'searchbox', 'slider', 'spinbutton', 'treeitem',
];

export const INTERACTIVE_SELECTOR =
  'a[href],button,input:not([type=hidden]),select,textarea,summary,[onclick],[contenteditable=""],[contenteditable=true],' +
  INTERACTIVE_ROLES.map((role) => `[role=${role}]`).join(',');

/** Natively or explicitly interactive, regardless of styling. */
export function isSemanticallyInteractive(el: Element): boolean {
  const tag = el.localName;
  if (tag === 'button' || tag === 'select' || tag === 'textarea' || tag === 'summary') return true;
  if (tag === 'input') return (el as HTMLInputElement).type !== 'hidden';
  if (tag === 'a' && (el.hasAttribute('href') || el.hasAttribute('tabindex'))) return true;
  const role = el.getAttribute('role');
  if (role && INTERACTIVE_ROLES.includes(role)) return true;
  if (el.hasAttribute('onclick')) return true;
  const html = el as HTMLElement;
  // Only the root of an editable region: its descendants are edited through it.
  if (html.isContentEditable && !(el.parentElement as HTMLElement | null)?.isContentEditable) return true;
  return false;
}

/**
 * Elements that only look clickable (cursor: pointer) — typical of custom dropdown items and
 * div-based buttons. Only the element where the pointer style starts counts, and only if it
 * wraps no real control, so a clickable card with a button inside is not listed twice.
 */
export function isPointerLeaf(el: Element, style: CSSStyleDeclaration, parentIsPointer: boolean): boolean {
  if (style.cursor !== 'pointer' || parentIsPointer) return false;
  const tag = el.localName;
  if (tag === 'body' || tag === 'html') return false;
  if (tag === 'label' && (el as HTMLLabelElement).control) return false;
  if (el.querySelector(INTERACTIVE_SELECTOR)) return false;
  return Boolean((el as HTMLElement).innerText?.trim() || el.querySelector('img,svg') || el.getAttribute('aria-label'));
}

/**
 * Checkboxes, radios and file inputs are often hidden and replaced by a styled label or
 * button. They are still worth listing (actions reach them through the label or setInputFiles).
 */
export function isHiddenControlWorthListing(el: Element): boolean {
  if (el.localName !== 'input') return false;
  const input = el as HTMLInputElement;
  if (input.type === 'file') return true;
  if (input.type !== 'checkbox' && input.type !== 'radio') return false;
  const labels = input.labels ? Array.from(input.labels) : [];
  return labels.some((label) => hasVisibleBox(label));
}

export function isInViewport(rect: DOMRect): boolean {
  return rect.bottom > 0 && rect.right > 0 && rect.top < window.innerHeight && rect.left < window.innerWidth;
}
