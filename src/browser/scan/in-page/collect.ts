/*
 * In-page entry point (run inside the browser): walks one frame's document, including open
 * shadow roots, and returns interactable elements interleaved (by `order`) with readable text.
 * Content that cannot be reached is left out (blocking.ts): `inert` and `aria-hidden="true"`
 * subtrees, and, while a modal is open, everything outside it. What one table row shows is
 * joined into one line, its elements in place (joinRows).
 * See text.ts for the rules these functions must follow.
 */
import type { InPageScanArgs, RawFrameScan, ScannedElement, TextKind, TextPart } from '../types.ts';
import { findModalRoots, hidesSubtree, isModalRoot } from './blocking.ts';
import { INTERACTIVE_SELECTOR, isElementVisible, isHiddenControlWorthListing, isInViewport, isPointerLeaf, isSemanticallyInteractive } from './classify.ts';
import { describeElement } from './describe.ts';
import { cleanText, textKindOf } from './text.ts';

/** A text line is cut at this many characters; a table row is only joined if its text fits. */
export const MAX_LINE_CHARS = 300;
/** A "row" with more elements than this is a layout table, not a data row: it is not joined. */
export const MAX_ROW_ELEMENTS = 10;

interface WalkContext {
  /** Nearest non-inline ancestor: text inside one block is joined into one line. */
  block: Element | null;
  /** Current table cell (also through blocks inside it): cells of one row are separated by " | ". */
  cell: Element | null;
  /** Current table row (reset by a nested table): what one row shows may be joined into one line. */
  row: Element | null;
  kind: TextKind;
  /** Text here is already represented by an element (button text, label of a control...). */
  skipText: boolean;
  parentVisible: boolean;
  parentIsPointer: boolean;
  /** Inside an open modal. */
  inModal: boolean;
}

type RawElement = Omit<ScannedElement, 'frameId'>;

/** A run of text, or an element, in a line; `cell` decides where " | " goes. */
interface Segment {
  cell: Element | null;
  text?: string;
  element?: RawElement;
}

interface LineRecord {
  order: number;
  kind: TextKind;
  segments: Segment[];
}

/** Lines and elements in document order, with where they sit (for joinRows and modals). */
interface Item {
  order: number;
  row: Element | null;
  inModal: boolean;
  line?: LineRecord;
  element?: RawElement;
  /** The cell an element sits in (a cell that is itself interactable sits in itself). */
  cell?: Element | null;
}

interface WalkResult {
  scan: RawFrameScan;
  /** An aria-hidden subtree with controls in it was left out. */
  ariaHidContent: boolean;
}

export function scanFrameDocument(args: InPageScanArgs): RawFrameScan {
  const state = window as unknown as { __skyportPrefix?: string; __skyportNextId?: number };
  // The first prefix a document receives is kept, so IDs stay stable for the document's lifetime.
  state.__skyportPrefix ??= args.idPrefix;
  state.__skyportNextId ??= 1;
  const first = walkDocument(args, true);
  // A page that hides everything with aria-hidden (left behind by a closed dialog, say) would
  // show nothing at all: then aria-hidden is ignored, so the model can still act.
  if (first.ariaHidContent && !first.scan.elements.some((el) => !el.hiddenControl)) return walkDocument(args, false).scan;
  return first.scan;
}

export function walkDocument(args: InPageScanArgs, honorAriaHidden: boolean): WalkResult {
  const state = window as unknown as { __skyportPrefix: string; __skyportNextId: number };
  const prefix = state.__skyportPrefix;

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
    modalOpen: false,
  };
  const usedIds = new Set<string>();
  let order = 0;
  let elementCount = 0;
  let lineCount = 0;
  let openLine: { block: Element | null; line: LineRecord } | null = null;
  const items: Item[] = [];
  // Modals are found once per scan; while one is open, the walk only descends towards it.
  const modalRoots = findModalRoots(document, honorAriaHidden);
  let lateModal = false;
  let ariaHidContent = false;

  const stableId = (el: Element): string => {
    let id = el.getAttribute(args.idAttribute);
    // Cloned nodes carry their original's ID; a duplicate gets a fresh one.
    if (!id || !id.startsWith(prefix) || !/^\d+$/.test(id.slice(prefix.length)) || usedIds.has(id)) {
      id = `${prefix}${state.__skyportNextId++}`;
      el.setAttribute(args.idAttribute, id);
    }
    usedIds.add(id);
    return id;
  };

  const recordElement = (el: Element, hiddenControl: boolean, ctx: WalkContext, cell: Element | null): void => {
    if (elementCount >= args.maxElements) {
      result.truncated = true;
      return;
    }
    elementCount++;
    const rect = el.getBoundingClientRect();
    const element: RawElement = {
      id: stableId(el),
      order: order++,
      ...describeElement(el),
      inViewport: isInViewport(rect),
      box: { x: Math.round(rect.x), y: Math.round(rect.y), width: Math.round(rect.width), height: Math.round(rect.height) },
    };
    if (hiddenControl) element.hiddenControl = true;
    items.push({ order: element.order, row: ctx.row, inModal: ctx.inModal, element, cell });
  };

  const recordText = (raw: string, ctx: WalkContext): void => {
    const text = raw.replace(/\s+/g, ' ').trim();
    if (!text) return;
    // Continue the current line only if nothing else was emitted since and we are in the same block.
    if (openLine && openLine.block === ctx.block && openLine.line.order === order - 1) {
      openLine.line.segments.push({ cell: ctx.cell, text });
      return;
    }
    if (lineCount >= args.maxTextBlocks) {
      result.truncated = true;
      return;
    }
    lineCount++;
    const line: LineRecord = { order: order++, kind: ctx.kind, segments: [{ cell: ctx.cell, text }] };
    openLine = { block: ctx.block, line };
    items.push({ order: line.order, row: ctx.row, inModal: ctx.inModal, line });
  };

  /** Content is recorded unless a modal is open and this is not inside it. */
  const recordable = (ctx: WalkContext): boolean => ctx.inModal || modalRoots.length === 0;

  const visitChildren = (parent: Node, ctx: WalkContext): void => {
    for (let child = parent.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        if (!ctx.skipText && ctx.parentVisible && recordable(ctx)) recordText(child.nodeValue ?? '', ctx);
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        visitElement(child as Element, ctx);
      }
    }
  };

  const visitElement = (el: Element, ctx: WalkContext): void => {
    const tag = el.localName;
    if (['script', 'style', 'noscript', 'template', 'head', 'meta', 'link'].includes(tag)) return;
    if (hidesSubtree(el, honorAriaHidden)) {
      if (!ariaHidContent && !el.hasAttribute('inert') && el.querySelector(INTERACTIVE_SELECTOR)) ariaHidContent = true;
      return;
    }
    let inModal = ctx.inModal;
    if (!inModal) {
      if (modalRoots.length > 0) {
        if (modalRoots.includes(el)) inModal = true;
        // Behind the modal: nothing here is listed, and nothing below leads to the modal.
        else if (!modalRoots.some((root) => el.contains(root))) return;
      } else if ((tag === 'dialog' || el.hasAttribute('aria-modal')) && el.getRootNode() !== document && isModalRoot(el)) {
        // A modal inside a shadow root (findModalRoots only sees the light DOM): everything
        // outside it is recorded as usual and dropped at the end of the walk.
        inModal = true;
        lateModal = true;
      }
    }
    const here: WalkContext = inModal === ctx.inModal ? ctx : { ...ctx, inModal };
    const style = getComputedStyle(el);
    const isCell = style.display === 'table-cell';
    const cell = isCell ? el : ctx.cell;
    if (style.display === 'none') {
      if (recordable(here) && isHiddenControlWorthListing(el)) recordElement(el, true, here, cell);
      return;
    }
    const visible = isElementVisible(el, style);
    let interactive = false;
    if (!recordable(here)) {
      // An ancestor of the modal: walk through it without listing it.
    } else if (visible) {
      interactive = isSemanticallyInteractive(el) || (!ctx.skipText && isPointerLeaf(el, style, ctx.parentIsPointer));
      if (interactive) recordElement(el, false, here, cell);
    } else if (isHiddenControlWorthListing(el)) {
      recordElement(el, true, here, cell);
    }
    // Frames are scanned separately through Playwright; select options are part of the select's record.
    if (tag === 'iframe' || tag === 'frame' || tag === 'select' || tag === 'svg') return;

    const isRow = style.display === 'table-row';
    const isTable = style.display === 'table' || style.display === 'inline-table';
    const isBlock = !isCell && !style.display.startsWith('inline') && style.display !== 'contents';
    const ownKind = isBlock ? textKindOf(el) : undefined;
    const childCtx: WalkContext = {
      block: isBlock ? el : ctx.block,
      cell: isRow || isTable ? null : cell,
      row: isRow ? el : isTable ? null : ctx.row,
      kind: ownKind ?? ctx.kind,
      skipText: ctx.skipText || interactive || (tag === 'label' && Boolean((el as HTMLLabelElement).control)),
      parentVisible: visible,
      parentIsPointer: style.cursor === 'pointer',
      inModal,
    };
    if (el.shadowRoot) visitChildren(el.shadowRoot, childCtx);
    visitChildren(el, childCtx);
  };

  if (document.documentElement) {
    visitElement(document.documentElement, {
      block: null,
      cell: null,
      row: null,
      kind: 'text',
      skipText: false,
      parentVisible: true,
      parentIsPointer: false,
      inModal: false,
    });
  }

  result.modalOpen = modalRoots.length > 0 || lateModal;
  const kept = lateModal ? items.filter((item) => item.inModal) : items;
  for (const line of joinRows(kept)) {
    result.text.push(textBlockOf(line));
  }
  for (const item of kept) if (item.element) result.elements.push(item.element);
  return { scan: result, ariaHidContent };
}

/**
 * Lines in document order, where the lines and elements of one table row are joined into one
 * line (elements in place, marked `inline`) — if the row reads like a data row: it spans at least
 * two cells, has only plain text, at most MAX_ROW_ELEMENTS elements and MAX_LINE_CHARS of text.
 * Anything else (layout tables, long cells) keeps one line per block and element.
 */
export function joinRows(items: Item[]): LineRecord[] {
  const lines: LineRecord[] = [];
  for (let start = 0; start < items.length; ) {
    const row = items[start].row;
    let end = start + 1;
    if (row) while (end < items.length && items[end].row === row) end++;
    const group = items.slice(start, end);
    start = end;
    if (group.length > 1 && rowReadsAsOneLine(group)) {
      const segments: Segment[] = [];
      for (const item of group) {
        if (item.line) segments.push(...item.line.segments);
        else if (item.element) {
          item.element.inline = true;
          segments.push({ cell: item.cell ?? null, element: item.element });
        }
      }
      lines.push({ order: group[0].order, kind: 'text', segments });
    } else {
      for (const item of group) if (item.line) lines.push(item.line);
    }
  }
  return lines;
}

export function rowReadsAsOneLine(group: Item[]): boolean {
  let elements = 0;
  let chars = 0;
  const seenCells = new Set<Element>();
  for (const item of group) {
    if (item.element) {
      elements++;
      if (item.cell) seenCells.add(item.cell);
    } else if (item.line) {
      if (item.line.kind !== 'text') return false;
      for (const segment of item.line.segments) {
        chars += (segment.text ?? '').length + 1;
        if (segment.cell) seenCells.add(segment.cell);
      }
    }
  }
  return elements <= MAX_ROW_ELEMENTS && chars <= MAX_LINE_CHARS && seenCells.size >= 2;
}

/** " | " between segments of different cells, a space otherwise. */
export function textBlockOf(line: LineRecord): { order: number; kind: TextKind; text: string; parts?: TextPart[] } {
  const tokens: TextPart[] = [];
  const readable: string[] = [];
  let hasElements = false;
  line.segments.forEach((segment, index) => {
    if (index > 0 && segment.cell !== line.segments[index - 1].cell) {
      tokens.push('|');
      readable.push('|');
    }
    if (segment.element) {
      hasElements = true;
      tokens.push({ id: segment.element.id });
      const name = segment.element.text || segment.element.label || segment.element.placeholder || '';
      if (name) readable.push(name);
    } else {
      tokens.push(segment.text ?? '');
      readable.push(segment.text ?? '');
    }
  });
  if (!hasElements) return { order: line.order, kind: line.kind, text: cleanText(readable.join(' '), MAX_LINE_CHARS) };
  // Adjacent text tokens become one part; separators left dangling by unnamed elements are dropped from `text`.
  const parts: TextPart[] = [];
  for (const token of tokens) {
    const last = parts[parts.length - 1];
    if (typeof token === 'string' && typeof last === 'string') parts[parts.length - 1] = `${last} ${token}`;
    else parts.push(token);
  }
  const text = readable.join(' ').replace(/(\| )+\|/g, '|').replace(/^\| | \|$/g, '');
  return { order: line.order, kind: line.kind, text: cleanText(text, MAX_LINE_CHARS * 3), parts };
}
