// What the workflow runner needs from outside: where block executions are recorded, the run's
// shared browser, the LLM, block handlers and settings. The job builds these; tests fake them.
import type { BlockType, BlockYaml, WorkflowDefinitionResponse, WorkflowDefinitionYaml } from '../../domain/workflow/index.ts';
import type { LlmClient } from '../../llm/types.ts';
import type { Logger } from '../../log/logger.ts';
import type { RunBrowser, RunRecorder } from '../ports.ts';
import type { BlockHandler, BlockSettings, BlockStatus } from './blocks/block-handler.ts';
import type { ProvidedSecret } from '../agent/secrets.ts';
import type { TaskBlockExecutor, VerificationCodeFor } from './task-block-port.ts';
import type { BlockScripts } from '../scripts/ports.ts';

export interface BlockRowStart {
  /** `wrb_…`, chosen by the engine so recording can happen behind its back (see write-behind-store.ts). */
  blockRunId: string;
  blockType: string;
  label: string;
  /** The loop (or conditional) execution this one ran under. */
  parentBlockRunId: string | null;
  continueOnFailure: boolean;
  currentValue?: string | null;
  currentIndex?: number | null;
  taskId?: string | null;
  /** Rendered fields the timeline shows (url, goals, prompt…). */
  details?: Record<string, unknown>;
}

export interface BlockRowUpdate {
  output?: unknown;
  loopValues?: unknown[];
  details?: Record<string, unknown>;
}

export interface BlockRowFinish extends BlockRowUpdate {
  status: BlockStatus;
  failureReason?: string | null;
}

/** Block executions (`wrb_…` rows) and the run's output, as the run goes. */
export interface WorkflowRunStore {
  startBlock(row: BlockRowStart): Promise<void>;
  updateBlock(blockRunId: string, patch: BlockRowUpdate): Promise<void>;
  finishBlock(blockRunId: string, result: BlockRowFinish): Promise<void>;
  /** The run's `output` so far (`{<label>_output…, extracted_information}`), visible while it runs. */
  saveRunOutput(output: unknown): Promise<void>;
}

export interface WorkflowRunSettings extends BlockSettings {
  /** Iterations one loop may run (Skyvern: 1000). */
  maxLoopIterations: number;
  /** WORKFLOW_TEMPLATING_STRICTNESS: undefined variables render empty (`lax`) or fail the block (`strict`). */
  templatingStrictness: 'lax' | 'strict';
  /** Step cap of a task-like block that names none (MAX_STEPS_PER_RUN). */
  defaultMaxSteps: number;
}

export interface WorkflowRunInput {
  runId: string;
  organizationId: string;
  workflowId: string;
  workflowPermanentId: string;
  workflowTitle: string;
  definition: WorkflowDefinitionYaml;
  /** The stored response form: output parameter objects and conditional branch ids come from it. */
  responseDefinition: WorkflowDefinitionResponse;
  /** Workflow parameter values, already coerced (defaults applied). */
  parameters: Record<string, unknown>;
  /** `x-max-steps-override`: wins over every task-like block's own cap. */
  maxStepsOverride: number | null;
  browserSessionId: string | null;
  /** The request's `model` override for LLM calls, if any. */
  model?: { model_name?: string } | null;
  /** Run-level TOTP settings, used by task-like blocks that name none of their own. */
  totpUrl?: string | null;
  totpIdentifier?: string | null;
  /**
   * Secrets of the stored credentials the run's parameters name (their placeholders are the
   * parameter values); every task-like block's agent can fill them.
   */
  secrets?: ProvidedSecret[];
  /** Parameter key → the `totp_identifier` of the credential it holds: a block reading it polls pushed codes for that identifier. */
  credentialTotpIdentifiers?: Record<string, string>;
}

export interface WorkflowEnv {
  store: WorkflowRunStore;
  /** The run's one browser, opened on first use and shared by every block. */
  browser(): Promise<RunBrowser>;
  /** The browser if a block already opened it (a prompt conditional reads the page only then). */
  openedBrowser(): RunBrowser | undefined;
  recorder: RunRecorder;
  llm: LlmClient;
  handlers: Partial<Record<BlockType, BlockHandler>>;
  /** Runs task-like blocks through the browser agent; absent when this build has no agent. */
  taskBlocks?: TaskBlockExecutor;
  /** One-time code source for task-like blocks with a TOTP URL or identifier. */
  verificationCodeFor?: VerificationCodeFor;
  /** Code runs: cached block modules and where new ones are kept (absent = nothing recorded). */
  scripts?: BlockScripts;
  settings: WorkflowRunSettings;
  signal: AbortSignal;
  logger: Logger;
  now?: () => Date;
}

export type { BlockYaml };
