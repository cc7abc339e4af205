// Writes openapi/openapi.json from the app's routes (the contract test checks it is current).
import { writeFileSync } from 'node:fs';
import { startStack } from '../test/support/stack.ts';

const stack = await startStack();
const doc = (await stack.api.app.inject({ method: 'GET', url: '/openapi.json' })).json();
writeFileSync(new URL('../openapi/openapi.json', import.meta.url), JSON.stringify(doc, null, 2) + '\n');
await stack.close();
console.log(`openapi/openapi.json: ${Object.keys(doc.paths).length} paths`);
