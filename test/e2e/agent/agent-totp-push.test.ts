// Task runs with `totp_identifier`: the run waits at the verification step until a code is pushed
// to POST /v1/credentials/totp, types it through a placeholder (the code never reaches the model,
// a step row or an artifact), claims each code once, ignores stale and foreign codes, opens magic
// links, and ends with a reason naming the source when no code comes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { serveTwoFactorSite } from '../../fixtures/sites/two-factor-site.ts';
import { runRecordsText } from '../../support/run-records.ts';
import { startStack, type TestStack } from '../../support/stack.ts';
import { act, click, simpleBrain, startScriptedAgent, type, type AgentCall, type ScriptedAgent } from './support/scripted-agent.ts';

const CODE = '482913';
const MAGIC_TOKEN = 'mt7Qx2Lk9';
const PASSWORD = 'lovelace-1843';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

const totpPlaceholder = (call: AgentCall) => {
  const found = /(\{\{secret:totp_code\}\})/.exec(call.sections.SECRETS ?? '');
  assert.ok(found, `the prompt offers the totp_code placeholder: ${call.sections.SECRETS}`);
  return found[1]!;
};

describe('task runs use codes pushed for their totp_identifier', () => {
  let stack: TestStack;
  let agent: ScriptedAgent;
  let site: Awaited<ReturnType<typeof serveTwoFactorSite>>;
  before(async () => {
    [agent, site] = await Promise.all([startScriptedAgent(), serveTwoFactorSite({ username: 'ada', password: PASSWORD, verify: (c) => c === CODE, magicToken: MAGIC_TOKEN })]);
    // Polls every 150 ms; gives up after one "minute" of 4 s (the code-timeout test waits that long).
    stack = await startStack({ worker: true, env: { ...agent.env, TOTP_POLL_INTERVAL_MS: '150', VERIFICATION_CODE_POLLING_TIMEOUT_MINS: '1', SKYPORT_MINUTE_MS: '4000' } });
  });
  after(async () => { await stack?.close(); await agent?.close(); await site?.close(); });

  const push = async (body: Record<string, unknown>) => {
    const res = await stack.request('POST', '/v1/credentials/totp', body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const submit = async (body: Record<string, unknown>) => {
    const created = await stack.request('POST', '/v1/run/tasks', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return created.body.run_id as string;
  };
  /** Signs in, then (when the site asks) types the code placeholder; `asked` fires at that moment. */
  const loginBrain = (asked: () => void) => simpleBrain(/Welcome, ada!/, (call) => {
    const { page } = call;
    if (page.has('Verification code')) {
      asked();
      return act('The site asks for the code we were sent', type(page.find('Verification code'), totpPlaceholder(call)), click(page.find('Verify', 'button')));
    }
    return act('Sign in', type(page.find('Username'), 'ada'), type(page.find('Password'), PASSWORD), click(page.find('Sign in', 'button')));
  });

  it('waits for the pushed code, types it through a placeholder, and claims it once', async () => {
    const asked = deferred();
    agent.on('[push-code]', loginBrain(asked.resolve));
    // Pushed before the run started: stale, never used.
    const stale = await push({ totp_identifier: 'ada@example.com', content: '111111' });
    const runId = await submit({ prompt: `Sign in as ada with password ${PASSWORD}, then finish the two-step verification. [push-code]`, url: `${site.baseUrl}/login`, totp_identifier: 'Ada@Example.com' });
    await asked.promise;
    await sleep(500); // the run is polling: nothing for it yet
    const foreign = await push({ totp_identifier: 'someone.else@example.com', content: '999999' });
    const pushed = await push({ totp_identifier: ' ADA@example.com', source: 'email', content: `Hi Ada,\n\nYour Acme verification code is ${CODE}.\nIt expires in 10 minutes.` });
    assert.equal(pushed.code, CODE);

    const run = await stack.waitForTerminal(runId, 90_000);
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.deepEqual(site.received.logins, [{ username: 'ada', password: PASSWORD }]);
    assert.deepEqual(site.received.codes, [CODE], 'the site received the pushed code, and only it');

    const rows = await stack.api.core.repos.totpCodes.list({ organizationId: stack.organizationId, limit: 50 });
    const byId = new Map(rows.map((r) => [r.totpCodeId, r]));
    assert.equal(byId.get(pushed.totp_code_id)?.usedByRunId, runId, 'the code is marked used by this run');
    assert.equal(byId.get(stale.totp_code_id)?.usedAt, null, 'a code pushed before the run started is not used');
    assert.equal(byId.get(foreign.totp_code_id)?.usedAt, null, 'a code for another identifier is not used');

    const calls = agent.callsFor('[push-code]');
    assert.ok(calls.length >= 3);
    assert.ok(calls.every((c) => !JSON.stringify(c.req.messages).includes(CODE)), 'no LLM request contains the code');
    assert.match(calls.find((c) => c.kind === 'check' && c.page.has('Welcome'))?.page.text ?? calls.at(-1)!.page.text, /Welcome, ada!/);
    const records = await runRecordsText(stack, runId);
    assert.ok(records.artifactCount > 0);
    assert.ok(!records.steps.includes(CODE), 'no step row contains the code');
    assert.ok(!records.artifacts.includes(CODE), 'no artifact contains the code');
    assert.match(records.steps, /\{\{secret:totp_code\}\}/, 'step rows show the placeholder');
  });

  it('opens a pushed magic link instead of typing it', async () => {
    const asked = deferred();
    agent.on('[push-magic]', simpleBrain(/Welcome, ada!/, (call) => {
      asked.resolve();
      return act('The site emailed a sign-in link: open it', { action_type: 'goto_url', url: totpPlaceholder(call) });
    }));
    const runId = await submit({ prompt: 'Sign in with the emailed link. [push-magic]', url: `${site.baseUrl}/magic-wait`, totp_identifier: 'magic@example.com' });
    await asked.promise;
    const link = `${site.baseUrl}/magic?token=${MAGIC_TOKEN}`;
    const pushed = await push({ totp_identifier: 'magic@example.com', content: `<p>Hello!</p><p><a href="${link}">Sign in to Acme</a></p><p><a href="${site.baseUrl}/unsubscribe">Unsubscribe</a></p>` });
    assert.equal(pushed.otp_type, 'magic_link');
    const run = await stack.waitForTerminal(runId, 90_000);
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.deepEqual(site.received.magicTokens, [MAGIC_TOKEN]);
    assert.ok(agent.callsFor('[push-magic]').every((c) => !JSON.stringify(c.req.messages).includes(MAGIC_TOKEN)), 'the link never reaches the model');
  });

  it('ends the run with a reason naming the identifier when no code arrives in time', async () => {
    agent.on('[push-none]', loginBrain(() => {}));
    const runId = await submit({ prompt: `Sign in as ada with password ${PASSWORD}, then finish the two-step verification. [push-none]`, url: `${site.baseUrl}/login`, totp_identifier: 'nobody@example.com' });
    const run = await stack.waitForTerminal(runId, 90_000);
    assert.equal(run.status, 'terminated');
    assert.match(run.failure_reason, /no verification code arrived within 4 s \(totp_identifier "nobody@example\.com" \(push codes to POST \/v1\/credentials\/totp\): no code pushed yet\)/);
  });
});
