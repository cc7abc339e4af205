/*
 * In-page entry point (run inside the browser): walks one frame's document, including open
 * shadow roots, and returns interactable elements interleaved (by `order`) with readable text.
 * See text.ts for the rules these functions must follow.
 */
import type { InPageScanArgs, RawFrameScan } from '../types.ts';
import { isElementVisible, isHiddenControlWorthListing, isInViewport, isPointerLeaf, isSemanticallyInteractive } from './classify.ts';
import { describeElement } from './describe.ts';
import { cleanText, textKindOf } from './text.ts';

interface WalkContext {
  /** Nearest non-inline ancestor: text inside one block is joined into one line. */
  block: Element | null;
  /** Current table cell: cells of one row share a line, separated by " | ". */
  cell: Element | null;
  kind: 'heading' | 'alert' | 'text';
  /** Text here is already represented by an element (button text, label of a control...). */
  skipText: boolean;
  parentVisible: boolean;
  parentIsPointer: boolean;
}

export function scanFrameDocument(args: InPageScanArgs): RawFrameScan {
  const state = window as unknown as { __skyportPrefix?: string; __skyportNextId?: number };
  // The first prefix a document receives is kept, so IDs stay stable for the document's lifetime.
  state.__skyportPrefix ??= args.idPrefix;
  const prefix = state.__skyportPrefix;
  state.__skyportNextId ??= 1;

  const result: RawFrameScan = {
    idPrefix: prefix,
    url: location.href,
    title: document.title,
    elements: [],
    text: [],
    scroll: {
      x: Math.round(window.scrollX),
      y: Math.round(window.scrollY),
      scrollHeight: document.documentElement?.scrollHeight ?? 0,
      viewportWidth: window.innerWidth,
      viewportHeight: window.innerHeight,
    },
    truncated: false,
  };
  const usedIds = new Set<string>();
  let order = 0;
  let openLine: { block: Element | null; cell: Element | null; order: number; parts: string[] } | null = null;
  const openLines: Array<{ order: number; kind: 'heading' | 'alert' | 'text'; parts: string[] }> = [];

  const stableId = (el: Element): string => {
    let id = el.getAttribute(args.idAttribute);
    // Cloned nodes carry their original's ID; a duplicate gets a fresh one.
    if (!id || !id.startsWith(prefix) || !/^\d+$/.test(id.slice(prefix.length)) || usedIds.has(id)) {
      id = `${prefix}${state.__skyportNextId!++}`;
      el.setAttribute(args.idAttribute, id);
    }
    usedIds.add(id);
    return id;
  };

  const recordElement = (el: Element, hiddenControl: boolean): void => {
    if (result.elements.length >= args.maxElements) {
      result.truncated = true;
      return;
    }
    const rect = el.getBoundingClientRect();
    const element = {
      id: stableId(el),
      order: order++,
      ...describeElement(el),
      inViewport: isInViewport(rect),
      box: { x: Math.round(rect.x), y: Math.round(rect.y), width: Math.round(rect.width), height: Math.round(rect.height) },
    };
    if (hiddenControl) element.hiddenControl = true;
    result.elements.push(element);
  };

  const recordText = (raw: string, ctx: WalkContext): void => {
    const text = raw.replace(/\s+/g, ' ').trim();
    if (!text) return;
    // Continue the current line only if nothing else was emitted since and we are in the same block.
    if (openLine && openLine.block === ctx.block && openLine.order === order - 1) {
      if (openLine.cell !== ctx.cell) openLine.parts.push('|');
      openLine.cell = ctx.cell;
      openLine.parts.push(text);
      return;
    }
    if (openLines.length >= args.maxTextBlocks) {
      result.truncated = true;
      return;
    }
    openLine = { block: ctx.block, cell: ctx.cell, order: order++, parts: [text] };
    openLines.push({ order: openLine.order, kind: ctx.kind, parts: openLine.parts });
  };

  const visitChildren = (parent: Node, ctx: WalkContext): void => {
    for (let child = parent.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        if (!ctx.skipText && ctx.parentVisible) recordText(child.nodeValue ?? '', ctx);
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        visitElement(child as Element, ctx);
      }
    }
  };

  const visitElement = (el: Element, ctx: WalkContext): void => {
    const tag = el.localName;
    if (['script', 'style', 'noscript', 'template', 'head', 'meta', 'link'].includes(tag)) return;
    const style = getComputedStyle(el);
    if (style.display === 'none') {
      if (isHiddenControlWorthListing(el)) recordElement(el, true);
      return;
    }
    const visible = isElementVisible(el, style);
    let interactive = false;
    if (visible) {
      interactive = isSemanticallyInteractive(el) || (!ctx.skipText && isPointerLeaf(el, style, ctx.parentIsPointer));
      if (interactive) recordElement(el, false);
    } else if (isHiddenControlWorthListing(el)) {
      recordElement(el, true);
    }
    // Frames are scanned separately through Playwright; select options are part of the select's record.
    if (tag === 'iframe' || tag === 'frame' || tag === 'select' || tag === 'svg') return;

    const isCell = style.display === 'table-cell';
    const isBlock = !isCell && !style.display.startsWith('inline') && style.display !== 'contents';
    const ownKind = isBlock ? textKindOf(el) : undefined;
    const childCtx: WalkContext = {
      block: isBlock ? el : ctx.block,
      cell: isCell ? el : isBlock ? null : ctx.cell,
      kind: ownKind ?? ctx.kind,
      skipText: ctx.skipText || interactive || (tag === 'label' && Boolean((el as HTMLLabelElement).control)),
      parentVisible: visible,
      parentIsPointer: style.cursor === 'pointer',
    };
    if (el.shadowRoot) visitChildren(el.shadowRoot, childCtx);
    visitChildren(el, childCtx);
  };

  if (document.documentElement) {
    visitElement(document.documentElement, {
      block: null,
      cell: null,
      kind: 'text',
      skipText: false,
      parentVisible: true,
      parentIsPointer: false,
    });
  }
  result.text = openLines.map((line) => ({ order: line.order, kind: line.kind, text: cleanText(line.parts.join(' '), 300) }));
  return result;
}
