/**
 * In-page probe (runs inside the browser through portable()): finds the target of an action and
 * reports everything the action needs to choose its strategy, in ONE round trip. Each Playwright
 * locator call costs a selector resolution plus a handle round trip or two (10–30 ms each on a busy
 * machine); an action used to make four or five of them before doing anything.
 *
 * With `clickCheck`, it also does what Playwright's actionability wait does before a click —
 * scroll into view, "stable" (same box across an animation frame, when anything could move it)
 * and "receives events" (a hit test at the centre) — so the click itself can skip those checks. When any check fails the
 * caller falls back to Playwright's own waiting click, so nothing is lost on difficult pages.
 */
export interface ProbeArgs {
  /** CSS selector of the target (an element ID attribute or a temporary marker). */
  selector: string;
  clickCheck: boolean;
  /** Give up on the animation frame after this long (throttled or frozen pages). */
  frameTimeoutMs: number;
}

export interface ElementProbe {
  tag: string;
  /** Input type (inputs only), lowercased. */
  type: string;
  role: string;
  /** contenteditable. */
  editable: boolean;
  /** Non-empty box, not visibility:hidden, no display:none ancestor (Playwright's notion). */
  visible: boolean;
  /** Disabled form control (also through a disabled fieldset) or aria-disabled. */
  disabled: boolean;
  readOnly: boolean;
  /** Inside a link (a/area with href): a click may navigate or download. */
  link: boolean;
  /** A link or form that targets another tab. */
  opensTab: boolean;
  /** Checked state of a checkbox/radio (or one inside the element), or aria-checked/aria-pressed; null if none. */
  checked: boolean | null;
  /** Current value of a field (input, textarea, select) or the text of a contenteditable. */
  value?: string;
  /** Native <select> options. */
  options?: Array<{ label: string; value: string }>;
  /** Why a person could not reach it now: inside an `inert` subtree, or outside an open modal dialog. */
  blocked?: 'inert' | 'modal';
  /** clickCheck only: the element is in view, stable and the topmost element at its centre. */
  clickable?: boolean;
  /** Why it is not clickable (for logs and tests). */
  notClickable?: string;
}

export async function probeInPage(args: ProbeArgs): Promise<ElementProbe | null> {
  const find = (): Element | null => {
    const direct = document.querySelector(args.selector);
    if (direct) return direct;
    // Elements inside open shadow roots: querySelector does not pierce them.
    const roots: Array<Document | ShadowRoot> = [document];
    while (roots.length > 0) {
      const root = roots.pop()!;
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (!el.shadowRoot) continue;
        const hit = el.shadowRoot.querySelector(args.selector);
        if (hit) return hit;
        roots.push(el.shadowRoot);
      }
    }
    return null;
  };
  const el = find();
  if (!el) return null;

  const html = el as HTMLElement;
  const tag = el.localName;
  const style = getComputedStyle(el);
  const box = () => el.getBoundingClientRect();
  const rect = box();
  const shown = typeof el.checkVisibility === 'function' ? el.checkVisibility() : true;
  const visible = shown && rect.width > 0 && rect.height > 0 && style.visibility === 'visible';
  const ariaDisabled = el.closest('[aria-disabled="true"]') !== null;
  const disabled = ariaDisabled || el.matches(':disabled');
  const readOnly = ((tag === 'input' || tag === 'textarea') && (el as HTMLInputElement).readOnly) || el.getAttribute('aria-readonly') === 'true';
  const target = (el.closest('a, area, form')?.getAttribute('target') ?? '').toLowerCase();
  const native = el.matches('input[type=checkbox], input[type=radio]')
    ? (el as HTMLInputElement)
    : el.querySelector<HTMLInputElement>('input[type=checkbox], input[type=radio]');
  const aria = el.getAttribute('aria-checked') ?? el.getAttribute('aria-pressed');
  const probe: ElementProbe = {
    tag,
    type: tag === 'input' ? (el as HTMLInputElement).type.toLowerCase() : '',
    role: el.getAttribute('role') ?? '',
    editable: html.isContentEditable,
    visible,
    disabled,
    readOnly,
    link: el.closest('a[href], area[href]') !== null,
    opensTab: target !== '' && !['_self', '_parent', '_top'].includes(target),
    checked: native ? native.checked : aria === null ? null : aria === 'true',
  };
  const modal = document.querySelector('dialog:modal');
  if (el.closest('[inert]')) probe.blocked = 'inert';
  else if (modal && !modal.contains(el)) probe.blocked = 'modal';
  if (html.isContentEditable) probe.value = html.innerText;
  else if (tag === 'input' || tag === 'textarea' || tag === 'select') probe.value = (el as HTMLInputElement).value ?? '';
  if (tag === 'select') {
    probe.options = Array.from((el as HTMLSelectElement).options).map((o) => ({ label: (o.label || o.text).trim(), value: o.value }));
  }
  if (!args.clickCheck) return probe;

  const fail = (why: string): ElementProbe => ({ ...probe, clickable: false, notClickable: why });
  if (!visible) return fail('not visible');
  if (disabled) return fail('disabled');
  const centre = (r: DOMRect) => ({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
  const inView = (r: DOMRect) => {
    const c = centre(r);
    return c.x >= 0 && c.y >= 0 && c.x < window.innerWidth && c.y < window.innerHeight;
  };
  const scrolled = !inView(rect);
  if (scrolled) el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
  // "Stable" as Playwright means it: the same box across animation frames. Waiting for frames is
  // only worth it when something can move the element: a scroll just now (scroll listeners,
  // sticky headers) or a running CSS animation/transition on it or an ancestor.
  const ancestors = new Set<Element>();
  for (let node: Element | null = el; node; node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host ?? null)) ancestors.add(node);
  const moving = document.getAnimations().some((animation) => {
    const animated = (animation.effect as KeyframeEffect | null)?.target;
    return animation.playState === 'running' && !!animated && ancestors.has(animated);
  });
  const nextFrame = () => new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), args.frameTimeoutMs);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  const same = (a: DOMRect, b: DOMRect) => a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
  const before = box();
  // An animation: two frames, as Playwright checks (one frame can repeat the box of the moment
  // before it). A scroll: one frame, in which scroll listeners run and may move things.
  const frames = moving ? 2 : scrolled ? 1 : 0;
  const seen: DOMRect[] = [before];
  for (let i = 0; i < frames; i++) {
    if (!(await nextFrame())) return fail('no animation frame');
    seen.push(box());
  }
  const after = seen[seen.length - 1]!;
  if (seen.some((r) => !same(r, after))) return fail('moving');
  if (!inView(after)) return fail('outside the viewport');
  const point = centre(after);
  const root = el.getRootNode();
  const scope = root instanceof ShadowRoot ? root : document;
  const hit = scope.elementFromPoint(point.x, point.y);
  if (!hit || (hit !== el && !el.contains(hit))) return fail(`covered by ${hit ? hit.localName : 'nothing'}`);
  return { ...probe, clickable: true };
}
