// Validates our responses against the component schemas of Skyvern's own OpenAPI document:
// the SDKs' strict models are generated from it, so a response that fails here would make the
// user's SDK call raise even on a 200.
import { Ajv2020 } from 'ajv/dist/2020.js';
import assert from 'node:assert/strict';
import { skyvernContract } from './skyvern-contract.ts';

let ajv: Ajv2020 | undefined;

function instance(): Ajv2020 {
  if (!ajv) {
    const doc = skyvernContract();
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ $id: 'skyvern', components: doc.components }, 'skyvern');
  }
  return ajv;
}

/** Fails with the validator's findings when `value` does not fit the named reference component. */
export function assertMatchesReference(component: string, value: unknown): void {
  const validate = instance().compile({ $ref: `skyvern#/components/schemas/${component}` });
  const ok = validate(value);
  assert.ok(ok, `${component} mismatch: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`);
}
