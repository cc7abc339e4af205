// How runs use what the credentials API stores, below the agent: which pushed code a run may
// claim (scope, age, expiry, once only), the polling source's time limit and messages, a
// workflow's credential parameters turned into placeholders plus vault secrets, and RFC 6238 codes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateId } from '../../src/domain/ids.ts';
import type { RunRow } from '../../src/db/repositories/runs.repo.ts';
import { SecretUnavailable } from '../../src/engine/agent/secrets.ts';
import { verificationCodeSource } from '../../src/jobs/totp-source.ts';
import { resolveWorkflowCredentials } from '../../src/jobs/workflow-credentials.ts';
import { authenticatorCode, authenticatorSeedProblem } from '../../src/services/credentials/authenticator.ts';
import { serve } from '../support/fixture-server.ts';
import { startStack, type TestStack } from '../support/stack.ts';

describe('credentials at run time', () => {
  let stack: TestStack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack.close(); });

  const insertCode = (over: Record<string, unknown>) => stack.api.core.repos.totpCodes.insert({
    totpCodeId: generateId('totp'), organizationId: stack.organizationId, totpIdentifier: 'claim@example.com', content: 'x', code: '000000', otpType: 'totp', ...over,
  });
  const fakeRun = (startedAt: Date): RunRow => ({ runId: generateId('wr'), organizationId: stack.organizationId, startedAt } as RunRow);
  const polling = { intervalMs: 40, timeoutMs: 300 };

  it('claims the newest fresh code meant for the run, each code once', async () => {
    const start = new Date(Date.now() - 60_000);
    const run = fakeRun(start);
    const who = { taskId: 'tsk_block_1', workflowRunId: run.runId, workflowId: 'w_1', workflowPermanentId: 'wpid_1' };
    const before = new Date(start.getTime() - 1000);
    await insertCode({ code: '100001', createdAt: before });                                // created before the run started
    await insertCode({ code: '100002', expiredAt: new Date(Date.now() - 1000) });           // expired
    await insertCode({ code: '100003', workflowRunId: 'wr_someone_else' });                 // another run's
    await insertCode({ code: '100004', taskId: 'tsk_other' });                              // another task's
    await insertCode({ code: '', content: 'unreadable' });                                  // raw, nothing to type
    await insertCode({ code: '100005', totpIdentifier: 'other@example.com' });              // another identifier
    await insertCode({ code: '200001', createdAt: new Date(Date.now() - 3000) });           // unscoped: ok
    await insertCode({ code: '200002', workflowRunId: run.runId, createdAt: new Date(Date.now() - 2000) }); // this run: ok
    await insertCode({ code: '200003', workflowId: 'wpid_1', taskId: 'tsk_block_1', createdAt: new Date(Date.now() - 1000) }); // this workflow + task: ok
    const source = verificationCodeSource(stack.api.core, run, who, { totpIdentifier: ' Claim@Example.com ' }, polling)!;
    const signal = new AbortController().signal;
    assert.deepEqual([await source(signal), await source(signal), await source(signal)], ['200003', '200002', '200001'], 'newest first, each once');
    await assert.rejects(source(signal), (err: unknown) => err instanceof SecretUnavailable && /no code pushed yet/.test(err.message));
    const rows = await stack.api.core.repos.totpCodes.list({ organizationId: stack.organizationId, limit: 50 });
    assert.deepEqual(rows.filter((r) => r.usedByRunId === run.runId).map((r) => r.code).sort(), ['200001', '200002', '200003']);
  });

  it('forgets codes older than their lifespan, even for a long-running run', async () => {
    const run = fakeRun(new Date(Date.now() - 60 * 60_000));
    await insertCode({ totpIdentifier: 'old@example.com', code: '300001', createdAt: new Date(Date.now() - 11 * 60_000) });
    const source = verificationCodeSource(stack.api.core, run, { taskId: run.runId, workflowRunId: null, workflowId: null, workflowPermanentId: null }, { totpIdentifier: 'old@example.com' }, polling)!;
    await assert.rejects(source(new AbortController().signal), SecretUnavailable);
  });

  it('asks the totp_url first, then pushed codes, every interval; names both sources when nothing comes', async () => {
    let calls = 0;
    const server = await serve({ 'POST /code': (_req, res) => { calls++; res.writeHead(503).end(); } });
    try {
      const run = fakeRun(new Date(Date.now() - 1000));
      const who = { taskId: run.runId, workflowRunId: null, workflowId: null, workflowPermanentId: null };
      // A longer window than the other tests: on a loaded machine one HTTP round trip can take most of 300 ms.
      const source = verificationCodeSource(stack.api.core, run, who, { totpUrl: `${server.baseUrl}/code`, totpIdentifier: 'both@example.com' }, { intervalMs: 40, timeoutMs: 3_000 })!;
      await assert.rejects(source(new AbortController().signal), (err: unknown) => err instanceof SecretUnavailable
        && /totp_url http:\/\/127\.0\.0\.1:\d+\/code: HTTP 503; totp_identifier "both@example\.com" \(push codes to POST \/v1\/credentials\/totp\): no code pushed yet/.test(err.message));
      assert.ok(calls >= 3, `polled ${calls} times`);
      await insertCode({ totpIdentifier: 'both@example.com', code: '400001' });
      assert.equal(await source(new AbortController().signal), '400001', 'a pushed code answers even while the URL fails');
      assert.equal(verificationCodeSource(stack.api.core, run, who, {}, polling), undefined, 'no source named, none built');
    } finally {
      await server.close();
    }
  });

  it('turns credential parameters into placeholders, and their secrets into vault entries', async () => {
    const { credentials } = stack.api.services;
    const org = stack.organizationId;
    const password = await credentials.create(org, { name: 'Acme', credential_type: 'password', credential: { username: 'ada', password: 'pw-Acme-1', totp: 'JBSWY3DPEHPK3PXP' } });
    const emailed = await credentials.create(org, { name: 'Mail 2FA', credential_type: 'password', credential: { username: 'bob', password: 'pw-Mail-2', totp_type: 'email', totp_identifier: 'Bob@Example.com' } });
    const card = await credentials.create(org, { name: 'Visa', credential_type: 'credit_card', credential: { card_number: '4111111111111111', card_cvv: '1234', card_exp_month: '01', card_exp_year: '2031', card_brand: 'visa', card_holder_name: 'Ada L' } });
    const secret = await credentials.create(org, { name: 'Token', credential_type: 'secret', credential: { secret_value: 'tok-999-abc', secret_label: 'api' } });
    const definition = { parameters: [
      { parameter_type: 'workflow', key: 'Login', workflow_parameter_type: 'credential_id', default_value: null },
      { parameter_type: 'credential', key: 'login', credential_id: emailed.credentialId },
      { parameter_type: 'credential', key: 'card', credential_id: card.credentialId },
      { parameter_type: 'workflow', key: 'token', workflow_parameter_type: 'credential_id', default_value: null },
      { parameter_type: 'workflow', key: 'unused', workflow_parameter_type: 'credential_id', default_value: null },
      { parameter_type: 'workflow', key: 'city', workflow_parameter_type: 'string', default_value: 'Oslo' },
    ], blocks: [] } as any;
    const setup = await resolveWorkflowCredentials(stack.api.core, org, definition, { Login: password.credentialId, token: secret.credentialId, unused: null, city: 'Oslo' });
    assert.ok(setup.ok);
    assert.deepEqual(setup.parameters, {
      Login: { username: 'ada', password: '{{secret:login_password}}', totp: '{{secret:login_totp}}' },
      login: { username: 'bob', password: '{{secret:login_2_password}}' },
      card: { card_number: '{{secret:card_card_number}}', card_cvv: '{{secret:card_card_cvv}}', card_exp_month: '01', card_exp_year: '2031', card_brand: 'visa', card_holder_name: 'Ada L', billing_address: null, billing_email: null, billing_phone: null },
      token: { secret_value: '{{secret:token_secret_value}}', secret_label: 'api' },
    });
    assert.deepEqual(setup.totpIdentifiers, { login: 'bob@example.com' }, 'a credential whose codes are emailed polls its identifier');
    const byName = new Map(setup.secrets.map((s) => [s.name, s]));
    assert.deepEqual([...byName.keys()].sort(), ['card_card_cvv', 'card_card_number', 'login_2_password', 'login_password', 'login_totp', 'token_secret_value']);
    assert.equal(byName.get('login_password')!.value, 'pw-Acme-1');
    assert.equal(byName.get('card_card_number')!.value, '4111111111111111');
    assert.match(byName.get('login_password')!.description, /password of the stored credential "Acme" \(parameter Login\)/);
    assert.equal(await byName.get('login_totp')!.resolve!(new AbortController().signal), authenticatorCode('JBSWY3DPEHPK3PXP'));
    assert.ok(!JSON.stringify(setup.parameters).includes('pw-Acme-1'));
  });

  it('makes RFC 6238 codes and rejects seeds that cannot', () => {
    // RFC 6238 appendix B, SHA-1 seed "12345678901234567890" at T=59 s: 94287082 (8 digits) → 287082 with 6.
    assert.equal(authenticatorCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000), '287082');
    assert.equal(authenticatorCode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq', 59_000), '287082', 'spaces and lower case are fine');
    assert.equal(authenticatorCode('otpauth://totp/Acme:ada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Acme', 59_000), '287082');
    assert.equal(authenticatorSeedProblem('JBSWY3DPEHPK3PXP'), undefined);
    assert.ok(authenticatorSeedProblem('not base32!'));
    assert.ok(authenticatorSeedProblem('otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1'));
  });
});
