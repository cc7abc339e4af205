/**
 * In-page search for the option of a custom (non-<select>) dropdown once it is open. UI libraries
 * render the list anywhere — next to the trigger, in a portal at the end of <body>, inside a
 * web component — so the whole document and its open shadow roots are searched.
 *
 * Cost matters on big pages: reading innerText and layout of every element is what a full walk
 * costs, so candidates come first from the text nodes (and aria-labels) that contain the wanted
 * text; only if none qualifies are all elements examined (text split across inline tags).
 * If the option is not there yet (an animation, a network round trip), the page waits for DOM
 * changes itself, so the whole search is one round trip.
 * Passed through portable() because it runs inside the page.
 */
export interface FindOptionArgs {
  /** Selector of the element that opened the list (it and its ancestors are never the option). */
  triggerSelector: string;
  text: string;
  markerAttribute: string;
  markerValue: string;
  /** How long to wait for the option to appear. */
  waitMs: number;
}

export async function findOptionInPage(args: FindOptionArgs): Promise<string | null> {
  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
  const want = norm(args.text);
  if (!want) return null;
  const optionRoles = ['option', 'menuitem', 'menuitemradio', 'menuitemcheckbox', 'treeitem', 'gridcell'];
  const skippedTags = ['script', 'style', 'select', 'option', 'html', 'body'];
  const EXACT = 1_000_000;

  const roots = (): Array<Document | ShadowRoot> => {
    const found: Array<Document | ShadowRoot> = [document];
    for (let i = 0; i < found.length; i++) {
      for (const el of Array.from(found[i]!.querySelectorAll('*'))) if (el.shadowRoot) found.push(el.shadowRoot);
    }
    return found;
  };
  const byMarkerOrSelector = (selector: string): Element | null => {
    for (const root of roots()) {
      const el = root.querySelector(selector);
      if (el) return el;
    }
    return null;
  };
  const trigger = byMarkerOrSelector(args.triggerSelector);

  /** Elements whose own text or label could be the option: ancestors of matching text nodes. */
  const likelyCandidates = (all: Array<Document | ShadowRoot>): Element[] => {
    const out = new Set<Element>();
    for (const root of all) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!norm(node.nodeValue).includes(want)) continue;
        let el = node.parentElement;
        for (let depth = 0; el && depth < 4; depth++, el = el.parentElement) out.add(el);
      }
      for (const el of Array.from(root.querySelectorAll('[aria-label]'))) {
        if (norm(el.getAttribute('aria-label')).includes(want)) out.add(el);
      }
    }
    return Array.from(out);
  };
  const everyElement = (all: Array<Document | ShadowRoot>): Element[] => all.flatMap((root) => Array.from(root.querySelectorAll('*')));

  const best = (candidates: Element[]): { el: Element; score: number } | null => {
    let winner: { el: Element; score: number } | null = null;
    for (const el of candidates) {
      if (trigger && (el === trigger || el.contains(trigger))) continue;
      if (skippedTags.includes(el.localName)) continue;
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
      const score = (exact ? EXACT : 0) + (optionLike ? 100_000 : 0) + depth;
      if (!winner || score > winner.score) winner = { el, score };
    }
    return winner;
  };

  const attempt = (): string | null => {
    const all = roots();
    // The full walk only when the quick one found no exact match: the exact option may have its
    // text split across inline tags, where no single text node holds it.
    let winner = best(likelyCandidates(all));
    if (!winner || winner.score < EXACT) {
      const full = best(everyElement(all));
      if (full && (!winner || full.score > winner.score)) winner = full;
    }
    if (!winner) return null;
    winner.el.setAttribute(args.markerAttribute, args.markerValue);
    return norm((winner.el as HTMLElement).innerText) || want;
  };

  /** Resolves at the next DOM change (light DOM) or after `ms` (shadow DOM, CSS transitions). */
  const nextChange = (ms: number) => new Promise<void>((resolve) => {
    const observer = new MutationObserver(() => finish());
    const timer = setTimeout(() => finish(), ms);
    const finish = () => { observer.disconnect(); clearTimeout(timer); resolve(); };
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });

  const deadline = Date.now() + args.waitMs;
  for (;;) {
    const started = Date.now();
    const found = attempt();
    if (found !== null) return found;
    if (Date.now() >= deadline) return null;
    await nextChange(Math.min(100, deadline - Date.now()));
    // A page that changes all the time must not keep this search running back to back.
    const pause = Math.min(started + 50, deadline) - Date.now();
    if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
