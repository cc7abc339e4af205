// Jinja templating for workflow blocks (see README.md).
export { renderTemplate, renderDeep, MissingTemplateVariablesError } from './render.ts';
export type { RenderOptions } from './render.ts';
export { isTemplate, referencedNames } from './references.ts';
export { buildTemplateContext, blockReference } from './context.ts';
export type { TemplateContextInput } from './context.ts';
export { TemplateError, TemplateLimitError, DEFAULT_LIMITS, compile } from './runtime.ts';
export type { TemplateLimits } from './runtime.ts';
export { toTemplateData, toText } from './values.ts';
export { CUSTOM_FILTERS } from './filters.ts';
export type { TemplateFilter } from './filters.ts';
