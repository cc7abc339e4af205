import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startStack, type TestStack } from '../support/stack.ts';
import { diffOperations } from './openapi-diff.ts';
import { skyvernContract } from '../support/skyvern-contract.ts';

const COMMITTED = new URL('../../openapi/openapi.json', import.meta.url);

// Routes that are ours alone (not in Skyvern's document) and why.
const OUR_ADDITIONS = new Set<string>([
  'GET /v1/runs/{run_id}/webhook_deliveries', // delivery attempts made visible
]);

describe('OpenAPI contract', () => {
  let stack: TestStack;
  let ours: any;
  before(async () => {
    stack = await startStack();
    ours = (await stack.api.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  after(async () => { await stack.close(); });

  it('serves Swagger UI at /docs', async () => {
    const res = await stack.api.app.inject({ method: 'GET', url: '/docs/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /swagger/i);
  });

  it('never narrows an operation of the reference document', () => {
    const theirs = skyvernContract();
    const { compared, missingInReference, problems } = diffOperations(ours, theirs);
    assert.ok(compared.length >= 7, `compared only ${compared.length} operations`);
    const unexpected = missingInReference.filter((op) => !OUR_ADDITIONS.has(op));
    assert.deepEqual(unexpected, [], 'operations not in the reference (add them to OUR_ADDITIONS with a reason)');
    assert.deepEqual(problems, []);
  });

  it('reports a narrowing when one is introduced (the diff itself works)', () => {
    const theirs = skyvernContract();
    const narrowed = structuredClone(ours);
    delete narrowed.paths['/v1/run/tasks'].post.requestBody.content['application/json'].schema.properties.url;
    narrowed.paths['/v1/run/tasks'].post.requestBody.content['application/json'].schema.properties.engine.enum.pop();
    const { problems } = diffOperations(narrowed, theirs);
    const text = problems.map((p) => p.problem).join('\n');
    assert.match(text, /request field url not accepted/);
    assert.match(text, /request field engine lacks enum value/);
  });

  it('has the committed document in openapi/ up to date (npm run openapi)', () => {
    const committed = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    assert.deepEqual(committed, ours);
  });
});
