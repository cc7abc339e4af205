// skyvern-1.0 end to end: POST /v1/run/tasks → worker → real Chromium on the fixture sites →
// scripted model over HTTP → GET /v1/runs/{id}. The model chooses elements by what the page says.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FixtureServer } from '../../fixtures/sites/server.ts';
import type { TestStack } from '../../support/stack.ts';
import { act, check, click, complete, select, simpleBrain, startAgentHarness, type AgentHarness, type, verdict, type ScriptedAgent } from './support/scripted-agent.ts';

describe('agent skyvern-1.0: forms and flows', { concurrency: 3 }, () => {
  let stack: TestStack; let agent: ScriptedAgent; let site: FixtureServer;
  let runTask: AgentHarness['runTask'];
  let harness: AgentHarness;
  before(async () => { harness = await startAgentHarness(); ({ stack, agent, site, runTask } = harness); });
  after(async () => { await harness?.close(); });

  it('fills a form, reads its validation errors and fixes them', async () => {
    agent.on('[form-test]', simpleBrain(/Thank you, Ada Lovelace!/, ({ page }) => {
      if (!page.has('! ')) {
        // First attempt: only the obvious fields, so the page answers with validation errors.
        return act('Fill name and email, then submit', type(page.find('Full name'), 'Ada Lovelace'), type(page.find('Email'), 'ada@example.com'), click(page.find('Create account', 'button')));
      }
      const fixes: object[] = [];
      if (page.has('! Password must be at least 8 characters.')) fixes.push(type(page.find('Password'), 'analytical-engine'));
      if (page.has('! Please choose a country.')) fixes.push(select(page.find('Country'), 'Canada'));
      if (page.has('! You must agree to the terms of service.')) fixes.push(check(page.find('I agree to the terms of service')));
      return act('Fix the fields the errors name', ...fixes, click(page.find('Pro')), click(page.find('Create account', 'button')));
    }));
    const run = await runTask({ prompt: 'Create an account: Ada Lovelace, ada@example.com, password analytical-engine, Canada, Pro plan, accept the terms. [form-test]', url: `${site.baseUrl}/form.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(run.step_count, 3, 'two tries, then "complete" quoting the thank-you line');
    const actionCalls = agent.callsFor('[form-test]').filter((c) => c.kind === 'action');
    assert.match(actionCalls[1]!.sections.PAGE!, /! Password must be at least 8 characters\./, 'the second prompt shows the validation errors');
    assert.match(actionCalls[1]!.sections['PREVIOUS STEPS']!, /click \[e\d+\] button "Create account" → ok/);

    const steps = await stack.api.core.repos.steps.listForRun(run.run_id);
    assert.equal(steps.length, 3);
    assert.ok(steps.every((s) => s.status === 'completed' && s.inputTokens > 0));
    const first = steps[0]!.output as any;
    assert.equal(first.actions_and_results.length, 3);
    assert.equal(first.check, undefined, 'no separate check after a step that claimed nothing');
    assert.equal(agent.callsFor('[form-test]').filter((c) => c.kind === 'check').length, 0);
    assert.match((steps[2]!.output as any).check.thoughts, /The page shows: "Thank you, Ada Lovelace!"/);
    const row = await stack.api.core.repos.runs.getById(run.run_id);
    assert.ok(row!.inputTokens >= steps[0]!.inputTokens + steps[1]!.inputTokens + steps[2]!.inputTokens && row!.outputTokens > 0);

    const types = new Set((await stack.request('GET', `/v1/runs/${run.run_id}/artifacts`)).body.map((a: any) => a.artifact_type));
    for (const t of ['screenshot_action', 'llm_request', 'llm_response', 'llm_response_parsed', 'visible_elements_tree_in_prompt', 'screenshot_final', 'recording']) {
      assert.ok(types.has(t), `artifact ${t}`);
    }
  });

  it('goes through a multi-page checkout and reports the order number', async () => {
    agent.on('[checkout-test]', (call) => {
      const { page } = call;
      const order = /Order number: (SKY-\d+)/.exec(page.text)?.[1];
      if (call.kind === 'check') return verdict(!!order, order ? 'Confirmation page shows the order number' : 'Not on the confirmation page', order ? { order_number: order } : null);
      if (page.has('# Your cart')) {
        return act('Set quantities', type(page.find('Quantity of Blue Widget'), '2'), type(page.find('Quantity of Red Gadget'), '1'), click(page.find('Proceed to shipping')));
      }
      if (page.has('# Shipping details')) {
        return act('Shipping form', type(page.find('Recipient name'), 'Ada Lovelace'), type(page.find('Street address'), '12 Engine Row'),
          type(page.find('City'), 'London'), type(page.find('ZIP code'), '12345'), click(page.find(/^Express/)), click(page.find('Place order')));
      }
      return act('Done', complete({ order_number: order }));
    });
    const run = await runTask({ prompt: 'Buy 2 Blue Widgets and 1 Red Gadget, ship express to Ada Lovelace, 12 Engine Row, London 12345, and report the order number. [checkout-test]', url: `${site.baseUrl}/cart.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.match(run.output.order_number, /^SKY-\d{5}$/);
    assert.equal(run.step_count, 3);
  });

  it('logs in (keypress Enter) after the checker rejects a premature "complete"', async () => {
    agent.on('[login-test]', simpleBrain(/Welcome, alice!/, ({ page, sections }) => {
      // The first reply claims success before doing anything; the checker must refuse it.
      if (!sections['PREVIOUS STEPS']) return act('Looks done already', complete());
      return act('Sign in', type(page.find('Username'), 'alice'), type(page.find('Password'), 'wonderland'), { action_type: 'keypress', keys: ['Enter'], element_id: page.find('Password') });
    }));
    const run = await runTask({ prompt: 'Sign in with username alice and password wonderland. [login-test]', url: `${site.baseUrl}/login.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(run.step_count, 3);
    const second = agent.callsFor('[login-test]').filter((c) => c.kind === 'action')[1]!;
    assert.match(second.sections.NOTES!, /"complete" was rejected by the checker/);
    assert.match(second.sections['PREVIOUS STEPS']!, /complete → REJECTED/);
    const steps = await stack.api.core.repos.steps.listForRun(run.run_id);
    assert.equal((steps[0]!.output as any).check.user_goal_achieved, false);
  });

  it('starts on a blank page when the request has no url', async () => {
    agent.on('[nourl-test]', simpleBrain(/Welcome, alice!/, ({ page, goal, sections }) => {
      if (page.url === 'about:blank') {
        assert.match(sections.NOTES!, /no page open yet/);
        return act('Open the site', { action_type: 'goto_url', url: /(http\S+login\.html)/.exec(goal)![1] });
      }
      return act('Sign in', type(page.find('Username'), 'alice'), type(page.find('Password'), 'wonderland'), click(page.find('Sign in', 'button')));
    }));
    const run = await runTask({ prompt: `Sign in at ${site.baseUrl}/login.html as alice with password wonderland. [nourl-test]` });
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(run.step_count, 3);
  });

  it('types dates into a native date input and a MM/DD/YYYY field', async () => {
    agent.on('[date-test]', simpleBrain(/Departure: 2024-05-01, Return: 05\/10\/2024/, ({ page }) =>
      act('Dates', type(page.find('Departure date'), '05/01/2024'), type(page.find('Return date (MM/DD/YYYY)'), '05/10/2024'), click(page.find('Search flights')))));
    const run = await runTask({ prompt: 'Search flights leaving May 1 2024 and returning May 10 2024. [date-test]', url: `${site.baseUrl}/datepicker.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
  });

  it('picks options in custom (non-select) dropdowns', async () => {
    agent.on('[dropdown-test]', simpleBrain(/Selected color: Green[\s\S]*Selected size: Medium/, ({ page }) =>
      act('Pick both', select(page.find('Favorite color'), 'Green'), select(page.find('Choose a size'), 'Medium'))));
    const run = await runTask({ prompt: 'Choose Green as the favorite color and Medium as the T-shirt size. [dropdown-test]', url: `${site.baseUrl}/dropdown.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
  });
});
