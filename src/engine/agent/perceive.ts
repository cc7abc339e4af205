// What the agent sees of the page at one moment: the scan, its serialized form for prompts (with
// secrets masked), a screenshot, and a fingerprint used to notice that nothing changed.
import { createHash } from 'node:crypto';
import { prepareForActions, scanPage, serializePage, settlePage, type PageScan, type PageSession, type ScannedElement } from '../../browser/index.ts';
import type { SecretVault } from './secrets.ts';

export interface PageView {
  scan: PageScan;
  /** Serialized page as put in prompts (secrets redacted). */
  text: string;
  /** The screenshot for the model; present only when it was perceived for a model that can see. */
  screenshot?: Buffer;
  /** The same screenshot for artifacts; may still be in flight (it is off the critical path for text-only models). */
  shot: Promise<Buffer | undefined>;
  /** Same value ⇔ same URL, elements, values and texts (focus ignored). */
  fingerprint: string;
  /** Time spent settling, scanning and taking the screenshot, for the benchmark and step records. */
  ms: { settle: number; scan: number; screenshot: number };
  /** performance.now() when the page was read: a view older than a model call is re-read. */
  takenAt: number;
  /** The page still looked busy when the wait for it ran out (e.g. `the button "Placing order…" is still working`). */
  stillBusy?: string;
}

/** Longer than the action prompt's budget: extraction wants the page's text, not just its controls. */
export const EXTRACTION_PAGE_CHARS = 24_000;

/**
 * `forModel`: the screenshot goes into the next prompt, so wait for it. Otherwise it is only an
 * artifact and finishes in the background while the model thinks (it costs 70–250 ms).
 */
export async function perceive(session: PageSession, secrets: SecretVault, opts: { forModel: boolean; quietMs?: number; signal?: AbortSignal }): Promise<PageView> {
  // Let what the last actions set off finish (requests, rendering, "Loading…"), so the model and
  // the checker see the result rather than a half-updated page.
  const settled = await settlePage(session, { quietMs: opts.quietMs, signal: opts.signal });
  const page = session.page;
  const started = performance.now();
  const ms = { settle: settled.waitedMs, scan: 0, screenshot: 0 };
  // Scan and screenshot overlap: both are CDP round trips that don't interfere.
  const shot = page.screenshot({ type: 'png', timeout: 10_000 })
    .then((png) => { ms.screenshot = Math.round(performance.now() - started); return png; })
    .catch(() => undefined);
  const scan = await scanPage(page);
  ms.scan = Math.round(performance.now() - started);
  // The next actions will be on this page: get Playwright ready while the model thinks.
  prepareForActions(page);
  const text = secrets.redact(serializePage(scan));
  return {
    scan, text, shot, screenshot: opts.forModel ? await shot : undefined, fingerprint: fingerprintOf(text), ms,
    takenAt: performance.now(), ...(settled.stillBusy ? { stillBusy: settled.stillBusy } : {}),
  };
}

/** A page read longer ago than this is read again before a model sees it (a scan costs ~10–30 ms). */
const FRESH_VIEW_MS = 300;

/** `view` when it was read just now; otherwise the page read again (e.g. after a model call, during which the page went on changing). */
export async function freshView(rt: PerceiveRuntime, view: PageView): Promise<PageView> {
  if (performance.now() - view.takenAt <= FRESH_VIEW_MS) return view;
  return perceiveFor(rt);
}

/** What perceiving for an agent needs from its runtime. */
type PerceiveRuntime = { session: PageSession; secrets: SecretVault; llm: { supportsVision: boolean }; model?: { model_name?: string } | null; env: { signal: AbortSignal } };

/** The page as the agent's model should see it now (screenshot when it can see; stops waiting on cancel). */
export function perceiveFor(rt: PerceiveRuntime, quietMs?: number): Promise<PageView> {
  return perceive(rt.session, rt.secrets, { forModel: modelSees(rt), quietMs, signal: rt.env.signal });
}

/** Whether prompts carry screenshots: the model sees, or a per-run model might (the LLM layer drops them if not). */
export function modelSees(rt: { llm: { supportsVision: boolean }; model?: { model_name?: string } | null }): boolean {
  return rt.llm.supportsVision || !!rt.model?.model_name;
}

/** Serialization with a larger budget for extraction prompts. */
export function extractionText(view: PageView, secrets: SecretVault): string {
  return secrets.redact(serializePage(view.scan, { maxChars: EXTRACTION_PAGE_CHARS }));
}

function fingerprintOf(text: string): string {
  // Focus moves with every click even when nothing else happens; it is not progress.
  const stable = text.replace(/ focused(?=$| \| | \[(?:f\d+)?e\d+\] )/gm, '');
  return createHash('sha1').update(stable).digest('hex').slice(0, 16);
}

/** The element the model referred to, from the page it was shown. */
export function elementById(view: PageView, id: string | undefined): ScannedElement | undefined {
  return id ? view.scan.elements.find((el) => el.id === id) : undefined;
}

/** Short human description of an element for step histories: `button "Create account"`. */
export function describeElement(el: ScannedElement | undefined): string {
  if (!el) return '';
  const name = el.text || el.label || el.placeholder || el.name || '';
  const kind = el.role ?? (el.type && el.tag === 'input' ? `${el.type} input` : el.tag);
  const short = name.length > 40 ? `${name.slice(0, 39)}…` : name;
  return short ? `${kind} "${short}"` : kind;
}
