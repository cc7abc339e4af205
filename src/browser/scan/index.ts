export * from './types.ts';
export { scanPage, type ScanOptions } from './scan-page.ts';
export { serializePage, elementLine, type SerializeOptions } from './serialize.ts';
export { locateElement, locateFrame, normalizeElementId } from './locate.ts';
