// skyvern-2.0 records its plan as a workflow: published with `publish_workflow`, otherwise kept as
// `auto_generated` (hidden from default listings). The published workflow is then run as-is.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serveFixtures, type FixtureServer } from '../../fixtures/sites/server.ts';
import { startStack, type TestStack } from '../../support/stack.ts';
import { ScriptedReply } from '../../fixtures/llm/scripted-openai-server.ts';
import { act, click, complete, startScriptedAgent, type, verdict, type Brain, type ScriptedAgent } from './support/scripted-agent.ts';

/** Signs in, then reads the welcome message; the mini-goals carry the marker so a replay reaches this brain too. */
function signInBrain(marker: string): Brain {
  return (call) => {
    const { page } = call;
    if (call.kind === 'plan') {
      const done = call.sections['DONE SO FAR'] ?? '';
      if (/\[completed\] \(extract\)/.test(done)) return { thoughts: 'all done', task_achieved: true, should_terminate: false, next_goals: [] };
      const read = { goal: `Read the welcome message ${marker}`, kind: 'extract' };
      if (/\[completed\] \(navigate\)/.test(done)) return { thoughts: 'signed in', task_achieved: false, next_goals: [read] };
      // A detour that fails first: it must not end up in the recorded workflow.
      if (!/\[(failed|terminated)\b/.test(done)) return { thoughts: 'try the shortcut', task_achieved: false, next_goals: [{ goal: `Open the secret admin panel ${marker}`, kind: 'navigate' }] };
      return { thoughts: 'sign in', task_achieved: false, next_goals: [{ goal: `Sign in with username alice and password wonderland ${marker}`, kind: 'navigate' }, read] };
    }
    if (call.kind === 'action') {
      if (call.goal.includes('admin panel')) return act('There is no admin panel here', { action_type: 'terminate', reason: 'No admin panel on this site.' });
      if (page.has('Welcome, alice!')) return act('Signed in', complete(null, 'Welcome, alice!'));
      return act('Sign in', type(page.find('Username'), 'alice'), type(page.find('Password'), 'wonderland'), click(page.find('Sign in', 'button')));
    }
    if (call.kind === 'check') return verdict(page.has('Welcome, alice!'));
    return { message: /Welcome, alice!/.exec(page.text)?.[0] ?? null };
  };
}

describe('skyvern-2.0 records its plan as a workflow', () => {
  let stack: TestStack;
  let agent: ScriptedAgent;
  let site: FixtureServer;
  before(async () => {
    [agent, site] = await Promise.all([startScriptedAgent(), serveFixtures()]);
    stack = await startStack({ worker: true, env: agent.env });
  });
  after(async () => { await stack?.close(); await agent?.close(); await site?.close(); });

  async function runTask(body: Record<string, unknown>) {
    const created = await stack.request('POST', '/v1/run/tasks', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return stack.waitForTerminal(created.body.run_id, 90_000);
  }
  const listed = async (query: string) => (await stack.request('GET', `/v1/agents?${query}`)).body as Array<Record<string, any>>;

  it('publish_workflow saves the mini-goals that worked as a published workflow that runs on its own', async () => {
    const marker = '[v2-publish]';
    agent.on(marker, signInBrain(marker));
    const schema = { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] };
    const run = await runTask({ prompt: `${marker} Sign in as alice (password wonderland) and report the welcome message.`, url: `${site.baseUrl}/login.html`, publish_workflow: true, data_extraction_schema: schema });
    assert.equal(run.status, 'completed', run.failure_reason);

    const found = await listed('search_key=v2-publish');
    assert.equal(found.length, 1, JSON.stringify(found));
    const workflow = found[0]!;
    assert.equal(workflow.status, 'published');
    const blocks = workflow.workflow_definition.blocks as Array<Record<string, any>>;
    assert.deepEqual(blocks.map((b) => b.block_type), ['goto_url', 'navigation', 'extraction', 'extraction']);
    assert.equal(blocks[0]!.url, `${site.baseUrl}/login.html`);
    assert.match(blocks[1]!.navigation_goal, /^Sign in with username alice/);
    assert.ok(!JSON.stringify(blocks).includes('admin panel'), 'the failed detour is not recorded');
    assert.deepEqual(blocks[3]!.data_schema, schema);

    const started = await stack.request('POST', '/v1/run/agents', { agent_id: workflow.workflow_permanent_id });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const replay = await stack.waitForTerminal(started.body.run_id, 90_000);
    assert.equal(replay.status, 'completed', replay.failure_reason);
    assert.deepEqual(replay.output.final_output_output.extracted_information, { message: 'Welcome, alice!' });
  });

  it('without publish_workflow the plan is kept as auto_generated, out of default listings', async () => {
    const marker = '[v2-auto]';
    agent.on(marker, signInBrain(marker));
    const run = await runTask({ prompt: `${marker} Sign in as alice (password wonderland) and report the welcome message.`, url: `${site.baseUrl}/login.html`, engine: 'skyvern-2.0' });
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal((await listed('search_key=v2-auto')).length, 0);
    const hidden = await listed('search_key=v2-auto&status=auto_generated');
    assert.equal(hidden.length, 1);
    assert.deepEqual(hidden[0]!.workflow_definition.blocks.map((b: any) => b.block_type), ['goto_url', 'navigation', 'extraction']);
  });

  it('a canceled run records no workflow: its plan is partial', async () => {
    const marker = '[v2-cancel]';
    agent.on(marker, () => new ScriptedReply({ thoughts: 'thinking', task_achieved: false, next_goals: [] }, { delayMs: 30_000 }));
    const created = await stack.request('POST', '/v1/run/tasks', { prompt: `${marker} Think for a long time.`, url: `${site.baseUrl}/login.html`, publish_workflow: true });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const deadline = Date.now() + 30_000;
    while (agent.callsFor(marker).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await stack.request('POST', `/v1/runs/${created.body.run_id}/cancel`);
    const run = await stack.waitForTerminal(created.body.run_id, 10_000);
    assert.equal(run.status, 'canceled');
    // Give a wrongly saved plan the time it would need to show up.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await listed('search_key=v2-cancel&status=published&status=auto_generated')).length, 0);
  });
});
