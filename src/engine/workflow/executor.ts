// Walks lists of blocks (the top level, a loop body) and executes one block at a time: render
// its fields, record its `wrb_…` row, hand it to its handler, record its output. Control blocks
// (loops, conditional) and task-like blocks live in `blocks/`; the rest are standalone handlers.
import { BlockWalk, type BlockYaml, type LoopBlockYaml, type ResponseBlock } from '../../domain/workflow/index.ts';
import { generateId, ID_PREFIX } from '../../domain/ids.ts';
import type { BlockStatus } from './blocks/block-handler.ts';
import { runConditionalBlock } from './blocks/conditional.block.ts';
import { runForLoopBlock } from './blocks/for-loop.block.ts';
import { runStandaloneBlock } from './blocks/standalone-adapter.ts';
import { isTaskLikeBlock, runTaskLikeBlock } from './blocks/task-like.block.ts';
import { runWhileLoopBlock } from './blocks/while-loop.block.ts';
import type { WorkflowEnv, WorkflowRunInput } from './ports.ts';
import { makeRenderer, renderBlock, timelineDetails, type Renderer } from './render-block.ts';
import type { LoopFrame, WorkflowRunState } from './run-state.ts';
import { TemplateError } from './template/index.ts';

export interface ExecutedBlock {
  status: BlockStatus;
  output: unknown;
  failureReason: string | null;
  /** Conditional blocks: the target of the branch taken (null = the branch has none). */
  branchTarget?: string | null;
  /** Extra fields for the execution's timeline entry (merged over what was recorded at start). */
  details?: Record<string, unknown>;
}

export type StopStatus = Exclude<BlockStatus, 'completed'>;
export type ScopeResult =
  | { status: 'completed' }
  /** `skippedIteration`: a failure inside a loop body that moves the loop to its next iteration. */
  | { status: StopStatus; failureReason: string | null; skippedIteration?: boolean };

/** Everything a block implementation gets besides its block. */
export interface BlockExecution {
  exec: WorkflowExecutor;
  frames: LoopFrame[];
  blockRunId: string;
  render: Renderer;
}

/** Called after each block of a scope finishes (loops collect their per-iteration output with it). */
export type BlockObserver = (block: BlockYaml, result: ExecutedBlock) => void;

export class WorkflowExecutor {
  /** Response-form blocks by label: output parameter objects and conditional branch ids. */
  readonly responseBlocks = new Map<string, ResponseBlock>();

  constructor(readonly input: WorkflowRunInput, readonly env: WorkflowEnv, readonly state: WorkflowRunState) {
    const index = (blocks: ResponseBlock[]) => {
      for (const b of blocks) {
        this.responseBlocks.set(b.label, b);
        if (Array.isArray(b.loop_blocks)) index(b.loop_blocks as ResponseBlock[]);
      }
    };
    index(input.responseDefinition.blocks);
  }

  /** The status of work stopped by the run's abort signal. */
  abortStatus(): 'canceled' | 'timed_out' {
    return this.env.signal.reason === 'timed_out' ? 'timed_out' : 'canceled';
  }

  /**
   * Runs a list of blocks in walk order. A failure stops the list unless the block has
   * `continue_on_failure`; inside a loop, `next_loop_on_failure` (block or loop) or the loop's own
   * `continue_on_failure` ends just this iteration.
   */
  async runScope(walk: BlockWalk, frames: LoopFrame[], parentId: string | null, loop?: LoopBlockYaml, observe?: BlockObserver): Promise<ScopeResult> {
    let step = walk.start();
    while ('next' in step && step.next !== null) {
      if (this.env.signal.aborted) return { status: this.abortStatus(), failureReason: null };
      const block = walk.block(step.next)!;
      const result = await this.executeBlock(block, frames, parentId);
      observe?.(block, result);
      if (frames.length === 0) await this.env.store.saveRunOutput(this.state.runOutput());
      if (result.status === 'canceled') return { status: 'canceled', failureReason: result.failureReason };
      if (result.status !== 'completed' && !block.continue_on_failure) {
        const verb = result.status === 'terminated' ? 'terminated' : 'failed';
        const failureReason = `${block.block_type} block ${verb}. failure reason: ${result.failureReason ?? 'unknown'}`;
        const skippedIteration = Boolean(loop && (block.next_loop_on_failure || loop.next_loop_on_failure || loop.continue_on_failure));
        return { status: result.status, failureReason, skippedIteration };
      }
      step = walk.next(block.label, block.block_type === 'conditional' && result.status === 'completed' ? (result.branchTarget ?? null) : undefined);
    }
    if ('error' in step) return { status: 'failed', failureReason: step.error };
    return { status: 'completed' };
  }

  async executeBlock(block: BlockYaml, frames: LoopFrame[], parentId: string | null): Promise<ExecutedBlock> {
    const frame = frames.at(-1);
    const render = makeRenderer(this.state.templateContext(frames), { strictness: this.env.settings.templatingStrictness });
    let rendered: BlockYaml | undefined;
    let renderError: string | undefined;
    try {
      rendered = renderBlock(block, render);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      renderError = `Failed to render the block's templates: ${error.message}`;
    }
    const taskId = isTaskLikeBlock(block) ? generateId(ID_PREFIX.task) : null;
    const details = rendered ? timelineDetails(rendered) : {};
    const blockRunId = generateId(ID_PREFIX.workflowRunBlock);
    await this.env.store.startBlock({
      blockRunId, blockType: block.block_type, label: block.label, parentBlockRunId: parentId, continueOnFailure: block.continue_on_failure ?? false,
      currentValue: frame ? describeValue(frame.currentValue) : null, currentIndex: frame?.currentIndex ?? null, taskId,
      details,
    });
    let result: ExecutedBlock;
    if (!rendered) {
      result = { status: 'failed', output: null, failureReason: renderError ?? 'Block could not be rendered' };
    } else {
      result = await this.dispatch(rendered, { exec: this, frames, blockRunId, render }, taskId);
    }
    if (this.env.signal.aborted && result.status !== 'completed') result = { ...result, status: this.abortStatus() };
    await this.env.store.finishBlock(blockRunId, {
      status: result.status, output: result.output ?? null, failureReason: result.failureReason,
      ...(result.details ? { details: { ...details, ...result.details } } : {}),
    });
    if (result.output !== undefined) this.state.recordOutput(block.label, result.output);
    return result;
  }

  private async dispatch(block: BlockYaml, run: BlockExecution, taskId: string | null): Promise<ExecutedBlock> {
    try {
      switch (block.block_type) {
        case 'for_loop': return await runForLoopBlock(block, run);
        case 'while_loop': return await runWhileLoopBlock(block, run);
        case 'conditional': return await runConditionalBlock(block, run);
        default:
          if (taskId) return await runTaskLikeBlock(block, run, taskId);
          return await runStandaloneBlock(block, run);
      }
    } catch (error) {
      if (this.env.signal.aborted) return { status: this.abortStatus(), output: null, failureReason: null };
      this.env.logger.warn({ err: error, label: block.label, block_type: block.block_type }, 'block crashed');
      return { status: 'failed', output: null, failureReason: (error as Error).message || String(error) };
    }
  }
}

/** `current_value` is a string in the contract: non-strings are stored as JSON. */
export function describeValue(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  try { return JSON.stringify(value); } catch { return String(value); }
}
