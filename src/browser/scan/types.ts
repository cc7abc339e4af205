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
  inShadowRoot?: boolean;
  inViewport: boolean;
  /** Relative to the frame's viewport. */
  box: BoundingBox;
}

export type TextKind = 'heading' | 'alert' | 'text';

export interface TextBlock {
  frameId: string;
  order: number;
  kind: TextKind;
  text: string;
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
}

export interface InPageScanArgs {
  idPrefix: string;
  idAttribute: string;
  maxElements: number;
  maxTextBlocks: number;
}
