// Skyvern's OpenAPI document reduced to interface facts, kept in the repository
// (openapi/skyvern-contract.json; openapi/README.md says where it came from and how to refresh it).
import { readFileSync } from 'node:fs';

export const SKYVERN_CONTRACT_PATH = new URL('../../openapi/skyvern-contract.json', import.meta.url);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
let cached: any;

/** The parsed contract document; read once per process. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function skyvernContract(): any {
  cached ??= JSON.parse(readFileSync(SKYVERN_CONTRACT_PATH, 'utf8'));
  return cached;
}
