// Step records are written in the background while the next step runs (LoopState.deferWrite):
// the loop must still return only once every step row is finished, and a failed write must still
// fail the run. Real Chromium on a fixture page, an in-memory recorder with slow writes, a fake model.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import pino from 'pino';
import { startBrowserHarness, type BrowserHarness } from '../../../test/support/browser.ts';
import type { LlmClient, LlmRequest, LlmResult } from '../../llm/index.ts';
import type { RunRecorder } from '../ports.ts';
import { runAgentLoop } from './agent-loop.ts';
import { SecretVault } from './secrets.ts';
import { DEFAULT_AGENT_SETTINGS, type AgentRuntime } from './types.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records the order of calls; finishing a step takes `finishMs` (a slow database). */
function slowRecorder(finishMs: number, failFinish = false) {
  const events: string[] = [];
  const status = new Map<string, string>();
  const recorder: RunRecorder = {
    async startStep(order) { const id = `stp_${order}`; events.push(`start ${id}`); status.set(id, 'running'); return id; },
    async finishStep(id, record) {
      await sleep(finishMs);
      if (failFinish) throw new Error('database is gone');
      status.set(id, record.status);
      events.push(`finish ${id}`);
    },
    async saveArtifact() { await sleep(finishMs / 2); return 'a'; },
    async saveArtifactFile() { return 'a'; },
    async addUsage() {},
  };
  return { recorder, events, status };
}

/** Types the name on the first step, clicks on the second, and says "complete" quoting the greeting on the third. */
function greeter(): LlmClient {
  let actionCalls = 0;
  return {
    configured: true, problems: [], supportsVision: false,
    async complete(req: LlmRequest): Promise<LlmResult> {
      const id = (label: string) => new RegExp(`\\[(e\\d+)\\] [^\\n]*${label}`).exec(req.prompt)![1];
      let json: unknown;
      if (req.purpose === 'check') json = { thoughts: 'checked', user_goal_achieved: /Hello, Ada!/.test(req.prompt) };
      else if (/Hello, Ada!/.test(req.prompt)) json = { actions: [{ action_type: 'complete', evidence: 'Hello, Ada!' }] };
      else json = { actions: [++actionCalls === 1 ? { action_type: 'input_text', element_id: id('Guest name'), text: 'Ada' } : { action_type: 'click', element_id: id('Greet me') }] };
      return { text: JSON.stringify(json), json, usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, model: 'fake', llmKey: 'FAKE', latencyMs: 1 };
    },
  };
}

describe('step records written in the background', () => {
  let harness: BrowserHarness;
  before(async () => { harness = await startBrowserHarness(); });
  after(async () => { await harness?.close(); });

  async function runtime(recorder: RunRecorder): Promise<AgentRuntime> {
    const session = await harness.openSession('/shadow.html');
    const browser = { context: session.context, session, page: () => session.page, downloadsDir: session.downloadDir };
    return {
      env: { browser, recorder, signal: new AbortController().signal, logger: pino({ level: 'silent' }) },
      session, llm: greeter(), secrets: new SecretVault(), budget: { max: 5, used: 0 },
      settings: { ...DEFAULT_AGENT_SETTINGS, tempDir: tmpdir() }, userText: 'Greet Ada',
    };
  }

  it('starts the next step before the last one is written, and returns only when all are', async () => {
    const mem = slowRecorder(300);
    const { outcome } = await runAgentLoop(await runtime(mem.recorder), { goal: 'Greet the guest Ada' });
    assert.equal(outcome.status, 'completed');
    assert.deepEqual([...mem.status.values()], ['completed', 'completed', 'completed'], 'no step row is left running');
    assert.ok(mem.events.indexOf('start stp_1') < mem.events.indexOf('finish stp_0'), `the second step did not wait for the first one's row: ${mem.events.join(', ')}`);
  });

  it('fails the run when a step record cannot be written', async () => {
    const mem = slowRecorder(10, true);
    await assert.rejects(runAgentLoop(await runtime(mem.recorder), { goal: 'Greet the guest Ada' }), /database is gone/);
  });
});
