// What task-like blocks receive from a run's stored credentials: the placeholders in their payload
// and templates, the run's secrets for the agent's vault, and the credential's totp_identifier as
// the block's code source when neither the block nor the run names one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runWorkflow } from './runner.ts';
import type { TaskBlockRequest } from './task-block-port.ts';
import { fakeEnv, runInput } from '../../../test/support/workflow-env.ts';

const CREDS = { username: 'bob', password: '{{secret:creds_password}}' };
const SECRETS = [{ name: 'creds_password', description: 'the password', value: 'pw-123456' }];

describe('credential parameters in task-like blocks', () => {
  it('hands placeholders, secrets and the credential\'s TOTP identifier to the agent', async () => {
    const seen: TaskBlockRequest[] = [];
    const { env } = fakeEnv({ taskBlocks: async (req) => { seen.push(req); return { status: 'completed', extractedInformation: null, failureReason: null, errors: [] }; } });
    env.browser = async () => ({}) as never;
    const input = runInput({ title: 'T', workflow_definition: {
      parameters: [{ key: 'creds', parameter_type: 'workflow', workflow_parameter_type: 'credential_id' }],
      blocks: [
        { block_type: 'login', label: 'sign_in', url: 'https://acme.test/login', parameter_keys: ['creds'] },
        { block_type: 'navigation', label: 'own_source', navigation_goal: 'Type {{ creds.password }} for {{ creds.username }}', parameter_keys: ['creds'], totp_identifier: 'block@example.com' },
        { block_type: 'navigation', label: 'no_creds', navigation_goal: 'Look around' },
      ],
    } }, { creds: CREDS }, { secrets: SECRETS, credentialTotpIdentifiers: { creds: 'bob@example.com' } });
    const outcome = await runWorkflow(input, env);
    assert.equal(outcome.status, 'completed', outcome.failureReason ?? '');
    const [login, own, none] = seen;
    assert.deepEqual(login!.navigationPayload, { creds: CREDS });
    assert.deepEqual(login!.secrets, SECRETS);
    assert.equal(login!.totpIdentifier, 'bob@example.com', 'codes for the credential\'s identifier');
    assert.equal(own!.totpIdentifier, 'block@example.com', 'the block\'s own identifier wins');
    assert.equal(own!.navigationGoal, 'Type {{secret:creds_password}} for bob', 'templates see the placeholder, never the value');
    assert.equal(none!.totpIdentifier, null, 'a block not reading the credential gets no code source from it');
    assert.deepEqual(none!.secrets, SECRETS, 'every block can fill the run\'s secrets');
  });
});
