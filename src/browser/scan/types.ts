/** Data produced by scanning a page: what the LLM is allowed to "see" and act on. */

/** Attribute written on every interactable node so its ID survives re-scans. */
export const ELEMENT_ID_ATTRIBUTE = 'data-skyport-id';

export interface ElementState {
  /** true/false for checkboxes, radios and aria-checked; 'mixed' for tri-state. */
  checked?: boolean | 'mixed';
  disabled?: boolean;
  selected?: boolean;
  /** Only present when the element declares aria-expanded. */
  expanded?: boolean;
  required?: boolean;
  readonly?: boolean;
  focused?: boolean;
}

export interface OptionInfo {
  index: number;
  label: string;
  value: string;
  selected: boolean;
  disabled?: boolean;
}

export interface BoundingBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ScannedElement {
  /** Stable ID such as "e12" (main frame) or "f1e3" (first iframe). */
  id: string;
  /** "main" or the frame's ID such as "f1". */
  frameId: string;
  /** Position in the frame's document order, shared with text blocks so they can be interleaved. */
  order: number;
  tag: string;
  /** Explicit ARIA role attribute, if any. */
  role?: string;
  /** Input type (inputs only). */
  type?: string;
  name?: string;
  /** Visible text of the element, whitespace-collapsed and capped. */
  text?: string;
  /** Accessible label: aria-labelledby, aria-label, <label>, title. */
  label?: string;
  placeholder?: string;
  /** Current value; passwords are masked. */
  value?: string;
  href?: string;
  state: ElementState;
  /** Native <select> options. */
  options?: OptionInfo[];
  /** The control itself is hidden (e.g. styled checkbox/file input) but reachable through its label. */
  hiddenControl?: boolean;
  /**
   * Shown inside a text line (a table row, see TextBlock.parts) rather than on a line of its own.
   * It is still a regular element: actions find it by its ID like any other.
   */
  inline?: boolean;
  inShadowRoot?: boolean;
  inViewport: boolean;
  /** Relative to the frame's viewport. */
  box: BoundingBox;
}

export type TextKind = 'heading' | 'alert' | 'text';

/** A piece of a text line: a run of text, or the ID of an element shown at that place. */
export type TextPart = string | { id: string };

export interface TextBlock {
  frameId: string;
  order: number;
  kind: TextKind;
  /** The line as a person reads it (inline elements appear as their visible text or label). */
  text: string;
  /**
   * Only for lines with interactable elements in them (table rows): the line in order, text runs
   * and element IDs, so the serializer can show each element at its place. Parts are joined with
   * one space.
   */
  parts?: TextPart[];
}

export interface ScrollInfo {
  x: number;
  y: number;
  scrollHeight: number;
  viewportWidth: number;
  viewportHeight: number;
}

export interface FrameInfo {
  frameId: string;
  url: string;
  /** iframe title/name attribute, to help the LLM tell frames apart. */
  title?: string;
  parentFrameId?: string;
  /** An open modal in this frame: only its content is listed for the frame. */
  modalOpen?: boolean;
}

export interface PageScan {
  url: string;
  title: string;
  elements: ScannedElement[];
  text: TextBlock[];
  frames: FrameInfo[];
  scroll: ScrollInfo;
  /** Some frame hit the per-frame element/text limit. */
  truncated: boolean;
  /**
   * Some frame has an open modal (a <dialog> shown with showModal(), or a visible role=dialog with
   * aria-modal="true"): what lies behind it was left out. FrameInfo.modalOpen says which frame.
   */
  modalOpen: boolean;
}

/** What the in-page script returns for one frame (frameId is filled in on the Node side). */
export interface RawFrameScan {
  idPrefix: string;
  url: string;
  title: string;
  elements: Array<Omit<ScannedElement, 'frameId'>>;
  text: Array<Omit<TextBlock, 'frameId'>>;
  scroll: ScrollInfo;
  truncated: boolean;
  /** An open modal was found: only its content is listed. */
  modalOpen: boolean;
}

export interface InPageScanArgs {
  idPrefix: string;
  idAttribute: string;
  maxElements: number;
  maxTextBlocks: number;
}
