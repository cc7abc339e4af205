// An in-memory WorkflowEnv for engine tests: block rows in an array, handlers supplied by the
// test, no browser, a scripted LLM function.
import { parseAndValidateDefinitionInput, toWorkflowResponseDefinition, type BlockType } from '../../src/domain/workflow/index.ts';
import type { LlmClient, LlmRequest, LlmResult } from '../../src/llm/types.ts';
import type { RunRecorder } from '../../src/engine/ports.ts';
import type { BlockHandler } from '../../src/engine/workflow/blocks/block-handler.ts';
import type { BlockRowFinish, BlockRowStart, WorkflowEnv, WorkflowRunInput } from '../../src/engine/workflow/ports.ts';
import type { TaskBlockExecutor } from '../../src/engine/workflow/task-block-port.ts';
import { createLogger } from '../../src/log/logger.ts';

export interface FakeRow extends BlockRowStart { id: string; status: string; output?: unknown; failureReason?: string | null; loopValues?: unknown[] }

export function fakeLlm(answer: (req: LlmRequest) => unknown): LlmClient & { calls: LlmRequest[] } {
  const calls: LlmRequest[] = [];
  return {
    calls, configured: true, problems: [], supportsVision: false,
    async complete(req): Promise<LlmResult> {
      calls.push(req);
      const value = answer(req);
      return { text: JSON.stringify(value), json: value, usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, model: 'fake', llmKey: 'FAKE', latencyMs: 1 };
    },
  };
}

const noRecorder: RunRecorder = {
  async startStep() { return 'stp_1'; }, async finishStep() {}, async saveArtifact() { return 'a_1'; },
  async saveArtifactFile() { return 'a_1'; }, async addUsage() {},
};

export function fakeEnv(opts: {
  handlers?: Partial<Record<BlockType, BlockHandler>>; llm?: LlmClient; taskBlocks?: TaskBlockExecutor; signal?: AbortSignal;
  maxLoopIterations?: number; strict?: boolean;
} = {}) {
  const rows: FakeRow[] = [];
  const runOutputs: unknown[] = [];
  const env: WorkflowEnv = {
    store: {
      async startBlock(row) { rows.push({ ...row, id: row.blockRunId, status: 'running' }); },
      async updateBlock(id, patch) { Object.assign(rows.find((r) => r.id === id)!, patch); },
      async finishBlock(id, result: BlockRowFinish) { Object.assign(rows.find((r) => r.id === id)!, result); },
      async saveRunOutput(output) { runOutputs.push(output); },
    },
    browser: async () => { throw new Error('no browser in engine tests'); },
    openedBrowser: () => undefined,
    recorder: noRecorder,
    llm: opts.llm ?? fakeLlm(() => ({})),
    handlers: opts.handlers ?? {},
    taskBlocks: opts.taskBlocks,
    settings: {
      codeBlockEnabled: false, codeBlockTimeoutMs: 1000, smtp: {}, httpRequestDefaultTimeoutMs: 1000,
      maxLoopIterations: opts.maxLoopIterations ?? 1000, templatingStrictness: opts.strict ? 'strict' : 'lax', defaultMaxSteps: 10,
    },
    signal: opts.signal ?? new AbortController().signal,
    logger: createLogger('silent', 'test'),
    now: () => new Date('2026-01-31T12:00:00Z'),
  };
  return { env, rows, runOutputs };
}

/** Parses and validates a definition (JSON request form) the way a save does, and builds the run input. */
export function runInput(request: Record<string, unknown>, parameters: Record<string, unknown> = {}, extra: Partial<WorkflowRunInput> = {}): WorkflowRunInput {
  const parsed = parseAndValidateDefinitionInput({ json_definition: request }).request;
  let id = 0;
  return {
    runId: 'wr_1', organizationId: 'o_1', workflowId: 'w_1', workflowPermanentId: 'wpid_1', workflowTitle: parsed.title,
    definition: parsed.workflow_definition,
    responseDefinition: toWorkflowResponseDefinition(parsed, { newId: (p) => `${p}_${++id}`, now: '2026-01-31T12:00:00.000000', workflowId: 'w_1' }),
    parameters, maxStepsOverride: null, browserSessionId: null, ...extra,
  };
}

/** A handler that outputs the block's rendered fields (what templates produced), for assertions. */
export const echoHandler: BlockHandler = async (ctx) => {
  const { block_type: _t, label: _l, ...fields } = ctx.block as Record<string, unknown>;
  return { status: 'completed', output: fields };
};

export const failHandler = (reason = 'boom'): BlockHandler => async () => ({ status: 'failed', output: null, failureReason: reason });
