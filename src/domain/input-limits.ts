// Nesting limits for user input, checked without recursion (deep input must not overflow the stack
// of the code that checks it).
/** Deeper request bodies answer 422: nothing Skyvern takes is nested anywhere near this. */
export const MAX_JSON_DEPTH = 100;
/** True when `text` (JSON) opens more than `max` nested arrays/objects; a scan, no recursion. */
export function jsonTextTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) { if (++depth > max) return true; }
    else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

/** True when a parsed value (JSON or YAML) nests more than `max` levels; iterative. */
export function valueTooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    if (seen.has(v)) continue; // YAML aliases share nodes
    seen.add(v);
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
