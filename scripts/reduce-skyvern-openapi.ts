// Reduces Skyvern's public OpenAPI document to the interface facts the contract tests need
// (paths, methods, parameters, request/response schemas, enums, defaults, SDK method names) and
// writes it to openapi/skyvern-contract.json. Prose is dropped: descriptions, summaries, titles,
// examples and code samples. See openapi/README.md for when and how to run it.
//
//   npx tsx scripts/reduce-skyvern-openapi.ts <skyvern-openapi.json> <skyvern-commit-sha>
import { readFileSync, writeFileSync } from 'node:fs';

const PROSE_KEYS = new Set(['description', 'summary', 'title', 'example', 'examples', 'x-fern-examples']);
// Objects whose keys are names chosen by the API (a field called `description`, a status code, a
// media type), not OpenAPI keywords: their keys are kept whatever they are called.
const NAME_MAPS = new Set([
  'properties', 'patternProperties', '$defs', 'definitions', 'schemas', 'paths', 'responses',
  'content', 'headers', 'mapping', 'securitySchemes', 'webhooks', 'callbacks',
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function reduce(node: Json, isNameMap = false): Json {
  if (Array.isArray(node)) return node.map((item) => reduce(item));
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (!isNameMap && PROSE_KEYS.has(key)) continue;
    out[key] = reduce(value, !isNameMap && NAME_MAPS.has(key));
  }
  return out;
}

function main(): void {
  const [source, commit] = process.argv.slice(2);
  if (!source || !/^[0-9a-f]{40}$/.test(commit ?? '')) {
    console.error('usage: npx tsx scripts/reduce-skyvern-openapi.ts <skyvern-openapi.json> <40-hex skyvern commit>');
    process.exit(2);
  }
  const doc = JSON.parse(readFileSync(source, 'utf8')) as { [key: string]: Json };
  const reduced = reduce(doc) as { [key: string]: Json };
  reduced.info = {
    version: (doc.info as { version?: string } | undefined)?.version ?? 'unknown',
    'x-source': { repository: 'Skyvern-AI/skyvern', path: 'docs/api-reference/openapi.json', commit },
  };
  const target = new URL('../openapi/skyvern-contract.json', import.meta.url);
  writeFileSync(target, `${JSON.stringify(reduced, null, 1)}\n`);
  console.log(`wrote ${target.pathname}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
