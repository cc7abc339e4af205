// Run tags: grouped (`env:prod`, a key with one current value) or standalone labels (`urgent`).
// `run_metadata` on a workflow run request becomes grouped tags. The list filters' term syntax:
// `label`, `key:*`, `key:value`; AND across distinct terms, OR among values of one key.
import { ValidationFailed, type ValidationIssue } from './errors.ts';

export const TAG_KEY_MAX = 100;
export const TAG_VALUE_MAX = 255;

export interface TagInput { key?: string | null; value: string }

/** Problems with one tag, located at `loc` (empty list = fine). */
export function tagIssues(tag: { key?: string | null; value?: string | null }, loc: (string | number)[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const key = tag.key ?? null;
  if (key !== null) {
    if (key.trim() === '' || key.length > TAG_KEY_MAX) issues.push({ loc: [...loc, 'key'], msg: `Tag key must be 1 to ${TAG_KEY_MAX} characters`, type: 'value_error' });
    // A colon would make `key:value` filter terms ambiguous.
    else if (key.includes(':') || key.includes(',')) issues.push({ loc: [...loc, 'key'], msg: 'Tag key must not contain ":" or ","', type: 'value_error' });
  }
  const value = tag.value;
  if (value !== undefined && value !== null && (value.trim() === '' || value.length > TAG_VALUE_MAX || value.includes(','))) {
    issues.push({ loc: [...loc, 'value'], msg: `Tag value must be 1 to ${TAG_VALUE_MAX} characters without ","`, type: 'value_error' });
  }
  return issues;
}

/** `run_metadata` → grouped tags; 422 naming the entry when a key or value cannot be a tag. */
export function tagsFromRunMetadata(metadata: Record<string, string> | null | undefined): TagInput[] {
  if (!metadata) return [];
  const issues: ValidationIssue[] = [];
  const tags = Object.entries(metadata).map(([key, value]) => {
    issues.push(...tagIssues({ key, value }, ['body', 'run_metadata', key]).map((i) => ({ ...i, loc: i.loc.slice(0, 3) })));
    return { key: key.trim(), value: value.trim() };
  });
  if (issues.length) throw new ValidationFailed(issues);
  return tags;
}

/** One filter group: runs must carry a current tag matching any of its alternatives. */
export type TagFilterGroup =
  | { kind: 'label'; value: string }
  | { kind: 'key'; key: string; values: string[] | '*' };

/** Parses `tags` query terms (repeated or comma-separated) into AND-ed groups. */
export function parseTagFilter(terms: string[] | null | undefined): TagFilterGroup[] {
  const parts = (terms ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  const labels = new Set<string>();
  const byKey = new Map<string, Set<string> | '*'>();
  for (const part of parts) {
    const colon = part.indexOf(':');
    if (colon < 0) { labels.add(part); continue; }
    const key = part.slice(0, colon).trim();
    const value = part.slice(colon + 1).trim();
    if (!key) { if (value) labels.add(value); continue; }
    if (value === '*' || value === '') { byKey.set(key, '*'); continue; }
    const existing = byKey.get(key);
    if (existing === '*') continue;
    byKey.set(key, (existing ?? new Set()).add(value));
  }
  return [
    ...[...labels].map((value) => ({ kind: 'label' as const, value })),
    ...[...byKey].map(([key, values]) => ({ kind: 'key' as const, key, values: values === '*' ? '*' as const : [...values] })),
  ];
}
