/*
 * In-page helper (run inside the browser): turn one interactable node into a plain record.
 * See text.ts for the rules these functions must follow.
 */
import type { ElementState, OptionInfo, ScannedElement } from '../types.ts';
import { cleanText, labelOf, visibleTextOf } from './text.ts';

type Description = Omit<ScannedElement, 'id' | 'frameId' | 'order' | 'inViewport' | 'box'>;

export const BUTTON_INPUT_TYPES = ['button', 'submit', 'reset', 'image'];

export function stateOf(el: Element): ElementState {
  const state: ElementState = {};
  const input = el as HTMLInputElement;
  const ariaChecked = el.getAttribute('aria-checked');
  if (el.localName === 'input' && (input.type === 'checkbox' || input.type === 'radio')) {
    state.checked = input.indeterminate ? 'mixed' : input.checked;
  } else if (ariaChecked !== null) {
    state.checked = ariaChecked === 'mixed' ? 'mixed' : ariaChecked === 'true';
  }
  if (el.matches(':disabled') || el.getAttribute('aria-disabled') === 'true') state.disabled = true;
  if (el.getAttribute('aria-selected') === 'true' || (el.localName === 'option' && (el as HTMLOptionElement).selected)) {
    state.selected = true;
  }
  const expanded = el.getAttribute('aria-expanded');
  if (expanded !== null) state.expanded = expanded === 'true';
  if (input.required || el.getAttribute('aria-required') === 'true') state.required = true;
  if (input.readOnly === true || el.getAttribute('aria-readonly') === 'true') state.readonly = true;
  if (el.matches(':focus')) state.focused = true;
  return state;
}

export function selectOptionsOf(select: HTMLSelectElement): OptionInfo[] {
  return Array.from(select.options)
    .slice(0, 100)
    .map((option, index) => {
      const info: OptionInfo = {
        index,
        label: cleanText(option.label || option.text, 80),
        value: option.value,
        selected: option.selected,
      };
      if (option.disabled) info.disabled = true;
      return info;
    });
}

export function valueOf(el: Element): string | undefined {
  const tag = el.localName;
  if (tag === 'input') {
    const input = el as HTMLInputElement;
    if (input.type === 'checkbox' || input.type === 'radio' || BUTTON_INPUT_TYPES.includes(input.type)) return undefined;
    if (input.type === 'file') return Array.from(input.files ?? []).map((f) => f.name).join(', ');
    // Never put secrets into prompts or logs; the LLM only needs to know whether it is filled.
    if (input.type === 'password') return input.value ? '********' : '';
    return cleanText(input.value, 200);
  }
  if (tag === 'textarea') return cleanText((el as HTMLTextAreaElement).value, 200);
  if (tag === 'select') {
    return cleanText(Array.from((el as HTMLSelectElement).selectedOptions).map((o) => o.label || o.text).join(', '), 120);
  }
  if ((el as HTMLElement).isContentEditable) return cleanText((el as HTMLElement).innerText, 200);
  const ariaValue = el.getAttribute('aria-valuetext') ?? el.getAttribute('aria-valuenow');
  return ariaValue ?? undefined;
}

export function textOf(el: Element): string {
  const tag = el.localName;
  if (tag === 'input') {
    const input = el as HTMLInputElement;
    return BUTTON_INPUT_TYPES.includes(input.type) ? cleanText(input.value || input.alt || input.type, 100) : '';
  }
  if (tag === 'select' || tag === 'textarea' || (el as HTMLElement).isContentEditable) return '';
  return visibleTextOf(el);
}

export function describeElement(el: Element): Description {
  const tag = el.localName;
  const description: Description = { tag, state: stateOf(el) };
  const role = el.getAttribute('role');
  if (role) description.role = role;
  if (tag === 'input') description.type = (el as HTMLInputElement).type || 'text';
  const name = el.getAttribute('name');
  if (name) description.name = cleanText(name, 60);
  const text = textOf(el);
  if (text) description.text = text;
  const label = labelOf(el);
  if (label && label !== text) description.label = label;
  const placeholder = cleanText(el.getAttribute('placeholder'), 80);
  if (placeholder) description.placeholder = placeholder;
  const value = valueOf(el);
  if (value !== undefined) description.value = value;
  if (tag === 'a') {
    const href = (el as HTMLAnchorElement).href;
    if (href && !href.startsWith('javascript:')) description.href = href;
  }
  if (tag === 'select') description.options = selectOptionsOf(el as HTMLSelectElement);
  if (el.getRootNode() instanceof ShadowRoot) description.inShadowRoot = true;
  return description;
}
