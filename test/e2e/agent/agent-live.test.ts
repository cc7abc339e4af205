// The agent under a real model's latency: every answer of the scripted model takes 1.5 s, and the
// live fixture sites keep changing meanwhile (debounced typeahead that re-renders, forms sent by
// fetch, a modal that appears late over an inert page, validation errors that arrive late, a
// checkout that navigates to a page still loading). The scripts never ask for a `wait`: the agent
// must read the page when it is ready, act on the elements the model meant, and never send a
// form twice. Every assertion comes from the fixture server's own records.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FixtureServer } from '../../fixtures/sites/server.ts';
import { act, click, complete, startAgentHarness, type, verdict, type AgentHarness, type ScriptedAgent } from './support/scripted-agent.ts';
import { liveScenario } from './support/live-scenarios.ts';

const MODEL_LATENCY_MS = 1500;

describe('agent skyvern-1.0 with a model that takes 1.5 s', { concurrency: 2 }, () => {
  let agent: ScriptedAgent; let site: FixtureServer; let harness: AgentHarness;
  before(async () => { harness = await startAgentHarness({}, { latencyMs: MODEL_LATENCY_MS }); ({ agent, site } = harness); });
  after(async () => { await harness?.close(); });

  const records = (name: string) => site.submissions.filter((s) => s.site === name);
  const accepted = (name: string) => records(name).filter((s) => s.accepted);

  /** Runs a shared live scenario (support/live-scenarios.ts) through POST /v1/run/tasks. */
  async function runLive(name: string) {
    const scenario = liveScenario(name);
    agent.on(`[${name}]`, scenario.brain);
    const run = await harness.runTask({ prompt: scenario.prompt, url: `${site.baseUrl}${scenario.path}` });
    assert.equal(run.status, 'completed', run.failure_reason);
    return { run, calls: agent.callsFor(`[${name}]`), scenario };
  }

  it('picks a suggestion from a debounced typeahead whose list re-renders while the model thinks', async () => {
    const { calls } = await runLive('live-typeahead');
    assert.equal(accepted('live-typeahead').length, 1, JSON.stringify(records('live-typeahead')));
    assert.deepEqual(accepted('live-typeahead')[0]!.values, { city: 'San Francisco, CA', cityId: 'city-101' });
    assert.equal(records('live-typeahead').length, 1, 'no rejected free-text submission either');
    const prompts = calls.filter((c) => c.kind === 'action');
    assert.ok(prompts[1]!.page.maybe('San Francisco, CA'), 'the second prompt already lists the suggestions');
  });

  it('sends a fetch-submitted ticket form with a custom dropdown once, and sees the result', async () => {
    const { calls } = await runLive('live-ticket');
    assert.equal(records('live-fetch-form').length, 1, JSON.stringify(records('live-fetch-form')));
    assert.deepEqual(accepted('live-fetch-form')[0]!.values, { subject: 'Printer on fire', category: 'Technical', description: 'Smoke from tray 2' });
    const actions = calls.filter((c) => c.kind === 'action');
    assert.equal(actions.length, 2, 'one reply sent it, the next saw the created ticket');
    assert.match(actions[1]!.sections.NOTES!, /Your last action sent: POST \/api\/live\/ticket → 2\d\d/);
    assert.equal(calls.filter((c) => c.kind === 'check').length, 0, 'the quoted confirmation needed no separate check');
  });

  it('subscribes in a same-origin iframe form sent by fetch, once', async () => {
    await runLive('live-iframe');
    assert.equal(records('live-iframe-form').length, 1, JSON.stringify(records('live-iframe-form')));
    assert.deepEqual(accepted('live-iframe-form')[0]!.values, { email: 'ada@example.com' });
  });

  it('holds a seat in a shadow-DOM widget once, and refuses a second hold the model asks for', async () => {
    const success = /Seat 12A held for Ada Lovelace/;
    let checks = 0;
    agent.on('[live-shadow]', (call) => {
      // An unsure checker the first time, so the model gets another turn on the held page.
      if (call.kind === 'check') return verdict(++checks > 1 && call.page.has(success));
      const { page, sections } = call;
      const previous = sections['PREVIOUS STEPS'] ?? '';
      if (/already sent/.test(previous)) return act('It was held already', complete(null, success.exec(page.text)?.[0]));
      if (previous) return act('Hold it again to be sure', click(page.find('Hold seat 12A', 'button')));
      return act('Hold the seat', type(page.find('Name'), 'Ada Lovelace'), click(page.find('Hold seat 12A', 'button')));
    });
    const run = await harness.runTask({ prompt: 'Hold seat 12A for Ada Lovelace. [live-shadow]', url: `${site.baseUrl}/live-shadow-booking.html` });
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(accepted('live-shadow-booking').length, 1, JSON.stringify(records('live-shadow-booking')));
    const third = agent.callsFor('[live-shadow]').filter((c) => c.kind === 'action')[2]!;
    assert.match(third.sections['PREVIOUS STEPS']!, /FAILED: not done: this was already sent \(POST \/api\/live\/hold → 2\d\d\)/);
  });

  it('closes a promo modal that appears 700 ms after the cookie banner, instead of typing into the inert form behind it', async () => {
    const { calls } = await runLive('live-modal');
    assert.equal(accepted('live-modal').length, 1, JSON.stringify(records('live-modal')));
    assert.deepEqual(accepted('live-modal')[0]!.values, { fullName: 'Grace Hopper', email: 'grace@example.com' });
    const modalPage = calls.filter((c) => c.kind === 'action').map((c) => c.page).find((p) => p.maybe('No thanks'));
    assert.ok(modalPage, 'the model was shown the modal');
    assert.equal(modalPage.maybe('Full name'), undefined, 'the inert form behind the modal is not listed while it is open');
  });

  it('waits for a validation error that arrives late, fixes the value and sends once more', async () => {
    await runLive('live-account');
    assert.deepEqual(records('live-delayed-error').map((r) => [r.values.username, r.accepted]), [['taken', false], ['ada_l', true]]);
  });

  it('confirms a dialog and deletes exactly once', async () => {
    await runLive('live-confirm');
    assert.equal(records('live-confirm').length, 1, JSON.stringify(records('live-confirm')));
  });

  it('places an order once and reads the confirmation page only after it has loaded', async () => {
    const { run, calls } = await runLive('live-checkout');
    assert.equal(accepted('live-checkout').length, 1, JSON.stringify(records('live-checkout')));
    assert.equal(run.output.order, accepted('live-checkout')[0]!.ref);
    assert.ok(calls.every((c) => !/Loading…|Placing order/.test(c.page.text)), 'no page was shown to the model while still loading');
  });
});
