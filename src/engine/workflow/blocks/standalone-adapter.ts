// Runs a block through its standalone handler (blocks/standalone/): builds the handler's context
// from the execution, with a recorder that files what the handler saves under its `wrb_…` row.
import type { BlockYaml } from '../../../domain/workflow/index.ts';
import type { RunRecorder } from '../../ports.ts';
import type { BlockExecution, ExecutedBlock } from '../executor.ts';
import type { BlockRunContext } from './block-handler.ts';

/** A recorder whose steps and artifacts belong to one block execution. */
export function recorderForBlock(recorder: RunRecorder, blockRunId: string): RunRecorder {
  return {
    startStep: (order, opts) => recorder.startStep(order, { ...opts, blockRunId: opts?.blockRunId ?? blockRunId }),
    finishStep: (stepId, record) => recorder.finishStep(stepId, record),
    saveArtifact: (type, data, opts) => recorder.saveArtifact(type, data, { ...opts, blockRunId: opts.blockRunId ?? blockRunId }),
    saveArtifactFile: (type, file, opts) => recorder.saveArtifactFile(type, file, { ...opts, blockRunId: opts.blockRunId ?? blockRunId }),
    addUsage: (usage) => recorder.addUsage(usage),
  };
}

export async function runStandaloneBlock(block: BlockYaml, run: BlockExecution): Promise<ExecutedBlock> {
  const { env, input } = run.exec;
  const handler = env.handlers[block.block_type];
  if (!handler) {
    return { status: 'failed', output: null, failureReason: `Blocks of type ${block.block_type} cannot run on this server yet` };
  }
  const ctx: BlockRunContext = {
    runId: input.runId,
    organizationId: input.organizationId,
    blockRunId: run.blockRunId,
    block,
    render: run.render,
    browser: env.browser,
    recorder: recorderForBlock(env.recorder, run.blockRunId),
    llm: env.llm,
    settings: env.settings,
    signal: env.signal,
    logger: env.logger.child({ block: block.label, block_type: block.block_type }),
  };
  const result = await handler(ctx);
  return { status: result.status, output: result.output, failureReason: result.failureReason ?? null };
}
