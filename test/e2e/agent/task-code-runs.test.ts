// Code runs of skyvern-1.0 task runs end to end: an agent task leaves a one-module script
// (`blocks/task.ts`, found again by engine + url + prompt + schema), the same task with
// run_with "code" replays it without the model (a task with a schema asks it once, to extract), a
// redesign served at the same URL breaks it (ai_fallback false → failed naming the step; default →
// the agent repairs it and the repair is version 2), and the next code run replays the repair.
// The fixture server's records say what the site really received.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { taskCacheKeyValue } from '../../../src/jobs/task-scripts.ts';
import { act, check, click, parseCall, select, simpleBrain, startAgentHarness, type, type AgentCall, type AgentHarness } from './support/scripted-agent.ts';

const WELCOME = /Welcome, [^!]+! Your Pro membership is active\./;
const SIGNUP = 'Become a member as Ada Lovelace <ada@example.com> from Canada on the Pro plan, accepting the terms. [task-code-signup]';
const EXTRACT = 'Become a member as Grace Hopper <grace@example.com> from Germany on the Pro plan, accepting the terms, and report the welcome message. [task-code-extract]';
const SCHEMA = { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] };

/** What the scripted model reads out of the task's prompt. */
function person(call: AgentCall) {
  const m = /as (.+) <(.+)> from (.+) on the Pro plan/.exec(call.goal)!;
  return { name: m[1]!, email: m[2]!, country: m[3]! };
}

const signUp = (call: AgentCall) => {
  const p = person(call);
  return act('Fill in the membership form and send it',
    type(call.page.find('Full name'), p.name), type(call.page.find('Email'), p.email), select(call.page.find('Country'), p.country),
    click(call.page.find('Pro', 'input')), check(call.page.find('I agree to the terms')), click(call.page.find(/^Create (my )?account$/, 'button')));
};

describe('task code runs: cached task scripts, replay, AI fallback and healing (Chromium + scripted model)', () => {
  let harness: AgentHarness;
  before(async () => {
    harness = await startAgentHarness();
    harness.agent.on('[task-code-signup]', simpleBrain(WELCOME, signUp));
    harness.agent.on('[task-code-extract]', simpleBrain(WELCOME, signUp, (call) => ({ message: WELCOME.exec(call.page.text)?.[0] ?? null })));
  });
  after(async () => { await harness?.close(); });

  /** Runs a task to the end and says which model calls it made (by kind). */
  const run = async (body: Record<string, unknown>) => {
    const from = harness.agent.llm.calls.length;
    const done = await harness.runTask(body);
    const kinds = harness.agent.llm.calls.slice(from).map((req) => { try { return parseCall(req).kind; } catch { return 'other'; } });
    return { done, kinds };
  };
  const accepted = (name: string) => harness.site.submissions.filter((s) => s.site === 'code-signup' && s.accepted && s.values.fullName === name);
  const filesOf = async (scriptId: string) => {
    const res = await harness.stack.request('GET', `/v1/scripts/${scriptId}/files`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return Object.fromEntries((res.body as Array<{ path: string; content: string }>).map((f) => [f.path, f.content]));
  };
  const versionsOf = async (scriptId: string) => (await harness.stack.request('GET', `/v1/scripts/${scriptId}/versions`)).body.versions as Array<{ version: number; script_revision_id: string }>;
  /** The script a run wrote: GET /v1/scripts lists its version with the run's ID. */
  const scriptWrittenBy = async (runId: string) => {
    const res = await harness.stack.request('GET', '/v1/scripts?page_size=100');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as Array<{ script_id: string; run_id: string | null; version: number }>).find((s) => s.run_id === runId);
  };

  it('caches an agent task, replays it without the model, fails or heals on a redesign at the same URL, then replays the repair', async () => {
    const url = `${harness.site.baseUrl}/code-signup.html`;
    const task = { prompt: SIGNUP, url };

    // 1. The agent does it; its actions become the task's script (version 1).
    const first = await run(task);
    assert.equal(first.done.status, 'completed', first.done.failure_reason);
    assert.ok(first.kinds.includes('action'), 'the agent run asked the model');
    assert.equal(first.done.script_run, null);
    assert.equal(accepted('Ada Lovelace').length, 1);
    const listed = await scriptWrittenBy(first.done.run_id);
    assert.ok(listed, 'GET /v1/scripts lists the script the run wrote');
    assert.equal(listed.version, 1);
    const row = await harness.stack.api.core.repos.scripts.getScript((await harness.stack.api.core.repos.runs.getById(first.done.run_id))!.organizationId, listed.script_id);
    assert.equal(row!.workflowPermanentId, null);
    assert.equal(row!.cacheKey, 'task');
    assert.equal(row!.cacheKeyValue, taskCacheKeyValue({ engine: 'skyvern-1.0', url, prompt: SIGNUP }));
    assert.match(row!.cacheKeyValue!, /^task:[0-9a-f]{16}$/);
    const files = await filesOf(listed.script_id);
    assert.deepEqual(Object.keys(files), ['blocks/task.ts']);
    const module = files['blocks/task.ts']!;
    assert.match(module, /export default async function task\(/);
    assert.match(module, /getByRole\('button', \{ name: 'Create account', exact: true \}\)/);
    // Task requests have no navigation_payload: the values come from the prompt (part of the cache key) and stay literal.
    assert.match(module, /\.fill\('Ada Lovelace'\)/);
    assert.match(module, /toContainText\('Welcome, Ada Lovelace! Your Pro membership is active\.'\)/);
    assert.doesNotMatch(module, /data-skyport|skyport\.extract/, 'no scan IDs; no extraction without a schema');

    // 2. The same task as a code run: no model call at all; the site got the submission.
    const second = await run({ ...task, run_with: 'code' });
    assert.equal(second.done.status, 'completed', second.done.failure_reason);
    assert.deepEqual(second.kinds, [], 'no model call');
    assert.equal(second.done.output, null);
    assert.deepEqual(second.done.script_run, { script_id: listed.script_id, script_revision_id: (await versionsOf(listed.script_id))[0]!.script_revision_id, ai_fallback_triggered: false });
    assert.equal(accepted('Ada Lovelace').length, 2);
    assert.deepEqual(accepted('Ada Lovelace')[1]!.values, { fullName: 'Ada Lovelace', email: 'ada@example.com', country: 'CA', plan: 'pro', terms: true });
    assert.equal((await versionsOf(listed.script_id)).length, 1, 'a replay writes no version');
    // Each replay is one step of the run, like any other run's steps.
    const steps = await harness.stack.api.core.repos.steps.listForRun(second.done.run_id);
    assert.equal(steps.length, 1);
    assert.equal((steps[0]!.output as any).script, 'blocks/task.ts');

    // The redesign at another URL would be another task (another script); served at the same URL it is the same task.
    assert.notEqual(taskCacheKeyValue({ url: `${harness.site.baseUrl}/code-signup-changed.html`, prompt: SIGNUP }), row!.cacheKeyValue);
    harness.site.variant('/code-signup.html', '/code-signup-changed.html');
    try {
      // 3. Without AI fallback (not in the task contract, honoured when sent) the run fails and names the step that broke.
      const broken = await run({ ...task, run_with: 'code', ai_fallback: false });
      assert.equal(broken.done.status, 'failed');
      assert.match(broken.done.failure_reason, /^The cached script of the task failed at step \d+ \(.*Create account.*\)/);
      assert.deepEqual(broken.kinds, []);
      assert.equal(accepted('Ada Lovelace').length, 2);
      assert.equal(broken.done.script_run.ai_fallback_triggered, false);

      // 4. AI fallback (the default): the agent finishes from where the script broke; the repair is version 2.
      const healed = await run({ ...task, run_with: 'code' });
      assert.equal(healed.done.status, 'completed', healed.done.failure_reason);
      assert.equal(healed.done.script_run.script_id, listed.script_id);
      assert.equal(healed.done.script_run.ai_fallback_triggered, true);
      assert.ok(healed.kinds.includes('action'));
      assert.equal(accepted('Ada Lovelace').length, 3);
      const note = harness.agent.callsFor('[task-code-signup]').filter((c) => c.kind === 'action').at(-1)!;
      assert.match(note.goal, /A saved script for this goal ran first and broke/);
      const versions = await versionsOf(listed.script_id);
      assert.equal(versions.length, 2);
      const repaired = (await filesOf(listed.script_id))['blocks/task.ts']!;
      assert.match(repaired, /getByRole\('button', \{ name: 'Create my account', exact: true \}\)/);
      assert.equal(repaired.match(/\.fill\('Ada Lovelace'\)/g)?.length, 1, 'steps the agent redid are not kept twice');

      // 5. The next code run replays the repair: no model call.
      const again = await run({ ...task, run_with: 'code' });
      assert.equal(again.done.status, 'completed', again.done.failure_reason);
      assert.deepEqual(again.kinds, []);
      assert.deepEqual(again.done.script_run, { script_id: listed.script_id, script_revision_id: versions[0]!.script_revision_id, ai_fallback_triggered: false });
      assert.equal(accepted('Ada Lovelace').length, 4);
    } finally {
      harness.site.variant('/code-signup.html', null);
    }
  });

  it('a task with a data_extraction_schema: its module ends with the extraction, the only model call of a code run', async () => {
    const task = { prompt: EXTRACT, url: `${harness.site.baseUrl}/code-signup.html`, data_extraction_schema: SCHEMA };
    const first = await run(task);
    assert.equal(first.done.status, 'completed', first.done.failure_reason);
    assert.deepEqual(first.done.output, { message: 'Welcome, Grace Hopper! Your Pro membership is active.' });
    const listed = await scriptWrittenBy(first.done.run_id);
    assert.ok(listed);
    assert.match((await filesOf(listed.script_id))['blocks/task.ts']!, /return await skyport\.extract\(\);/);

    const code = await run({ ...task, run_with: 'code' });
    assert.equal(code.done.status, 'completed', code.done.failure_reason);
    assert.deepEqual(code.kinds, ['extract']);
    assert.deepEqual(code.done.output, { message: 'Welcome, Grace Hopper! Your Pro membership is active.' });
    assert.equal(code.done.script_run.script_id, listed.script_id);
    assert.equal(accepted('Grace Hopper').length, 2);
  });
});
