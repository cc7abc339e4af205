import type { OptionInfo, PageScan, ScannedElement, TextBlock } from './types.ts';

/**
 * Compact, line-oriented rendering of a PageScan for prompts. One element per line:
 *   [e12] input type=email label="Email" required
 * Text context is interleaved in document order: "# " marks headings, "! " alerts/errors.
 * A table row is one line, its elements rendered in place exactly as their own line would be
 * (and then not repeated): `SKU-015 | [e5] a "Oven mitt" href=/products.html?page=3#sku-015 | $52.50`.
 * See docs/llm-contract.md ("Serialized page format").
 */

export interface SerializeOptions {
  /** Character budget for the whole output (~4 chars per token). */
  maxChars?: number;
  maxOptionsPerSelect?: number;
}

interface Line {
  frameId: string;
  order: number;
  /** Elements, headings, alerts and lines with elements are kept before plain text when the page is too long. */
  essential: boolean;
  /** How many elements the line shows: 1 for an element line, the inline ones for a text line. */
  elements: number;
  text: string;
}

/** Told to the model when a modal hides the rest of the main page. */
export const MODAL_NOTE = 'Modal open: the page behind it is blocked until it is closed.';

export function serializePage(scan: PageScan, options: SerializeOptions = {}): string {
  const maxChars = options.maxChars ?? 8000;
  const maxOptions = options.maxOptionsPerSelect ?? 25;
  const header = [`URL: ${scan.url}`, `Title: ${scan.title || '(none)'}`];
  const scroll = describeScroll(scan);
  if (scroll) header.push(scroll);
  const modal = describeModal(scan);
  if (modal) header.push(modal);

  // Elements shown inside a text line (table rows) are not repeated on lines of their own.
  const key = (frameId: string, id: string) => `${frameId} ${id}`;
  const byKey = new Map(scan.elements.map((el) => [key(el.frameId, el.id), el]));
  const inline = new Set<string>();
  for (const block of scan.text) {
    for (const part of block.parts ?? []) if (typeof part !== 'string') inline.add(key(block.frameId, part.id));
  }
  const renderInline = (frameId: string, id: string) => {
    const el = byKey.get(key(frameId, id));
    return el ? elementLine(el, scan.url, maxOptions) : `[${id}]`;
  };

  const body: Line[] = [
    ...scan.elements
      .filter((el) => !inline.has(key(el.frameId, el.id)))
      .map((el) => ({
        frameId: el.frameId,
        order: el.order,
        essential: true,
        elements: 1,
        text: elementLine(el, scan.url, maxOptions),
      })),
    ...scan.text.map((block) => {
      const elements = (block.parts ?? []).filter((part) => typeof part !== 'string').length;
      return {
        frameId: block.frameId,
        order: block.order,
        essential: block.kind !== 'text' || elements > 0,
        elements,
        text: textLine(block, (id) => renderInline(block.frameId, id)),
      };
    }),
  ];
  const frameRank = new Map(scan.frames.map((frame, index) => [frame.frameId, index]));
  body.sort((a, b) => (frameRank.get(a.frameId) ?? 0) - (frameRank.get(b.frameId) ?? 0) || a.order - b.order);

  const kept = fitToBudget(body, maxChars - header.join('\n').length - 200 - scan.frames.length * 120);
  const output = [...header, ''];
  let currentFrame = 'main';
  for (const line of kept) {
    if (line.frameId !== currentFrame) {
      currentFrame = line.frameId;
      output.push(frameHeading(scan, currentFrame));
    }
    output.push(line.text);
  }
  const count = (lines: Line[]) => lines.reduce((sum, l) => sum + l.elements, 0);
  const droppedElements = count(body) - count(kept);
  const droppedText = body.filter((l) => l.elements === 0).length - kept.filter((l) => l.elements === 0).length;
  if (droppedElements > 0 || droppedText > 0) {
    output.push(
      `(truncated: ${droppedElements} more elements and ${droppedText} more text lines not shown; scroll to see the rest of the page)`,
    );
  } else if (scan.truncated) {
    output.push('(truncated: the page has more elements than can be listed; scroll to see the rest of the page)');
  }
  if (scan.elements.length === 0) output.push('(no interactable elements found)');
  return output.join('\n');
}

/**
 * If elements, headings and alerts fit, drop plain text from the end until everything fits.
 * Otherwise the page is huge: keep its beginning, text and elements together, so what is shown
 * still reads like the page (the LLM can scroll for more).
 */
function fitToBudget(lines: Line[], budget: number): Line[] {
  const size = (l: Line) => l.text.length + 1;
  let total = lines.reduce((sum, l) => sum + size(l), 0);
  if (total <= budget) return lines;
  const essentialTotal = lines.reduce((sum, l) => sum + (l.essential ? size(l) : 0), 0);
  if (essentialTotal > budget) {
    const kept: Line[] = [];
    let used = 0;
    for (const line of lines) {
      if (used + size(line) > budget) break;
      kept.push(line);
      used += size(line);
    }
    return kept;
  }
  const dropped = new Set<Line>();
  for (let i = lines.length - 1; i >= 0 && total > budget; i--) {
    const line = lines[i];
    if (line.essential) continue;
    dropped.add(line);
    total -= size(line);
  }
  return lines.filter((l) => !dropped.has(l));
}

function describeScroll(scan: PageScan): string | undefined {
  const { y, scrollHeight, viewportHeight } = scan.scroll;
  if (scrollHeight <= viewportHeight + 4) return undefined;
  const below = Math.max(0, scrollHeight - y - viewportHeight);
  return `Scroll: ${y}px from top, ${below}px more below (viewport ${viewportHeight}px, page ${scrollHeight}px)`;
}

function describeModal(scan: PageScan): string | undefined {
  if (!scan.modalOpen) return undefined;
  const frames = scan.frames.filter((frame) => frame.modalOpen).map((frame) => frame.frameId);
  if (frames.length === 0 || frames.includes('main')) return MODAL_NOTE;
  return `Modal open in iframe ${frames.join(', ')}: the rest of that frame is blocked until it is closed.`;
}

function frameHeading(scan: PageScan, frameId: string): string {
  const frame = scan.frames.find((f) => f.frameId === frameId);
  const title = frame?.title ? ` ${quote(frame.title)}` : '';
  return `--- iframe ${frameId}${title} ${frame?.url ?? ''}`.trimEnd();
}

function textLine(block: TextBlock, renderElement: (id: string) => string): string {
  const text = block.parts
    ? block.parts.map((part) => (typeof part === 'string' ? part : renderElement(part.id))).join(' ')
    : block.text;
  if (block.kind === 'heading') return `# ${text}`;
  if (block.kind === 'alert') return `! ${text}`;
  return text;
}

export function elementLine(el: ScannedElement, pageUrl: string, maxOptions = 25): string {
  const parts = [`[${el.id}]`, el.tag];
  if (el.role) parts.push(`role=${el.role}`);
  if (el.type && el.type !== 'text') parts.push(`type=${el.type}`);
  if (el.text) parts.push(quote(el.text));
  // A field's name is a developer's identifier: worth its tokens only when nothing a person reads
  // names the field, or to show which radio buttons form one group.
  const named = !!(el.label || el.placeholder || el.text);
  if (el.name && ['input', 'select', 'textarea'].includes(el.tag) && (!named || el.type === 'radio')) parts.push(`name=${el.name}`);
  if (el.label) parts.push(`label=${quote(el.label)}`);
  if (el.placeholder && el.placeholder !== el.label) parts.push(`placeholder=${quote(el.placeholder)}`);
  // An empty field shows no value at all (the model reads the absence as empty).
  if (el.value !== undefined && !(el.value === '' && el.tag !== 'select')) parts.push(`value=${quote(el.value)}`);
  if (el.href) parts.push(`href=${shortHref(el.href, pageUrl)}`);
  if (el.options) parts.push(`options=${optionList(el.options, maxOptions)}`);
  const s = el.state;
  if (s.checked !== undefined) parts.push(s.checked === 'mixed' ? 'mixed' : s.checked ? 'checked' : 'unchecked');
  if (s.selected) parts.push('selected');
  if (s.expanded !== undefined) parts.push(`expanded=${s.expanded}`);
  if (s.required) parts.push('required');
  if (s.readonly) parts.push('readonly');
  if (s.disabled) parts.push('disabled');
  if (s.focused) parts.push('focused');
  return parts.join(' ');
}

function optionList(options: OptionInfo[], max: number): string {
  const shown = options.slice(0, max).map((o) => {
    const value = o.value !== o.label ? `=${o.value === '' ? '""' : o.value}` : '';
    return `${quote(o.label)}${value}${o.disabled ? '(disabled)' : ''}`;
  });
  if (options.length > max) shown.push(`…+${options.length - max} more`);
  return `[${shown.join(', ')}]`;
}

function shortHref(href: string, pageUrl: string): string {
  try {
    const url = new URL(href);
    const page = new URL(pageUrl);
    const short = url.origin === page.origin ? `${url.pathname}${url.search}${url.hash}` : href;
    return short.length > 100 ? `${short.slice(0, 99)}…` : short;
  } catch {
    return href.slice(0, 100);
  }
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
