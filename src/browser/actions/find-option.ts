/**
 * In-page search for the option of a custom (non-<select>) dropdown once it is open. UI libraries
 * render the list anywhere — next to the trigger, in a portal at the end of <body>, inside a
 * web component — so the whole document and its open shadow roots are searched.
 * Passed through portable() because it runs inside the page.
 */
export interface FindOptionArgs {
  text: string;
  markerAttribute: string;
  markerValue: string;
}

export function findOptionInPage(trigger: Element, args: FindOptionArgs): string | null {
  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
  const want = norm(args.text);
  if (!want) return null;
  const optionRoles = ['option', 'menuitem', 'menuitemradio', 'menuitemcheckbox', 'treeitem', 'gridcell'];

  const all: Element[] = [];
  const stack: Array<Document | ShadowRoot | Element> = [document];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const child of Array.from(node.children)) {
      all.push(child);
      stack.push(child);
      if (child.shadowRoot) stack.push(child.shadowRoot);
    }
  }

  let best: { el: Element; score: number } | null = null;
  for (const el of all) {
    if (el === trigger || el.contains(trigger)) continue;
    if (['script', 'style', 'select', 'option', 'html', 'body'].includes(el.localName)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width < 1 || rect.height < 1) continue;
    if (typeof el.checkVisibility === 'function' && !el.checkVisibility({ checkVisibilityCSS: true })) continue;
    const text = norm((el as HTMLElement).innerText) || norm(el.getAttribute('aria-label'));
    if (!text) continue;
    const exact = text === want;
    // A loose match must not be a whole container that merely mentions the option.
    const partial = !exact && text.includes(want) && text.length <= want.length * 2 + 10;
    if (!exact && !partial) continue;
    const role = el.getAttribute('role') ?? '';
    const optionLike = optionRoles.includes(role) || el.localName === 'li';
    let depth = 0;
    for (let p = el.parentNode; p; p = p.parentNode ?? (p as ShadowRoot).host ?? null) depth++;
    // Exact beats partial, then option-like roles, then the deepest (most specific) element.
    const score = (exact ? 1_000_000 : 0) + (optionLike ? 100_000 : 0) + depth;
    if (!best || score > best.score) best = { el, score };
  }
  if (!best) return null;
  best.el.setAttribute(args.markerAttribute, args.markerValue);
  return norm((best.el as HTMLElement).innerText) || want;
}
