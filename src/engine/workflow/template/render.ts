// Rendering workflow text fields (URLs, goals, prompts, HTTP bodies…) with Jinja.
import { compile, DEFAULT_LIMITS, run, TemplateError, type TemplateLimits } from './runtime.ts';
import { isTemplate, referencedNames } from './references.ts';
import { toTemplateData } from './values.ts';

export type RenderOptions = {
  /**
   * Skyvern's WORKFLOW_TEMPLATING_STRICTNESS. `lax` (default): unknown variables render as empty
   * text. `strict`: a template reading a variable the context lacks fails with
   * `MissingTemplateVariablesError` (checked on root names before rendering; a missing
   * attribute of a present variable still renders empty).
   */
  strictness?: 'lax' | 'strict';
  limits?: Partial<TemplateLimits>;
};

export class MissingTemplateVariablesError extends TemplateError {
  constructor(readonly names: string[]) {
    super(`Template references undefined variables: ${names.join(', ')}`);
    this.name = 'MissingTemplateVariablesError';
  }
}

/** Renders one template string. Strings without `{{`/`{%` are returned untouched. */
export function renderTemplate(template: string, context: Record<string, unknown>, options: RenderOptions = {}): string {
  if (!isTemplate(template)) return template;
  return renderWithData(template, toTemplateData(context) as Record<string, unknown>, options);
}

/**
 * Renders every string inside `value` (objects and arrays walked recursively; keys are kept as
 * they are; non-string leaves untouched). Returns a new value; the input is not modified.
 */
export function renderDeep<T>(value: T, context: Record<string, unknown>, options: RenderOptions = {}): T {
  // Convert the context once, not once per string.
  let data: Record<string, unknown> | undefined;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      if (!isTemplate(node)) return node;
      data ??= toTemplateData(context) as Record<string, unknown>;
      return renderWithData(node, data, options);
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    }
    return node;
  };
  return walk(value) as T;
}

function renderWithData(template: string, data: Record<string, unknown>, options: RenderOptions): string {
  const program = compile(template);
  if (options.strictness === 'strict') {
    const missing = referencedNames(template).filter((name) => !Object.hasOwn(data, name));
    if (missing.length > 0) throw new MissingTemplateVariablesError(missing);
  }
  return run(program, data, { ...DEFAULT_LIMITS, ...options.limits });
}
