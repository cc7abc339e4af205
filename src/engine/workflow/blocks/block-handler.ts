// The contract between the workflow runner and each block kind: the runner walks the definition,
// renders templates, persists block rows and outputs; a handler only does its block's work.
import type { BlockYaml } from '../../../domain/workflow/index.ts';
import type { LlmClient } from '../../../llm/types.ts';
import type { Logger } from '../../../log/logger.ts';
import type { RunBrowser, RunRecorder } from '../../ports.ts';

export type BlockStatus = 'completed' | 'failed' | 'terminated' | 'canceled' | 'timed_out';

export interface BlockResult {
  status: BlockStatus;
  /** Recorded as `<label>_output`; an object, array, string or null (never a bare number or boolean). */
  output: unknown;
  failureReason?: string | null;
}

/** Settings a handler may need, resolved from config by the job. */
export interface BlockSettings {
  /** `code` blocks run only when ENABLE_CODE_BLOCK=true. */
  codeBlockEnabled: boolean;
  codeBlockTimeoutMs: number;
  smtp: { host?: string; port?: number; username?: string; password?: string; sender?: string; secure?: boolean };
  httpRequestDefaultTimeoutMs: number;
}

export interface BlockRunContext<B extends BlockYaml = BlockYaml> {
  runId: string;
  organizationId: string;
  /** ID of this block's execution row (`wrb_…`); artifacts and steps hang off it. */
  blockRunId: string;
  /** The block with every template string already rendered against the run's context. */
  block: B;
  /** Renders a string or nested value with the current template context (loop variables included). */
  render<T>(value: T): T;
  /** The workflow's single browser, opened on first use and shared by every block in order. */
  browser(): Promise<RunBrowser>;
  recorder: RunRecorder;
  llm: LlmClient;
  settings: BlockSettings;
  signal: AbortSignal;
  logger: Logger;
}

export type BlockHandler<B extends BlockYaml = BlockYaml> = (ctx: BlockRunContext<B>) => Promise<BlockResult>;
