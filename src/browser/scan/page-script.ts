import type { InPageScanArgs } from './types.ts';
import * as blocking from './in-page/blocking.ts';
import * as classify from './in-page/classify.ts';
import * as collect from './in-page/collect.ts';
import * as describe from './in-page/describe.ts';
import * as text from './in-page/text.ts';

/**
 * Builds the scanner source that is evaluated in each frame. The in-page modules are written
 * as ordinary TypeScript for type checking, then their compiled functions are stringified and
 * concatenated. Exported non-function values (constant tables) are injected as JSON.
 *
 * `__name` is defined because tsx/esbuild (keepNames) wraps nested functions in `__name(...)`
 * calls, and that helper does not exist inside the page.
 */
function helperDeclarations(modules: Array<Record<string, unknown>>): string {
  const parts: string[] = ['const __name = (fn) => fn;'];
  for (const mod of modules) {
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value === 'function') parts.push(functionSource(name, value));
      else parts.push(`const ${name} = ${JSON.stringify(value)};`);
    }
  }
  return parts.join('\n');
}

/** Normalizes `function x(){}` and method/arrow forms into a declaration named `name`. */
function functionSource(name: string, fn: Function): string {
  const source = fn.toString();
  if (/^(async\s+)?function\b/.test(source)) return `const ${name} = ${source};`;
  if (/^(async\s*)?(\([^)]*\)|[\w$]+)\s*=>/.test(source)) return `const ${name} = ${source};`;
  throw new Error(`in-page helper ${name} must be a function declaration or arrow function`);
}

let cachedSource: string | undefined;

/** A string expression evaluating to the scan function; frames call it with InPageScanArgs. */
export function scannerSource(): string {
  cachedSource ??= `(() => {\n${helperDeclarations([text, classify, blocking, describe, collect])}\nreturn scanFrameDocument;\n})()`;
  return cachedSource;
}

/** The full expression to evaluate in a frame: runs the scan with the given arguments. */
export function scanExpression(args: InPageScanArgs): string {
  return `(${scannerSource()})(${JSON.stringify(args)})`;
}

export type FrameElementInfo = ReturnType<typeof blocking.frameElementInfo>;

let cachedFrameProbe: ((node: Node) => FrameElementInfo) | undefined;

/**
 * `blocking.frameElementInfo` with the helpers it needs, as a function to pass to
 * `elementHandle.evaluate()` for an <iframe> element.
 */
export function frameElementProbe(): (node: Node) => FrameElementInfo {
  cachedFrameProbe ??= new Function('node', `${helperDeclarations([classify, blocking])}\nreturn frameElementInfo(node);`) as (node: Node) => FrameElementInfo;
  return cachedFrameProbe;
}
