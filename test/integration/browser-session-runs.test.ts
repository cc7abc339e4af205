// Runs that use persistent browser sessions and browser profiles, end to end: real Chromium, a
// scripted model for the agent, and a site that records what the browser sends (its cookie, and
// a beacon carrying its localStorage), so every assertion is about what the browser really had.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { ScriptedReply } from '../fixtures/llm/scripted-openai-server.ts';
import { serveBrowserStateSite, type SeenRequest } from '../fixtures/sites/browser-state-site.ts';
import { assertMatchesReference } from '../support/reference-schemas.ts';
import { createWorkflow } from '../support/workflows.ts';
import { act, complete, simpleBrain, startAgentHarness, verdict, type AgentHarness } from '../e2e/agent/support/scripted-agent.ts';

describe('runs in persistent browser sessions and with browser profiles', () => {
  let h: AgentHarness;
  let site: Awaited<ReturnType<typeof serveBrowserStateSite>>['site'];
  let seen: SeenRequest[];
  before(async () => {
    ({ site, seen } = await serveBrowserStateSite());
    // POST waits for the session's browser; on a loaded machine Chromium can take longer than the default 5 s to start.
    h = await startAgentHarness({ RUN_SLOT_RETRY_MS: '300', BROWSER_SESSION_CREATE_WAIT_MS: '30000' });
    h.agent.on('[set-state]', simpleBrain(/State saved/, () => act('The page says the state is saved.', complete())));
    h.agent.on('[show-state]', simpleBrain(/Showing state/, () => act('The page shows the state.', complete())));
    // Slow on every answer, so the run holds its session for a while.
    h.agent.on('[slow-set]', (call) => call.kind === 'check' ? verdict(call.page.has('State saved'))
      : new ScriptedReply(act('Thinking slowly.', complete(null, /State saved/.exec(call.page.text)?.[0])), { delayMs: 2500 }));
  });
  after(async () => { await h?.close(); await site?.close(); });

  const request = (...args: Parameters<AgentHarness['stack']['request']>) => h.stack.request(...args);
  const newSession = async (body: Record<string, unknown> = {}) => {
    const res = await request('POST', '/v1/browser_sessions', body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, 'running');
    return res.body;
  };
  /** What the browser brought to the last /show: its cookie header and its localStorage beacon. */
  const lastShow = async () => {
    const deadline = Date.now() + 5_000;
    while (!seen.some((s) => s.path === '/report') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const show = seen.filter((s) => s.path === '/show').at(-1);
    const report = seen.filter((s) => s.path === '/report').at(-1);
    seen.length = 0;
    return { cookie: show?.cookie, ls: report?.query };
  };
  const setState = (v: string, extra: Record<string, unknown>) => h.runTask({ prompt: `Open the page. [set-state]`, url: `${site.baseUrl}/set?v=${v}`, ...extra });
  const showState = (extra: Record<string, unknown>) => h.runTask({ prompt: `Open the page. [show-state]`, url: `${site.baseUrl}/show`, ...extra });

  it('carries cookies, localStorage and the open tab from one task run to the next in the same session', async () => {
    const session = await newSession();
    const first = await setState('alpha', { browser_session_id: session.browser_session_id });
    assert.equal(first.status, 'completed', first.failure_reason);
    seen.length = 0;
    const second = await showState({ browser_session_id: session.browser_session_id });
    assert.equal(second.status, 'completed', second.failure_reason);
    assert.deepEqual(await lastShow(), { cookie: 'sid=alpha', ls: '?ls=ls-alpha' });

    // Outside the session a run starts clean.
    await showState({});
    assert.deepEqual(await lastShow(), { cookie: undefined, ls: '?ls=none' });

    // The session is free again, and its browser still holds what the runs left (seen over CDP, as a user would).
    const after = (await request('GET', `/v1/browser_sessions/${session.browser_session_id}`)).body;
    assertMatchesReference('BrowserSessionResponse', after);
    assert.equal(after.runnable_id, null);
    const browser = await chromium.connectOverCDP(after.browser_address);
    const context = browser.contexts()[0]!;
    assert.deepEqual((await context.cookies(site.baseUrl)).map((c) => `${c.name}=${c.value}`), ['sid=alpha']);
    assert.ok(context.pages().some((p) => p.url() === `${site.baseUrl}/show`), 'the last run\'s tab is still open');
    await browser.close();
    await request('POST', `/v1/browser_sessions/${session.browser_session_id}/close`);
  });

  it('makes a second run wait while the first holds the session', async () => {
    const session = await newSession();
    const slow = await request('POST', '/v1/run/tasks', { prompt: 'Open the page. [slow-set]', url: `${site.baseUrl}/set?v=slow`, browser_session_id: session.browser_session_id });
    await h.stack.waitForRun(slow.body.run_id, (r) => r.status === 'running', 30_000);
    const held = (await request('GET', `/v1/browser_sessions/${session.browser_session_id}`)).body;
    assert.equal(held.runnable_id, slow.body.run_id);
    assert.equal(held.runnable_type, 'task');

    const waiting = await request('POST', '/v1/run/tasks', { prompt: 'Open the page. [show-state]', url: `${site.baseUrl}/show`, browser_session_id: session.browser_session_id });
    assert.equal(waiting.status, 200);
    // While the slow run holds the session, the second one stays queued (retried every RUN_SLOT_RETRY_MS).
    await new Promise((r) => setTimeout(r, 1200));
    const meanwhile = (await request('GET', `/v1/runs/${waiting.body.run_id}`)).body;
    assert.equal(meanwhile.status, 'queued');
    assert.equal((await request('GET', `/v1/runs/${slow.body.run_id}`)).body.status, 'running');

    const slowDone = await h.stack.waitForTerminal(slow.body.run_id, 60_000);
    const waitedDone = await h.stack.waitForTerminal(waiting.body.run_id, 60_000);
    assert.equal(slowDone.status, 'completed', slowDone.failure_reason);
    assert.equal(waitedDone.status, 'completed', waitedDone.failure_reason);
    const [a, b] = await Promise.all([slow.body.run_id, waiting.body.run_id].map((id) => h.stack.api.core.repos.runs.getById(id)));
    assert.ok(b!.startedAt! >= a!.finishedAt!, 'the second run started only after the first finished');
    assert.deepEqual(await lastShow(), { cookie: 'sid=slow', ls: '?ls=ls-slow' });
    await request('POST', `/v1/browser_sessions/${session.browser_session_id}/close`);
  });

  it('fails a queued run whose session was closed before it could start', async () => {
    const session = await newSession();
    const slow = await request('POST', '/v1/run/tasks', { prompt: 'Open the page. [slow-set]', url: `${site.baseUrl}/set?v=x`, browser_session_id: session.browser_session_id });
    await h.stack.waitForRun(slow.body.run_id, (r) => r.status === 'running', 30_000);
    const queued = await request('POST', '/v1/run/tasks', { prompt: 'Open the page. [show-state]', url: `${site.baseUrl}/show`, browser_session_id: session.browser_session_id });
    await request('POST', `/v1/browser_sessions/${session.browser_session_id}/close`);
    const run = await h.stack.waitForTerminal(queued.body.run_id, 60_000);
    assert.equal(run.status, 'failed');
    assert.equal(run.failure_reason, `Browser session ${session.browser_session_id} has ended (status completed); create a new browser session and run again.`);
    const holder = await h.stack.waitForTerminal(slow.body.run_id, 60_000);
    assert.equal(holder.status, 'failed', 'the run that was using the browser when it closed fails too');
  });

  it('saves a live session as a profile that seeds new runs and sessions', async () => {
    const session = await newSession();
    assert.equal((await setState('beta', { browser_session_id: session.browser_session_id })).status, 'completed');
    const created = await request('POST', '/v1/browser_profiles', { name: '  Beta login ', description: 'logged in as beta', browser_session_id: session.browser_session_id });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assertMatchesReference('BrowserProfile', created.body);
    assert.equal(created.body.name, 'Beta login');
    const profileId = created.body.browser_profile_id as string;
    assert.match(profileId, /^bp_\d+$/);
    await request('POST', `/v1/browser_sessions/${session.browser_session_id}/close`);

    // A run (no session) starts with the profile's cookie and localStorage.
    seen.length = 0;
    const seeded = await showState({ browser_profile_id: profileId });
    assert.equal(seeded.status, 'completed', seeded.failure_reason);
    assert.deepEqual(await lastShow(), { cookie: 'sid=beta', ls: '?ls=ls-beta' });

    // So does a session created from it (seen through the user's own CDP connection).
    const fromProfile = await newSession({ browser_profile_id: profileId, url: `${site.baseUrl}/show` });
    assert.equal(fromProfile.browser_profile_id, profileId);
    assert.deepEqual(await lastShow(), { cookie: 'sid=beta', ls: '?ls=ls-beta' });
    await request('POST', `/v1/browser_sessions/${fromProfile.browser_session_id}/close`);
    // Started from a profile, it kept its final state: it can become a profile after it ended.
    const fromEnded = await request('POST', '/v1/browser_profiles', { name: 'from ended', browser_session_id: fromProfile.browser_session_id });
    assert.equal(fromEnded.status, 200, JSON.stringify(fromEnded.body));
  });

  it('lists, updates, searches and deletes profiles; refuses duplicates and sources without state', async () => {
    const a = await request('POST', '/v1/browser_profiles', { name: 'Shop account' });
    assert.equal(a.status, 200);
    const dup = await request('POST', '/v1/browser_profiles', { name: 'Shop account' });
    assert.equal(dup.status, 409);
    assert.match(dup.body.detail, /already exists/);
    const b = await request('POST', '/v1/browser_profiles', { name: 'Bank', description: 'the shop backup', proxy_location: 'RESIDENTIAL_GB' });
    assert.equal(b.body.proxy_location, 'RESIDENTIAL_GB');

    const searched = await request('GET', '/v1/browser_profiles?search_key=SHOP&page_size=50');
    assert.equal(searched.status, 200);
    for (const p of searched.body) assertMatchesReference('BrowserProfile', p);
    assert.deepEqual(searched.body.map((p: any) => p.name).sort(), ['Bank', 'Shop account']);
    const paged = await request('GET', '/v1/browser_profiles?page=1&page_size=1');
    assert.equal(paged.body.length, 1);

    const renamed = await request('PATCH', `/v1/browser_profiles/${a.body.browser_profile_id}`, { name: 'Shop (main)' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.name, 'Shop (main)');
    assert.equal((await request('PATCH', `/v1/browser_profiles/${a.body.browser_profile_id}`, { name: 'Bank' })).status, 409);
    assert.equal((await request('PATCH', `/v1/browser_profiles/${a.body.browser_profile_id}`, {})).status, 422);
    const rotated = await request('PATCH', `/v1/browser_profiles/${a.body.browser_profile_id}`, { rotate_proxy_session_id: true });
    assert.match(rotated.body.proxy_session_id, /^[0-9a-f]{16}$/);

    const deleted = await request('DELETE', `/v1/browser_profiles/${b.body.browser_profile_id}`);
    assert.equal(deleted.status, 204);
    assert.equal((await request('GET', `/v1/browser_profiles/${b.body.browser_profile_id}`)).status, 404);
    assert.equal((await request('DELETE', `/v1/browser_profiles/${b.body.browser_profile_id}`)).status, 404);
    const withDeleted = await request('GET', '/v1/browser_profiles?include_deleted=true&search_key=bank');
    assert.equal(withDeleted.body[0].deleted_at !== null, true);
    assert.equal((await request('POST', '/v1/browser_profiles', { name: 'Bank' })).status, 200, 'a deleted profile frees its name');
    assert.deepEqual((await request('GET', '/v1/browser_profiles?managed=true')).body, []);
    const run = await request('POST', '/v1/run/tasks', { prompt: 'x', browser_profile_id: b.body.browser_profile_id });
    assert.equal(run.status, 404, 'a deleted profile cannot seed runs');

    // Sources without state.
    const plain = await newSession();
    await request('POST', `/v1/browser_sessions/${plain.browser_session_id}/close`);
    const noState = await request('POST', '/v1/browser_profiles', { name: 'nothing', browser_session_id: plain.browser_session_id });
    assert.equal(noState.status, 400);
    assert.match(noState.body.detail, /generate_browser_profile=true/);
    assert.equal((await request('POST', '/v1/browser_profiles', { name: 'x', browser_session_id: 'pbs_1' })).status, 404);
    assert.equal((await request('POST', '/v1/browser_profiles', { name: 'x', browser_session_id: 'pbs_1', workflow_run_id: 'wr_1' })).status, 422);
    assert.equal((await request('POST', '/v1/browser_profiles', { name: '   ' })).status, 422);
    assert.equal((await request('POST', '/v1/browser_profiles', {})).status, 422);
    assert.equal((await request('GET', '/v1/browser_profiles/bp_404')).status, 404);
  });

  it('shares a session between workflow runs, and turns a persisted workflow run into a profile', async () => {
    const goto = (title: string, extra: Record<string, unknown> = {}) => createWorkflow(h.stack, title, {
      ...extra,
      workflow_definition: {
        parameters: [{ key: 'path', parameter_type: 'workflow', workflow_parameter_type: 'string' }],
        blocks: [{ block_type: 'goto_url', label: 'open', url: `${site.baseUrl}{{ path }}` }, { block_type: 'wait', label: 'settle', wait_sec: 1 }],
      },
    });
    const runWorkflow = async (wpid: string, path: string, extra: Record<string, unknown> = {}) => {
      const created = await request('POST', '/v1/run/agents', { agent_id: wpid, parameters: { path }, ...extra });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const run = await h.stack.waitForTerminal(created.body.run_id, 60_000);
      assert.equal(run.status, 'completed', run.failure_reason);
      return run;
    };

    const wpid = await goto('session workflow');
    const session = await newSession();
    await runWorkflow(wpid, '/set?v=wf', { browser_session_id: session.browser_session_id });
    seen.length = 0;
    await runWorkflow(wpid, '/show', { browser_session_id: session.browser_session_id });
    assert.deepEqual(await lastShow(), { cookie: 'sid=wf', ls: '?ls=ls-wf' });
    // A task run in the same session sees what the workflow run left.
    await showState({ browser_session_id: session.browser_session_id });
    assert.deepEqual(await lastShow(), { cookie: 'sid=wf', ls: '?ls=ls-wf' });
    await request('POST', `/v1/browser_sessions/${session.browser_session_id}/close`);

    const persisted = await goto('persisted workflow', { persist_browser_session: true });
    const saved = await runWorkflow(persisted, '/set?v=persisted');
    const profile = await request('POST', '/v1/browser_profiles', { name: 'from run', workflow_run_id: saved.run_id });
    assert.equal(profile.status, 200, JSON.stringify(profile.body));
    seen.length = 0;
    await runWorkflow(wpid, '/show', { browser_profile_id: profile.body.browser_profile_id });
    assert.deepEqual(await lastShow(), { cookie: 'sid=persisted', ls: '?ls=ls-persisted' });

    const plainRun = await runWorkflow(wpid, '/set?v=plain');
    const refused = await request('POST', '/v1/browser_profiles', { name: 'plain run', workflow_run_id: plainRun.run_id });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.detail, 'Workflow does not persist browser sessions');
    assert.equal((await request('POST', '/v1/browser_profiles', { name: 'x', workflow_run_id: 'wr_404' })).status, 404);
  });
});
