// Before an action runs, its target must still be the element the model saw: a model takes
// seconds to answer, and pages re-render meanwhile (typeahead lists, virtualised rows, a modal
// over the form). Elements are compared by what a person would recognise them by: frame, kind,
// role and name. A list that re-rendered gets the equivalent element (same identity, same place
// among its equals) instead of an error; anything else stops the batch for a new decision.
import type { PageScan, ScannedElement } from '../../browser/index.ts';

export type TargetCheck =
  | { ok: true; id: string; replaced?: boolean }
  | { ok: false; why: string };

export function identityOf(el: ScannedElement): string {
  const name = (el.text || el.label || el.placeholder || el.name || '').replace(/\s+/g, ' ').trim().slice(0, 80);
  return [el.frameId, el.tag, el.role ?? '', el.type ?? '', name].join('|');
}

/** Where the element `id` of the page the model saw is on the page as it is now. */
export function checkTarget(seen: PageScan, now: PageScan, id: string): TargetCheck {
  const was = seen.elements.find((el) => el.id === id);
  if (!was) return { ok: false, why: `element ${id} was not on the page you were shown` };
  const key = identityOf(was);
  const same = now.elements.find((el) => el.id === id);
  if (same && identityOf(same) === key) return { ok: true, id };
  const equals = now.elements.filter((el) => identityOf(el) === key);
  const seenEquals = seen.elements.filter((el) => identityOf(el) === key);
  if (equals.length === 1) return { ok: true, id: equals[0]!.id, replaced: true };
  if (equals.length > 1 && equals.length === seenEquals.length) return { ok: true, id: equals[seenEquals.indexOf(was)]!.id, replaced: true };
  if (same) return { ok: false, why: `element ${id} changed while you were deciding (it is now ${describe(same)})` };
  return { ok: false, why: `element ${id} (${describe(was)}) is no longer on the page` };
}

function describe(el: ScannedElement): string {
  const name = el.text || el.label || el.placeholder || el.name;
  return `${el.role ?? el.tag}${name ? ` "${name.slice(0, 40)}"` : ''}`;
}
