// Stored credentials in workflow runs: a credential created through the API, named by a
// `credential_id` parameter and read by a `login` block, signs in on a site with a second step
// (an authenticator code made from the credential's seed). The site receives the real values;
// the model, step rows and artifacts only ever see placeholders. Also: pushed codes scoped to the
// workflow run, and setup failures for missing credentials and unreachable vaults.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Secret, TOTP } from 'otpauth';
import { serveTwoFactorSite } from '../../fixtures/sites/two-factor-site.ts';
import { runRecordsText } from '../../support/run-records.ts';
import { startStack, type TestStack } from '../../support/stack.ts';
import { createWorkflow } from '../../support/workflows.ts';
import { act, click, simpleBrain, type, type AgentCall } from '../agent/support/scripted-agent.ts';
import { startWorkflowLlm, type WorkflowLlm } from './support/scripted-workflow-llm.ts';

const PASSWORD = 'Wonder-1843!land';
const SEED = 'KRSXG5CTMVRXEZLUKN2XAZLSONSWG4TF';
const PUSHED_CODE = '605511';
const authenticator = new TOTP({ secret: Secret.fromBase32(SEED), digits: 6, period: 30 });
/** The codes the site accepts: the seed's (±1 period) or the one the push test sends. */
const acceptable = (code: string) => code === PUSHED_CODE || authenticator.validate({ token: code, window: 1 }) !== null;

const payloadOf = (call: AgentCall) => JSON.parse(/Information to use \(JSON\): (.*)/.exec(call.prompt)![1]!);

describe('stored credentials in workflow runs', () => {
  let stack: TestStack;
  let model: WorkflowLlm;
  let site: Awaited<ReturnType<typeof serveTwoFactorSite>>;
  before(async () => {
    [model, site] = await Promise.all([startWorkflowLlm(() => ({ llm_response: 'unused' })), serveTwoFactorSite({ username: 'ada', password: PASSWORD, verify: acceptable })]);
    stack = await startStack({ worker: true, env: { ...model.env, TOTP_POLL_INTERVAL_MS: '150' } });
  });
  after(async () => { await stack?.close(); await model?.close(); await site?.close(); });

  const runWorkflow = async (wpid: string, parameters: Record<string, unknown> = {}) => {
    const res = await stack.request('POST', '/v1/run/agents', { agent_id: wpid, parameters });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.run_id as string;
  };

  it('a login block signs in with a credential_id parameter: password and authenticator code only at typing time', async () => {
    const created = await stack.request('POST', '/v1/credentials', {
      name: 'Acme account', credential_type: 'password', credential: { username: 'ada', password: PASSWORD, totp: SEED, totp_type: 'authenticator' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const seenPayloads: unknown[] = [];
    model.on('Log in using the provided credentials', simpleBrain(/Welcome, ada!/, (call) => {
      const creds = payloadOf(call).acme_login;
      seenPayloads.push(creds);
      const { page } = call;
      if (page.has('Verification code')) return act('Enter the authenticator code', type(page.find('Verification code'), creds.totp), click(page.find('Verify', 'button')));
      return act('Sign in', type(page.find('Username'), creds.username), type(page.find('Password'), creds.password), click(page.find('Sign in', 'button')));
    }));
    const wpid = await createWorkflow(stack, 'credential login', { workflow_definition: {
      parameters: [{ parameter_type: 'workflow', key: 'acme_login', workflow_parameter_type: 'credential_id' }],
      blocks: [{ block_type: 'login', label: 'sign_in', url: `${site.baseUrl}/login`, parameter_keys: ['acme_login'] }],
    } });
    const runId = await runWorkflow(wpid, { acme_login: created.body.credential_id });
    const run = await stack.waitForTerminal(runId, 120_000);
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(run.output.sign_in_output.status, 'completed');

    // The site got the real username, password and a valid code from the seed.
    assert.deepEqual(site.received.logins.at(-1), { username: 'ada', password: PASSWORD });
    const code = site.received.codes.at(-1)!;
    assert.match(code, /^\d{6}$/);
    assert.ok(authenticator.validate({ token: code, window: 1 }) !== null, 'the typed code is the seed\'s current code');

    // The model saw placeholders only.
    assert.deepEqual(seenPayloads[0], { username: 'ada', password: '{{secret:acme_login_password}}', totp: '{{secret:acme_login_totp}}' });
    const requests = JSON.stringify(model.llm.calls.map((c) => c.messages));
    assert.ok(requests.includes('{{secret:acme_login_password}}'));
    for (const secret of [PASSWORD, SEED, code]) assert.ok(!requests.includes(secret), `an LLM request contains ${secret}`);

    const records = await runRecordsText(stack, runId);
    assert.ok(records.artifactCount > 0);
    for (const secret of [PASSWORD, SEED, code]) {
      assert.ok(!records.steps.includes(secret), `a step row contains ${secret}`);
      assert.ok(!records.artifacts.includes(secret), `an artifact contains ${secret}`);
    }
    const visible = JSON.stringify([run, (await stack.request('GET', `/v1/runs/${runId}/timeline`)).body]);
    for (const secret of [PASSWORD, SEED, code]) assert.ok(!visible.includes(secret), `the run or its timeline shows ${secret}`);
  });

  it('a block with its own totp_identifier uses a code pushed for this workflow run', async () => {
    let asked = false;
    model.on('[wf-push]', simpleBrain(/Welcome, ada!/, (call) => {
      const { page } = call;
      if (page.has('Verification code')) {
        asked = true;
        return act('Enter the code', type(page.find('Verification code'), '{{secret:totp_code}}'), click(page.find('Verify', 'button')));
      }
      return act('Sign in', type(page.find('Username'), 'ada'), type(page.find('Password'), PASSWORD), click(page.find('Sign in', 'button')));
    }));
    const wpid = await createWorkflow(stack, 'pushed code', { workflow_definition: {
      parameters: [],
      blocks: [{ block_type: 'navigation', label: 'sign_in', url: `${site.baseUrl}/login`, totp_identifier: 'wf-user@example.com',
        navigation_goal: `Sign in as ada with password ${PASSWORD} and finish the two-step verification. [wf-push]` }],
    } });
    const runId = await runWorkflow(wpid);
    while (!asked) await sleep(50);
    await sleep(300);
    const pushed = await stack.request('POST', '/v1/credentials/totp', { totp_identifier: 'wf-user@example.com', workflow_run_id: runId, content: PUSHED_CODE });
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    const run = await stack.waitForTerminal(runId, 120_000);
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(site.received.codes.at(-1), PUSHED_CODE);
    const [row] = await stack.api.core.repos.totpCodes.list({ organizationId: stack.organizationId, workflowRunId: runId, limit: 1 });
    assert.equal(row?.usedByRunId, runId);
  });

  it('fails at setup when the credential does not exist (or was deleted)', async () => {
    const wpid = await createWorkflow(stack, 'missing credential', { workflow_definition: {
      parameters: [{ parameter_type: 'workflow', key: 'acme_login', workflow_parameter_type: 'credential_id' }],
      blocks: [{ block_type: 'login', label: 'sign_in', url: `${site.baseUrl}/login`, parameter_keys: ['acme_login'] }],
    } });
    const missing = await stack.waitForTerminal(await runWorkflow(wpid, { acme_login: 'cred_404' }), 60_000);
    assert.equal(missing.status, 'failed');
    assert.equal(missing.failure_reason, "Setup workflow failed. failure reason: Credential not found. credential_id=cred_404 (parameter 'acme_login')");

    const doomed = await stack.request('POST', '/v1/credentials', { name: 'gone', credential_type: 'secret', credential: { secret_value: 'x-secret-x' } });
    assert.equal((await stack.request('POST', `/v1/credentials/${doomed.body.credential_id}/delete`)).status, 204);
    const viaCredentialParam = await createWorkflow(stack, 'deleted credential', { workflow_definition: {
      parameters: [{ parameter_type: 'credential', key: 'api_key', credential_id: doomed.body.credential_id }],
      blocks: [{ block_type: 'wait', label: 'pause', wait_sec: 0 }],
    } });
    const deleted = await stack.waitForTerminal(await runWorkflow(viaCredentialParam), 60_000);
    assert.equal(deleted.status, 'failed');
    assert.match(deleted.failure_reason, new RegExp(`^Setup workflow failed\\. failure reason: Credential not found\\. credential_id=${doomed.body.credential_id}`));
    assert.equal(deleted.output, null, 'no block ran');
  });

  it('fails at setup, naming the vault, when a parameter reads Bitwarden, 1Password or Azure Key Vault', async () => {
    const wpid = await createWorkflow(stack, 'bitwarden', { workflow_definition: {
      parameters: [{ parameter_type: 'bitwarden_login_credential', key: 'bw', bitwarden_client_id_aws_secret_key: 'A', bitwarden_client_secret_aws_secret_key: 'B', bitwarden_master_password_aws_secret_key: 'C' }],
      blocks: [{ block_type: 'login', label: 'sign_in', url: `${site.baseUrl}/login`, parameter_keys: ['bw'] }],
    } });
    const run = await stack.waitForTerminal(await runWorkflow(wpid), 60_000);
    assert.equal(run.status, 'failed');
    assert.match(run.failure_reason, /^Setup workflow failed\. failure reason: parameter 'bw' \(bitwarden_login_credential\) reads from Bitwarden, which this server cannot reach\. Store the secret with POST \/v1\/credentials/);
  });
});
