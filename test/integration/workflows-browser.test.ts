// The run's one browser across blocks, and persist_browser_session: cookies and localStorage a
// completed run leaves are there in the next run of the same workflow (and only then).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serveBrowserStateSite, type SeenRequest } from '../fixtures/sites/browser-state-site.ts';
import { startStack, type TestStack } from '../support/stack.ts';

describe('workflow browser: one per run, persisted between runs', () => {
  let stack: TestStack;
  let site: Awaited<ReturnType<typeof serveBrowserStateSite>>['site'];
  let seen: SeenRequest[];
  before(async () => {
    ({ site, seen } = await serveBrowserStateSite());
    stack = await startStack({ worker: true, env: { LLM_KEY: '' } });
  });
  after(async () => { await stack.close(); await site.close(); });

  const workflow = async (persist: boolean) => (await stack.request('POST', '/v1/agents', {
    json_definition: {
      title: `persist ${persist}`, persist_browser_session: persist,
      workflow_definition: {
        parameters: [{ key: 'path', parameter_type: 'workflow', workflow_parameter_type: 'string' }],
        blocks: [
          { block_type: 'goto_url', label: 'open', url: `${site.baseUrl}{{ path }}` },
          { block_type: 'wait', label: 'settle', wait_sec: 1 },
        ],
      },
    },
  })).body.workflow_permanent_id as string;

  const runPath = async (wpid: string, path: string, extra: Record<string, unknown> = {}) => {
    const created = await stack.request('POST', '/v1/run/agents', { agent_id: wpid, parameters: { path }, ...extra });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const run = await stack.waitForTerminal(created.body.run_id, 60_000);
    assert.equal(run.status, 'completed', run.failure_reason);
    return run;
  };
  const lastShow = () => ({
    cookie: seen.filter((s) => s.path === '/show').at(-1)?.cookie,
    ls: seen.filter((s) => s.path === '/report').at(-1)?.query,
  });

  it('carries the cookie and localStorage into the next run of the same workflow', async () => {
    const wpid = await workflow(true);
    await runPath(wpid, '/set?v=first');
    await runPath(wpid, '/show');
    assert.equal(lastShow().cookie, 'sid=first');
    assert.equal(lastShow().ls, '?ls=ls-first');

    // start_fresh_browser ignores the saved state (and does not overwrite it).
    await runPath(wpid, '/show', { start_fresh_browser: true });
    assert.equal(lastShow().cookie, undefined);
    assert.equal(lastShow().ls, '?ls=none');
    await runPath(wpid, '/show');
    assert.equal(lastShow().cookie, 'sid=first');

    // reset_profile forgets it.
    const reset = await stack.request('POST', `/v1/agents/${wpid}/browser_session/reset_profile`);
    assert.equal(reset.status, 204);
    await runPath(wpid, '/show');
    assert.equal(lastShow().cookie, undefined);
  });

  it('keeps nothing between runs of a workflow that does not persist its session', async () => {
    const wpid = await workflow(false);
    await runPath(wpid, '/set?v=second');
    await runPath(wpid, '/show');
    assert.equal(lastShow().cookie, undefined);
  });

  it('shares one browser between the blocks of a run', async () => {
    const created = await stack.request('POST', '/v1/agents', {
      json_definition: {
        title: 'shared', workflow_definition: { parameters: [], blocks: [
          { block_type: 'goto_url', label: 'a', url: `${site.baseUrl}/set?v=shared` },
          { block_type: 'goto_url', label: 'b', url: `${site.baseUrl}/show` },
        ] },
      },
    });
    const run = await stack.request('POST', '/v1/run/agents', { agent_id: created.body.workflow_permanent_id });
    assert.equal((await stack.waitForTerminal(run.body.run_id, 60_000)).status, 'completed');
    assert.equal(lastShow().cookie, 'sid=shared', 'block b ran in the browser block a set the cookie in');
  });
});
