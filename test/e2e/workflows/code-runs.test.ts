// Code runs end to end: an agent run caches the workflow's blocks as a Playwright script, a code
// run replays it without the model, a redesigned site breaks it (ai_fallback off → the run fails
// naming the step; on → the agent repairs the block and the repair becomes the next version), and
// a conditional workflow caches its second branch later without losing the first. The fixture
// server's records say what the site really received.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import { serveFixtures, type FixtureServer } from '../../fixtures/sites/server.ts';
import { serveTwoFactorSite } from '../../fixtures/sites/two-factor-site.ts';
import { startStack, type TestStack } from '../../support/stack.ts';
import { createWorkflow } from '../../support/workflows.ts';
import { act, check, click, parseCall, select, simpleBrain, type } from '../agent/support/scripted-agent.ts';
import { CODE_SIGNUP_PARAMETERS, CODE_SIGNUP_WELCOME, codeSignupBlock, codeSignupBrain } from './support/code-signup.ts';
import { startWorkflowLlm, type WorkflowLlm } from './support/scripted-workflow-llm.ts';

const WELCOME = CODE_SIGNUP_WELCOME;
const PASSWORD = 'Wonder-1843!land';
const SEED = 'KRSXG5CTMVRXEZLUKN2XAZLSONSWG4TF';
const authenticator = new TOTP({ secret: Secret.fromBase32(SEED), digits: 6, period: 30 });

const SIGNUP_YAML = (title: string) => `
title: ${title}
workflow_definition:${CODE_SIGNUP_PARAMETERS}
  blocks:${codeSignupBlock('{{ site_url }}', '[code-signup]')}
    - block_type: extraction
      label: read_welcome
      data_extraction_goal: "Read the welcome message. [code-welcome]"
      data_schema: { type: object, properties: { message: { type: string } } }
`;

describe('code runs: cached scripts, replay, AI fallback and healing (Chromium + scripted model)', () => {
  let stack: TestStack;
  let model: WorkflowLlm;
  let site: FixtureServer;
  let twoFactor: Awaited<ReturnType<typeof serveTwoFactorSite>>;
  before(async () => {
    [model, site, twoFactor] = await Promise.all([startWorkflowLlm(() => ({ llm_response: 'unused' })), serveFixtures(),
      serveTwoFactorSite({ username: 'ada', password: PASSWORD, verify: (code) => authenticator.validate({ token: code, window: 1 }) !== null })]);
    model.on('[code-signup]', codeSignupBrain);
    model.on('[code-welcome]', (call) => {
      if (call.kind !== 'extract') throw new Error(`unexpected ${call.kind} call for an extraction block`);
      return { message: WELCOME.exec(call.page.text)?.[0] ?? null };
    });
    model.on('[code-plan]', simpleBrain(/Your (Pro|Free) membership is active\./, (call) => {
      const plan = /on the (Pro|Free) plan/.exec(call.goal)![1]!;
      return act(`Sign up for ${plan}`, type(call.page.find('Full name'), 'Ada Lovelace'), type(call.page.find('Email'), 'ada@example.com'),
        select(call.page.find('Country'), 'Canada'), click(call.page.find(plan, 'input')), check(call.page.find('I agree to the terms')),
        click(call.page.find('Create account', 'button')));
    }));
    model.on('Log in using the provided credentials', simpleBrain(/Welcome, ada!/, (call) => {
      const creds = JSON.parse(/Information to use \(JSON\): (.*)/.exec(call.prompt)![1]!).acme_login;
      const { page } = call;
      if (page.has('Verification code')) return act('Enter the authenticator code', type(page.find('Verification code'), creds.totp), click(page.find('Verify', 'button')));
      return act('Sign in', type(page.find('Username'), creds.username), type(page.find('Password'), creds.password), click(page.find('Sign in', 'button')));
    }));
    stack = await startStack({ worker: true, env: model.env });
  });
  after(async () => { await stack?.close(); await model?.close(); await site?.close(); await twoFactor?.close(); });

  const create = async (yaml: string) => {
    const res = await stack.request('POST', '/v1/agents', { yaml_definition: yaml });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.workflow_permanent_id as string;
  };
  /** Runs to the end and says which model calls it made (by kind). */
  const run = async (body: Record<string, unknown>) => {
    const from = model.llm.calls.length;
    const created = await stack.request('POST', '/v1/run/workflows', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const done = await stack.waitForTerminal(created.body.run_id, 120_000);
    const kinds = model.llm.calls.slice(from).map((req) => { try { return parseCall(req).kind; } catch { return 'other'; } });
    return { done, kinds, accepted: () => site.submissions.filter((s) => s.site === 'code-signup' && s.accepted) };
  };
  const scriptOf = async (wpid: string) => {
    const listed = await stack.request('GET', `/v1/scripts/workflows/${wpid}`);
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    return listed.body.scripts as Array<{ script_id: string; latest_version: number }>;
  };
  const filesOf = async (scriptId: string) => {
    const res = await stack.request('GET', `/v1/scripts/${scriptId}/files`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return Object.fromEntries((res.body as Array<{ path: string; content: string }>).map((f) => [f.path, f.content]));
  };
  const params = (page: string, name: string, email: string, country: string) =>
    ({ site_url: `${site.baseUrl}/${page}`, full_name: name, email, country });

  it('caches an agent run, replays it without the model, fails or heals on a redesign, then replays the repair', async () => {
    const wpid = await create(SIGNUP_YAML('Member signup'));

    // 1. The agent does it; its actions become the script (version 1).
    const first = await run({ workflow_id: wpid, parameters: params('code-signup.html', 'Ada Lovelace', 'ada@example.com', 'Canada') });
    assert.equal(first.done.status, 'completed', first.done.failure_reason);
    assert.ok(first.kinds.includes('action'), 'the agent run asked the model');
    assert.equal(first.done.script_run, null);
    const [script] = await scriptOf(wpid);
    assert.ok(script, 'a script was generated');
    const files = await filesOf(script.script_id);
    const signup = files['blocks/sign_up.ts']!;
    assert.match(signup, /export default async function sign_up\(/);
    assert.match(signup, /getByRole\('button', \{ name: 'Create account', exact: true \}\)/);
    assert.match(signup, /\.fill\(parameters\.full_name\)/);
    assert.match(signup, /selectOption\(parameters\.country\)/);
    assert.match(signup, /toContainText\(`Welcome, \$\{parameters\.full_name\}! Your Pro membership is active\.`\)/);
    assert.doesNotMatch(signup, /Ada|ada@example|Canada|data-skyport/, 'values and scan IDs never appear in the script');
    assert.match(files['blocks/read_welcome.ts']!, /return await skyport\.extract\(\)/);

    // 2. A code run with other values: no model call but the extraction's; the site got the new values.
    const second = await run({ workflow_id: wpid, run_with: 'code', parameters: params('code-signup.html', 'Grace Hopper', 'grace@example.com', 'Germany') });
    assert.equal(second.done.status, 'completed', second.done.failure_reason);
    assert.deepEqual(second.kinds, ['extract'], 'only the extraction block called the model');
    assert.equal(second.done.run_with, 'code');
    assert.equal(second.done.script_run.script_id, script.script_id);
    assert.equal(second.done.script_run.ai_fallback_triggered, false);
    assert.deepEqual(second.done.output.read_welcome_output.extracted_information, { message: 'Welcome, Grace Hopper! Your Pro membership is active.' });
    const graces = second.accepted().filter((s) => s.values.fullName === 'Grace Hopper');
    assert.equal(graces.length, 1);
    assert.deepEqual(graces[0]!.values, { fullName: 'Grace Hopper', email: 'grace@example.com', country: 'DE', plan: 'pro', terms: true });

    // 3. The site is redesigned; without AI fallback the run fails and names the step that broke.
    const broken = await run({ workflow_id: wpid, run_with: 'code', ai_fallback: false, parameters: params('code-signup-changed.html', 'Alan Turing', 'alan@example.com', 'Japan') });
    assert.equal(broken.done.status, 'failed');
    assert.match(broken.done.failure_reason, /block "sign_up" failed at step \d+ \(.*Create account.*\)/);
    assert.doesNotMatch(broken.done.failure_reason, /Call log|\u001b/, 'one readable line, not Playwright\'s colored call log');
    assert.deepEqual(broken.kinds, []);
    assert.equal(broken.accepted().filter((s) => s.values.fullName === 'Alan Turing').length, 0);

    // 4. With AI fallback the agent finishes the block from where the script broke; the repair is version 2.
    const healed = await run({ workflow_id: wpid, run_with: 'code', ai_fallback: true, parameters: params('code-signup-changed.html', 'Alan Turing', 'alan@example.com', 'Japan') });
    assert.equal(healed.done.status, 'completed', healed.done.failure_reason);
    assert.equal(healed.done.script_run.ai_fallback_triggered, true);
    assert.ok(healed.kinds.includes('action'));
    assert.deepEqual(healed.accepted().filter((s) => s.values.fullName === 'Alan Turing').map((s) => s.values.country), ['JP']);
    const { versions } = (await stack.request('GET', `/v1/scripts/${script.script_id}/versions`)).body;
    assert.equal(versions.length, 2);
    const repaired = (await filesOf(script.script_id))['blocks/sign_up.ts']!;
    assert.match(repaired, /getByRole\('button', \{ name: 'Create my account', exact: true \}\)/);
    assert.doesNotMatch(repaired, /Ada|Alan|Canada|Japan/, 'the repair references parameters too');
    assert.equal(repaired.match(/\.fill\(parameters\.full_name\)/g)?.length, 1, 'steps the agent redid are not kept twice');

    // 5. The next code run on the redesigned site replays the repair: no model call but the extraction.
    const again = await run({ workflow_id: wpid, run_with: 'code', parameters: params('code-signup-changed.html', 'Edsger Dijkstra', 'edsger@example.com', 'Germany') });
    assert.equal(again.done.status, 'completed', again.done.failure_reason);
    assert.deepEqual(again.kinds, ['extract']);
    assert.equal(again.done.script_run.ai_fallback_triggered, false);
    assert.deepEqual(again.accepted().filter((s) => s.values.fullName === 'Edsger Dijkstra').map((s) => s.values.country), ['DE']);

    // Each replayed block is a step with its page operations, like any other run's steps.
    const steps = (await stack.request('GET', `/v1/runs/${again.done.run_id}/timeline`)).body;
    assert.ok(Array.isArray(steps) && steps.length >= 2);
  });

  it('a conditional workflow caches its second branch on a later run and keeps the first', async () => {
    const wpid = await create(`
title: Plan picker
workflow_definition:
  parameters:
    - { key: site_url, parameter_type: workflow, workflow_parameter_type: string }
    - { key: plan, parameter_type: workflow, workflow_parameter_type: string }
  blocks:
    - block_type: conditional
      label: which_plan
      branch_conditions:
        - criteria: { criteria_type: jinja2_template, expression: "{{ plan == 'pro' }}" }
          next_block_label: pro_signup
        - is_default: true
          next_block_label: free_signup
    - block_type: navigation
      label: pro_signup
      url: "{{ site_url }}"
      navigation_goal: "Sign up on the Pro plan. [code-plan]"
      next_block_label: finish
    - block_type: navigation
      label: free_signup
      url: "{{ site_url }}"
      navigation_goal: "Sign up on the Free plan. [code-plan]"
      next_block_label: finish
    - block_type: wait
      label: finish
      wait_sec: 0
`);
    const go = (plan: string, runWith: string) => run({ workflow_id: wpid, run_with: runWith, parameters: { site_url: `${site.baseUrl}/code-signup.html`, plan } });
    const pro = await go('pro', 'agent');
    assert.equal(pro.done.status, 'completed', pro.done.failure_reason);
    // The agent doing the same steps again adds no version.
    assert.equal((await go('pro', 'agent')).done.status, 'completed');
    const [first] = await scriptOf(wpid);
    assert.equal(first!.latest_version, 1);
    // A code run down the other branch: that block has no module yet, so the agent does it and it is cached.
    const free = await go('free', 'code');
    assert.equal(free.done.status, 'completed', free.done.failure_reason);
    assert.ok(free.kinds.includes('action'));
    const [script] = await scriptOf(wpid);
    const files = await filesOf(script.script_id);
    assert.ok(files['blocks/pro_signup.ts'] && files['blocks/free_signup.ts'], `both branches cached: ${Object.keys(files).join(', ')}`);
    for (const plan of ['pro', 'free']) {
      const replay = await go(plan, 'code');
      assert.equal(replay.done.status, 'completed', replay.done.failure_reason);
      assert.deepEqual(replay.kinds, [], `${plan}: no model call`);
    }
  });
  it('a login with a stored credential is cached with secrets as references; the replay types the real values', async () => {
    const credential = await stack.request('POST', '/v1/credentials', {
      name: 'Acme account', credential_type: 'password', credential: { username: 'ada', password: PASSWORD, totp: SEED, totp_type: 'authenticator' },
    });
    assert.equal(credential.status, 201, JSON.stringify(credential.body));
    const wpid = await createWorkflow(stack, 'cached login', { workflow_definition: {
      parameters: [{ parameter_type: 'workflow', key: 'acme_login', workflow_parameter_type: 'credential_id' }],
      blocks: [{ block_type: 'login', label: 'sign_in', url: `${twoFactor.baseUrl}/login`, parameter_keys: ['acme_login'] }],
    } });
    const parameters = { acme_login: credential.body.credential_id };
    const first = await run({ workflow_id: wpid, parameters });
    assert.equal(first.done.status, 'completed', first.done.failure_reason);
    const [script] = await scriptOf(wpid);
    const module = (await filesOf(script.script_id))['blocks/sign_in.ts']!;
    assert.match(module, /\.fill\(parameters\.acme_login\.username\)/);
    assert.match(module, /\.fill\(secrets\.acme_login_password\)/);
    assert.match(module, /\.fill\(secrets\.acme_login_totp\)/);
    for (const secret of [PASSWORD, SEED]) assert.ok(!module.includes(secret), 'no secret in the script');

    const logins = twoFactor.received.logins.length;
    const replay = await run({ workflow_id: wpid, run_with: 'code', parameters });
    assert.equal(replay.done.status, 'completed', replay.done.failure_reason);
    assert.deepEqual(replay.kinds, []);
    assert.equal(twoFactor.received.logins.length, logins + 1);
    assert.deepEqual(twoFactor.received.logins.at(-1), { username: 'ada', password: PASSWORD });
    assert.ok(authenticator.validate({ token: twoFactor.received.codes.at(-1)!, window: 1 }) !== null, 'a fresh authenticator code was typed');
    const steps = JSON.stringify((await stack.request('GET', `/v1/runs/${replay.done.run_id}/timeline`)).body);
    for (const secret of [PASSWORD, SEED]) assert.ok(!steps.includes(secret), 'no secret in the run\'s records');
  });

  it('run_with: code on the workflow is its runs\' default; a module deployed by hand runs through POST /v1/scripts/{id}/run', async () => {
    const wpid = await create(`run_with: code\n${SIGNUP_YAML('Member signup (code by default)')}`);
    const first = await run({ workflow_id: wpid, parameters: params('code-signup.html', 'Barbara Liskov', 'barbara@example.com', 'Canada') });
    assert.equal(first.done.status, 'completed', first.done.failure_reason);
    assert.equal(first.done.run_with, 'code');
    assert.ok(first.kinds.includes('action'), 'nothing cached yet: the agent ran and its actions became the script');
    const [script] = await scriptOf(wpid);

    // A user's own module: the same form, typed differently (the name in capitals).
    const handWritten = [
      "import type { BlockScript } from 'skyport/script';",
      'export default async function sign_up({ page, parameters, expect }: BlockScript) {',
      "  await page.getByLabel('Full name').fill(String(parameters.full_name).toUpperCase());",
      "  await page.getByLabel('Email').fill(String(parameters.email));",
      "  await page.getByLabel('Country').selectOption({ label: String(parameters.country) });",
      "  await page.getByRole('radio', { name: 'Pro' }).check();",
      "  await page.getByRole('checkbox', { name: 'I agree to the terms' }).check();",
      "  await page.getByRole('button', { name: 'Create account' }).click();",
      "  await expect(page.getByText('membership is active')).toBeVisible();",
      '}',
    ].join('\n');
    const deployed = await stack.request('POST', `/v1/scripts/${script.script_id}/deploy`, { files: [{ path: 'blocks/sign_up.ts', content: Buffer.from(handWritten).toString('base64') }] });
    assert.equal(deployed.status, 200, JSON.stringify(deployed.body));
    const from = model.llm.calls.length;
    const started = await stack.request('POST', `/v1/scripts/${script.script_id}/run`, { parameters: params('code-signup.html', 'Frances Allen', 'frances@example.com', 'Japan') });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const done = await stack.waitForTerminal(started.body.run_id, 120_000);
    assert.equal(done.status, 'completed', done.failure_reason);
    assert.equal(done.script_run.script_id, script.script_id);
    const kinds = model.llm.calls.slice(from).map((req) => parseCall(req).kind);
    assert.deepEqual(kinds, ['extract']);
    const record = site.submissions.filter((s) => s.site === 'code-signup' && s.accepted).at(-1)!;
    assert.deepEqual(record.values, { fullName: 'FRANCES ALLEN', email: 'frances@example.com', country: 'JP', plan: 'pro', terms: true });
  });
  it('a block inside a for_loop is cached once and replayed for every item with that item\'s values', async () => {
    const wpid = await create(`
title: Sign up a team
workflow_definition:
  parameters:
    - { key: site_url, parameter_type: workflow, workflow_parameter_type: string }
    - { key: members, parameter_type: workflow, workflow_parameter_type: json }
  blocks:
    - block_type: for_loop
      label: each_member
      loop_over_parameter_key: members
      loop_blocks:
        - block_type: navigation
          label: sign_up_member
          url: "{{ site_url }}"
          navigation_goal: "Become a member as {{ current_value.name }} <{{ current_value.email }}> from {{ current_value.country }} on the Pro plan, accepting the terms. [code-signup]"
`);
    const team = (...names: string[]) => names.map((name) => ({ name, email: `${name.split(' ')[0]!.toLowerCase()}@example.com`, country: 'Germany' }));
    const parameters = (members: unknown) => ({ site_url: `${site.baseUrl}/code-signup.html`, members });
    const first = await run({ workflow_id: wpid, parameters: parameters(team('Katherine Johnson', 'Dorothy Vaughan')) });
    assert.equal(first.done.status, 'completed', first.done.failure_reason);
    const [script] = await scriptOf(wpid);
    const module = (await filesOf(script.script_id))['blocks/sign_up_member.ts']!;
    assert.match(module, /\.fill\(parameters\.current_value\.name\)/);
    assert.doesNotMatch(module, /Katherine|Dorothy/);

    const replay = await run({ workflow_id: wpid, run_with: 'code', parameters: parameters(team('Mary Jackson', 'Christine Darden', 'Annie Easley')) });
    assert.equal(replay.done.status, 'completed', replay.done.failure_reason);
    assert.deepEqual(replay.kinds, []);
    const names = replay.accepted().map((s) => s.values.fullName);
    for (const name of ['Mary Jackson', 'Christine Darden', 'Annie Easley']) assert.equal(names.filter((n) => n === name).length, 1, name);
  });
});
