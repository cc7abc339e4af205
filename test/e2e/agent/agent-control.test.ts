// How runs end when things go wrong (loops, terminate + error codes, max_steps, CAPTCHAs), tolerant
// JSON through the real provider path, secrets kept out of prompts, and skyvern-2.0's planner.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { serveFixtures, type FixtureServer } from '../../fixtures/sites/server.ts';
import { html, serve } from '../../support/fixture-server.ts';
import { startStack, type TestStack } from '../../support/stack.ts';
import { ScriptedReply } from '../../fixtures/llm/scripted-openai-server.ts';
import { act, click, complete, simpleBrain, startScriptedAgent, type, verdict, type ScriptedAgent } from './support/scripted-agent.ts';

const OTP = '246810';
const OTP_PAGE = `<h1>Two-step verification</h1><p>Enter the code we sent you.</p>
<label>Verification code <input id="code"></label><button onclick="document.getElementById('r').textContent = document.getElementById('code').value === '${OTP}' ? 'Verified!' : 'Wrong code.'">Verify</button><p id="r"></p>`;

describe('agent: failures, repair, secrets and skyvern-2.0', { concurrency: 4 }, () => {
  let stack: TestStack;
  let agent: ScriptedAgent;
  let site: FixtureServer;
  let otpSite: Awaited<ReturnType<typeof serve>>;
  let totpCalls = 0;
  before(async () => {
    [agent, site, otpSite] = await Promise.all([startScriptedAgent(), serveFixtures(), serve({
      'GET /otp': html(OTP_PAGE, 'Verify'),
      // The first poll has no code yet, as when the email has not arrived.
      'POST /totp': (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(++totpCalls === 1 ? {} : { verification_code: OTP })); },
    })]);
    stack = await startStack({ worker: true, env: { ...agent.env, TOTP_POLL_INTERVAL_MS: '200' } });
  });
  after(async () => { await stack?.close(); await agent?.close(); await site?.close(); await otpSite?.close(); });

  async function runTask(body: Record<string, unknown>) {
    const created = await stack.request('POST', '/v1/run/tasks', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return stack.waitForTerminal(created.body.run_id, 90_000);
  }

  it('ends a run that repeats the same action on an unchanged page, after warning the model', async () => {
    agent.on('[loop-test]', simpleBrain(/never/, ({ page }) => act('Set the quantity', type(page.find('Quantity of Blue Widget'), '1'))));
    const run = await runTask({ prompt: 'Make the cart total 100 dollars. [loop-test]', url: `${site.baseUrl}/cart.html` });
    assert.equal(run.status, 'failed');
    assert.match(run.failure_reason, /stuck in a loop: it chose the same action \(input_text \[e\d+\] number input "Quantity of Blue Widget" = "1"\) 3 times on an unchanged page/);
    assert.equal(run.step_count, 3);
    const third = agent.callsFor('[loop-test]').filter((c) => c.kind === 'action')[2]!;
    assert.match(third.sections.NOTES!, /more than once on this same, unchanged page/);
  });

  it('terminates with the user-defined error codes the model named (unknown codes dropped)', async () => {
    agent.on('[terminate-test]', simpleBrain(/Welcome/, ({ page }) => {
      if (page.has('Invalid username or password.')) {
        return act('Rejected', { action_type: 'terminate', reason: 'The site says "Invalid username or password."',
          errors: [{ error_code: 'INVALID_CREDENTIALS', reasoning: 'login rejected', confidence_float: 0.95 }, { error_code: 'MADE_UP', reasoning: 'x' }] });
      }
      return act('Sign in', type(page.find('Username'), 'alice'), type(page.find('Password'), 'not-the-password'), click(page.find('Sign in', 'button')));
    }));
    const run = await runTask({
      prompt: 'Sign in as alice with password not-the-password. [terminate-test]', url: `${site.baseUrl}/login.html`,
      error_code_mapping: { INVALID_CREDENTIALS: 'the site rejects the username or password', ACCOUNT_LOCKED: 'the account is locked' },
    });
    assert.equal(run.status, 'terminated');
    assert.equal(run.failure_reason, 'The site says "Invalid username or password."');
    assert.deepEqual(run.errors, [{ error_code: 'INVALID_CREDENTIALS', reasoning: 'login rejected', confidence_float: 0.95, error_type: 'user_defined' }]);
    const prompt = agent.callsFor('[terminate-test]').find((c) => c.kind === 'action')!.sections['ERROR CODES']!;
    assert.match(prompt, /- ACCOUNT_LOCKED: the account is locked/);
  });

  it('fails with Skyvern\'s max-steps reason when max_steps runs out', async () => {
    agent.on('[maxsteps-test]', (call) => call.kind === 'check'
      ? verdict(false, 'SKU-999 is not on this page')
      : act('SKU-999 is not on this page; try the next one', click(call.page.find('Next page'))));
    const run = await runTask({ prompt: 'Find product SKU-999. [maxsteps-test]', url: `${site.baseUrl}/products.html?page=1`, max_steps: 2 });
    assert.equal(run.status, 'failed');
    assert.match(run.failure_reason, /^Reached the maximum steps \(2\)\. Possible failure reasons: .*SKU-999 is not on this page/);
    assert.equal(run.step_count, 2);
    assert.deepEqual(run.errors.map((e: any) => e.error_code), ['REACH_MAX_STEPS']);
  });

  it('cancels promptly while the model is thinking', async () => {
    agent.on('[cancel-test]', () => new ScriptedReply(act('slow'), { delayMs: 30_000 }));
    const created = await stack.request('POST', '/v1/run/tasks', { prompt: 'Think for a long time. [cancel-test]', url: `${site.baseUrl}/login.html` });
    const id = created.body.run_id;
    const deadline = Date.now() + 30_000;
    while (agent.callsFor('[cancel-test]').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await stack.request('POST', `/v1/runs/${id}/cancel`);
    const run = await stack.waitForTerminal(id, 5_000);
    assert.equal(run.status, 'canceled');
    // The worker really let go: the job leaves the queue well before the model would have answered.
    while (Date.now() - t0 < 5_000 && (await stack.api.core.runQueue.state(id))) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await stack.api.core.runQueue.state(id), undefined);
    const steps = await stack.api.core.repos.steps.listForRun(id);
    assert.ok(steps.every((s) => s.status !== 'running'), 'no step row is left running');
  });

  it('stops with a clear reason on solve_captcha', async () => {
    agent.on('[captcha-test]', () => act('Blocked', { action_type: 'SOLVE_CAPTCHA', captcha_type: 'RECAPTCHA' }));
    const run = await runTask({ prompt: 'Get past the captcha. [captcha-test]', url: `${site.baseUrl}/login.html` });
    assert.equal(run.status, 'failed');
    assert.match(run.failure_reason, /shows a CAPTCHA \(RECAPTCHA\).*does not solve CAPTCHAs/);
  });

  it('repairs fenced, trailing-comma JSON and re-asks once after prose (real provider path)', async () => {
    agent.on('[repair-test]', (call) => {
      if (call.kind === 'check') return '```json\n{"thoughts": "greeted", "user_goal_achieved": true,}\n```';
      // Once greeted, a bare complete (no quote): the checker's fenced verdict must be repaired too.
      if (call.sections['PREVIOUS STEPS']) return '```json\n{"thoughts": "done", "actions": [{"action_type": "COMPLETE",},],}\n```';
      const actions = [
        `{"action_type": "INPUT_TEXT", "id": "[${call.page.find('Guest name')}]", "text": "Ada",}`,
        `{"action_type": "click", "element_id": "${call.page.find('Greet me')}",}`,
      ];
      if (!call.reask) return 'Sure! I will type the name and press the button.';
      return `Here you go:\n\`\`\`json\n{"thoughts": "greet", "actions": [${actions.join(',')},],}\n\`\`\``;
    });
    const run = await runTask({ prompt: 'Greet Ada. [repair-test]', url: `${site.baseUrl}/shadow.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(run.step_count, 2);
    const calls = agent.callsFor('[repair-test]');
    assert.equal(calls.filter((c) => c.kind === 'action' && c.reask).length, 1, 'one re-ask after the prose reply');
    assert.equal(calls.filter((c) => c.kind === 'check').length, 1, 'the bare complete was checked');
  });

  it('types a TOTP code from totp_url through a placeholder: the code never reaches a prompt', async () => {
    agent.on('[totp-test]', simpleBrain(/Verified!/, ({ page, sections }) => {
      const placeholder = /(\{\{secret:totp_code\}\})/.exec(sections.SECRETS ?? '')![1]!;
      return act('Enter the code', type(page.find('Verification code'), placeholder), click(page.find('Verify')));
    }));
    const run = await runTask({ prompt: 'Finish the two-step verification. [totp-test]', url: `${otpSite.baseUrl}/otp`, totp_url: `${otpSite.baseUrl}/totp` });
    assert.equal(run.status, 'completed', run.failure_reason);
    const calls = agent.callsFor('[totp-test]');
    assert.ok(calls.every((c) => !JSON.stringify(c.req.messages).includes(OTP)), 'no prompt contains the code');
    assert.match(calls.filter((c) => c.kind === 'action').at(-1)!.page.text, /value="\{\{secret:totp_code\}\}"/, 'the filled field is masked');
    const steps = await stack.api.core.repos.steps.listForRun(run.run_id);
    assert.ok(!JSON.stringify(steps.map((s) => s.output)).includes(OTP), 'no step record contains the code');
    const polls = otpSite.requests.filter((r) => r.url === '/totp');
    assert.equal(polls.length, 2);
    assert.equal(JSON.parse(polls[1]!.body).task_id, run.run_id);
    assert.equal(polls[1]!.headers['x-skyvern-signature'], createHmac('sha256', stack.apiKey).update(polls[1]!.body).digest('hex'));
  });

  it('skyvern-2.0 plans mini-goals, runs them on one browser and writes output to the schema', async () => {
    const schema = { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] };
    agent.on('[v2-test]', (call) => {
      const { page } = call;
      if (call.kind === 'plan') {
        const done = call.sections['DONE SO FAR'] ?? '';
        if (/\[completed\] \(extract\)/.test(done)) return { thoughts: 'all done', task_achieved: true, should_terminate: false, next_goals: [] };
        const read = { goal: 'Read the welcome message', kind: 'extract' };
        if (/\[completed\] \(navigate\)/.test(done)) return { thoughts: 'signed in', task_achieved: false, next_goals: [read] };
        return { thoughts: 'sign in first', task_achieved: false, next_goals: [{ goal: 'Sign in with username alice and password wonderland', kind: 'navigate' }, read] };
      }
      if (call.kind === 'action' && page.has('Welcome, alice!')) return act('Signed in', complete(null, 'Welcome, alice!'));
      if (call.kind === 'action') return act('Sign in', type(page.find('Username'), 'alice'), type(page.find('Password'), 'wonderland'), click(page.find('Sign in', 'button')));
      if (call.kind === 'check') return verdict(page.has('Welcome, alice!'));
      // extract: the mini-goal reads the page; the final output reuses what was saved.
      const saved = call.sections['DATA SAVED EARLIER'];
      return { message: saved ? JSON.parse(saved.split('\n')[0]!)[0].data.message : /Welcome, alice!/.exec(page.text)![0] };
    });
    const run = await runTask({ prompt: 'Sign in as alice (password wonderland) and report the welcome message. [v2-test]', url: `${site.baseUrl}/login.html`, engine: 'skyvern-2.0', data_extraction_schema: schema });
    assert.equal(run.run_type, 'task_v2');
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.deepEqual(run.output, { message: 'Welcome, alice!' });
    assert.equal(run.step_count, 3, 'sign in, see it done, then one extraction step');
    const calls = agent.callsFor('[v2-test]');
    assert.equal(calls.filter((c) => c.kind === 'plan').length, 3);
    const action = calls.find((c) => c.kind === 'action')!;
    assert.equal(action.goal, 'Sign in with username alice and password wonderland');
    assert.match(action.sections['OVERALL TASK']!, /\[v2-test\]/);
  });
});
