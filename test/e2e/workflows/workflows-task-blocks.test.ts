// Each task-like block kind through the real agent on the run's shared browser: task (navigate,
// then extract), action, login (default goal + parameter payload), validation (complete and
// terminate), file_download, task_v2 (planner).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serveFixtures, type FixtureServer } from '../../fixtures/sites/server.ts';
import { startStack, type TestStack } from '../../support/stack.ts';
import { act, click, complete, simpleBrain, type, verdict, type AgentCall } from '../agent/support/scripted-agent.ts';
import { startWorkflowLlm, type WorkflowLlm } from './support/scripted-workflow-llm.ts';

const products = (call: AgentCall) => ({ products: [...call.page.text.matchAll(/^(SKU-\d+) \| (.+?) \| \$([\d.]+)$/gm)].map((m) => ({ sku: m[1], name: m[2] })) });
const CREDENTIALS = [
  { key: 'username', parameter_type: 'workflow', workflow_parameter_type: 'string', default_value: 'alice' },
  { key: 'password', parameter_type: 'workflow', workflow_parameter_type: 'string', default_value: 'wonderland' },
];
const signIn = (call: AgentCall) => {
  const payload = JSON.parse(/Information to use \(JSON\): (.*)/.exec(call.prompt)![1]);
  return act('Sign in', type(call.page.find('Username'), payload.username), type(call.page.find('Password'), payload.password), click(call.page.find('Sign in', 'button')));
};

describe('task-like blocks through the agent', { concurrency: 3 }, () => {
  let stack: TestStack;
  let model: WorkflowLlm;
  let site: FixtureServer;
  before(async () => {
    [model, site] = await Promise.all([startWorkflowLlm(() => ({ llm_response: 'unused' })), serveFixtures()]);
    stack = await startStack({ worker: true, env: model.env });
  });
  after(async () => { await stack?.close(); await model?.close(); await site?.close(); });

  async function runBlocks(title: string, blocks: unknown[], parameters: unknown[] = []) {
    const created = await stack.request('POST', '/v1/agents', { json_definition: { title, workflow_definition: { parameters, blocks } } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const run = await stack.request('POST', '/v1/run/agents', { agent_id: created.body.workflow_permanent_id });
    return stack.waitForTerminal(run.body.run_id, 120_000);
  }

  it('task: navigates, then extracts to its schema', async () => {
    model.on('[blk-task]', simpleBrain(/Page 2 of 3/, ({ page }) => act('Next', click(page.find('Next page'))), products));
    const run = await runBlocks('task', [{
      block_type: 'task', label: 'browse', url: `${site.baseUrl}/products.html`, navigation_goal: 'Open the second page of the catalog. [blk-task]',
      data_extraction_goal: 'Extract the products shown', data_schema: { type: 'object', properties: { products: { type: 'array' } } },
    }]);
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(run.output.browse_output.extracted_information.products[0].sku, 'SKU-006');
    assert.deepEqual(run.output.extracted_information, [run.output.browse_output.extracted_information]);
  });

  it('action: takes its one action', async () => {
    model.on('[blk-action]', simpleBrain(/Page 2 of 3/, ({ page }) => act('Next', click(page.find('Next page')))));
    const run = await runBlocks('action', [{ block_type: 'action', label: 'next', url: `${site.baseUrl}/products.html`, navigation_goal: 'Click "Next page". [blk-action]' }]);
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(run.output.next_output.status, 'completed');
  });

  it('login (default goal, credentials from parameter_keys) then validation on the same browser', async () => {
    model.on('Log in using the provided credentials', simpleBrain(/Welcome, alice!/, signIn));
    model.on('[blk-validate]', (call) => (call.kind === 'check' ? verdict(call.page.has('Welcome, alice!')) : act('It greets alice', { action_type: 'complete' })));
    const run = await runBlocks('login + validation', [
      { block_type: 'login', label: 'sign_in', url: `${site.baseUrl}/login.html`, parameter_keys: ['username', 'password'] },
      { block_type: 'validation', label: 'greeted', complete_criterion: 'The page greets alice [blk-validate]' },
    ], CREDENTIALS);
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(run.output.greeted_output.status, 'completed');
  });

  it('validation that fails its check terminates the run', async () => {
    model.on('[blk-open]', (call) => (call.kind === 'check' ? verdict(true) : act('Already there', { action_type: 'complete' })));
    model.on('[blk-reject]', (call) => (call.kind === 'check' ? verdict(false) : act('Not greeted', { action_type: 'terminate', reason: 'The page does not greet bob' })));
    const run = await runBlocks('validation terminate', [
      { block_type: 'navigation', label: 'open', url: `${site.baseUrl}/welcome.html?user=alice`, navigation_goal: 'Open the page [blk-open]' },
      { block_type: 'validation', label: 'greets_bob', complete_criterion: 'The page greets bob', terminate_criterion: 'Anyone else is greeted [blk-reject]' },
    ]);
    assert.equal(run.status, 'terminated');
    assert.match(run.failure_reason, /^validation block terminated\. failure reason: The page does not greet bob/);
  });

  it('file_download: the file lands in the run\'s downloaded_files', async () => {
    model.on('[blk-download]', (call) => {
      if (call.kind === 'check') return verdict(/saved report\.csv/.test(call.sections['ACTIONS TAKEN'] ?? ''));
      if (/saved report\.csv/.test(call.sections['PREVIOUS STEPS'] ?? '')) return act('Saved', complete());
      return act('Download', { action_type: 'download_file', element_id: call.page.find(/Download sales report/) });
    });
    const run = await runBlocks('download', [{ block_type: 'file_download', label: 'get_report', url: `${site.baseUrl}/download.html`, navigation_goal: 'Download the sales report. [blk-download]' }]);
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.deepEqual(run.downloaded_files.map((f: any) => f.filename), ['report.csv']);
  });

  it('task_v2: the planner runs mini-goals on the shared browser', async () => {
    model.on('[blk-v2]', (call) => {
      if (call.kind === 'plan') {
        const done = call.sections['DONE SO FAR'] ?? '';
        if (/\[completed\] \(navigate\)/.test(done)) return { thoughts: 'signed in', task_achieved: true, should_terminate: false, next_goals: [], output: { greeted: true } };
        return { thoughts: 'sign in', task_achieved: false, next_goals: [{ goal: 'Sign in with username alice and password wonderland', kind: 'navigate' }] };
      }
      if (call.kind === 'action' && call.page.has('Welcome, alice!')) return act('Signed in', complete(null, 'Welcome, alice!'));
      if (call.kind === 'action') return act('Sign in', type(call.page.find('Username'), 'alice'), type(call.page.find('Password'), 'wonderland'), click(call.page.find('Sign in', 'button')));
      return verdict(call.page.has('Welcome, alice!'));
    });
    const run = await runBlocks('v2', [{ block_type: 'task_v2', label: 'planner', url: `${site.baseUrl}/login.html`, prompt: 'Sign in as alice. [blk-v2]' }]);
    assert.equal(run.status, 'completed', run.failure_reason);
    assert.equal(run.output.planner_output.status, 'completed');
  });
});
