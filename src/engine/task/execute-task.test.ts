// The task engine without Postgres, Redis or HTTP: real Chromium on the fixture sites, an in-memory
// recorder and a fake LlmClient. Checks what only the engine can see: the LlmRequest fields.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startBrowserHarness, type BrowserHarness } from '../../../test/support/browser.ts';
import { LlmError, type LlmClient, type LlmRequest, type LlmResult } from '../../llm/index.ts';
import type { EngineEnv, RunRecorder } from '../ports.ts';
import { executeTask } from './execute-task.ts';

function memoryRecorder() {
  const steps: Array<{ id: string; order: number; retryIndex: number; status?: string; output?: any; usage?: any }> = [];
  const artifacts: Array<{ type: string; stepId?: string }> = [];
  const recorder: RunRecorder = {
    async startStep(order, opts) { const id = `stp_${steps.length}`; steps.push({ id, order, retryIndex: opts?.retryIndex ?? 0 }); return id; },
    async finishStep(id, record) { Object.assign(steps.find((s) => s.id === id)!, { status: record.status, output: record.output, usage: record.usage }); },
    async saveArtifact(type, _data, opts) { artifacts.push({ type, stepId: opts.stepId }); return 'a'; },
    async saveArtifactFile(type, _path, opts) { artifacts.push({ type, stepId: opts.stepId }); return 'a'; },
    async addUsage() {},
  };
  return { recorder, steps, artifacts };
}

function fakeLlm(answer: (req: LlmRequest) => unknown, opts: { vision?: boolean } = {}) {
  const requests: LlmRequest[] = [];
  const client: LlmClient = {
    configured: true, problems: [], supportsVision: opts.vision ?? false,
    async complete(req): Promise<LlmResult> {
      requests.push(req);
      const json = answer(req);
      if (json instanceof Error) throw json;
      return { text: JSON.stringify(json), json, usage: { inputTokens: 100, outputTokens: 10 }, costUsd: 0.001, model: 'fake', llmKey: 'FAKE', latencyMs: 1 };
    },
  };
  return { client, requests };
}

describe('executeTask (engine only)', () => {
  let harness: BrowserHarness;
  before(async () => { harness = await startBrowserHarness(); });
  after(async () => { await harness?.close(); });

  async function env(): Promise<{ env: EngineEnv; mem: ReturnType<typeof memoryRecorder> }> {
    const session = await harness.openSession('/shadow.html');
    const mem = memoryRecorder();
    const scratchDir = await mkdtemp(join(tmpdir(), 'skyport-engine-test-'));
    const browser = { context: session.context, session, page: () => session.page, downloadsDir: session.downloadDir, scratchDir };
    return { env: { browser, recorder: mem.recorder, signal: new AbortController().signal, logger: pino({ level: 'silent' }) }, mem };
  }

  it('passes the run\'s model and the screenshots to every call, and tallies usage per step', async () => {
    const { env: e, mem } = await env();
    const llm = fakeLlm((req) => {
      if (req.purpose === 'check') return { thoughts: 'greeted', user_goal_achieved: /Hello, Ada!/.test(req.prompt) };
      // Done: a bare claim (no quote), so the checker is asked.
      if (/Hello, Ada!/.test(req.prompt)) return { actions: [{ action_type: 'complete' }] };
      const id = (label: string) => new RegExp(`\\[(e\\d+)\\] [^\\n]*${label}`).exec(req.prompt)![1];
      return { actions: [{ action_type: 'input_text', element_id: id('Guest name'), text: 'Ada' }, { action_type: 'click', element_id: id('Greet me') }] };
    }, { vision: true });
    const request = { prompt: 'Greet Ada', url: null, model: { model_name: 'gpt-4.1' } };
    const outcome = await executeTask({ runId: 'tsk_1', organizationId: 'o_1', request, maxSteps: 3 }, e, llm.client);
    assert.equal(outcome.status, 'completed');
    assert.deepEqual(llm.requests.map((r) => r.purpose), ['action', 'action', 'check']);
    assert.ok(llm.requests.every((r) => r.model?.model_name === 'gpt-4.1' && r.images?.length === 1 && r.images[0]!.subarray(1, 4).toString() === 'PNG'));
    assert.deepEqual(mem.steps.map((s) => [s.order, s.status]), [[0, 'completed'], [1, 'completed']]);
    assert.deepEqual(mem.steps[0]!.usage, { inputTokens: 100, outputTokens: 10, costUsd: 0.001 });
    assert.deepEqual(mem.steps[1]!.usage, { inputTokens: 200, outputTokens: 20, costUsd: 0.002 }, 'the check counts in the step that claimed completion');
    assert.ok(mem.artifacts.some((a) => a.type === 'screenshot_llm'), 'vision models get screenshot_llm artifacts');
  });

  it('retries a step whose reply is unusable, then fails with the reason', async () => {
    const { env: e, mem } = await env();
    const llm = fakeLlm(() => ({ thoughts: 'hmm', actions: [{ action_type: 'teleport' }] }));
    const outcome = await executeTask({ runId: 'tsk_2', organizationId: 'o_1', request: { prompt: 'Greet Ada' }, maxSteps: 3 }, e, llm.client);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.failureReason!, /did not return a usable action after 3 attempts: .*unknown action_type "teleport"/);
    assert.deepEqual(mem.steps.map((s) => [s.order, s.retryIndex, s.status]), [[0, 0, 'failed'], [0, 1, 'failed'], [0, 2, 'failed']]);
    assert.match(String(llm.requests[1]!.prompt), /Your last reply could not be used: unknown action_type "teleport"/);
  });

  it('fails at once, with what to fix, when the provider rejects the configuration', async () => {
    const { env: e } = await env();
    const llm = fakeLlm(() => new LlmError('config', 'provider rejected the credentials (HTTP 401)', { retryable: false }));
    const outcome = await executeTask({ runId: 'tsk_3', organizationId: 'o_1', request: { prompt: 'Greet Ada' }, maxSteps: 3 }, e, llm.client);
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.failureReason!, /rejected the credentials.*Check the LLM settings/);
    assert.equal(llm.requests.length, 1);
  });
});
