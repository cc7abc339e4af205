export * from './types.ts';
export { executeAction } from './execute.ts';
export { prepareForActions, waitForQuietDom } from './element.ts';
export { clickWithFallbacks, type ClickMethod } from './click.ts';
export { pickOptionIndex, type NativeOption } from './select-option.ts';
export { resolveUploadFile } from './files.ts';
export { normalizeKey, MAX_WAIT_SECONDS } from './simple.ts';
export { toIsoDate, toIsoTime, toNativeInputValue } from './dates.ts';
