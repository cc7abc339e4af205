// How task-like blocks (task, navigation, extraction, action, login, validation, file_download,
// task_v2) reach the browser agent. The runner builds the request from the rendered block; the
// job wires the port to the agent in `engine/agent` + `engine/task`.
import type { BlockType } from '../../domain/workflow/index.ts';
import type { LlmClient } from '../../llm/types.ts';
import type { ProvidedSecret } from '../agent/secrets.ts';
import type { Logger } from '../../log/logger.ts';
import type { RunBrowser, RunRecorder } from '../ports.ts';
import type { BlockCodeRequest, BlockCodeResult } from '../scripts/ports.ts';

export type { BlockCodeRequest, BlockCodeResult } from '../scripts/ports.ts';

export interface TaskBlockRequest {
  blockType: BlockType;
  label: string;
  /** `tsk_…`: the task this block execution is (Skyvern creates one task per task block). */
  taskId: string;
  blockRunId: string;
  /** Where to start; null = stay on the page the previous block left. */
  url: string | null;
  navigationGoal: string | null;
  dataExtractionGoal: string | null;
  dataSchema: unknown;
  /** Values of the block's `parameter_keys` (Skyvern's navigation payload). */
  navigationPayload: Record<string, unknown> | null;
  completeCriterion: string | null;
  terminateCriterion: string | null;
  errorCodeMapping: Record<string, string> | null;
  maxSteps: number;
  engine: string;
  completeOnDownload: boolean;
  downloadSuffix: string | null;
  totpIdentifier: string | null;
  totpVerificationUrl: string | null;
  /** `task_v2` blocks: the prompt and planner iterations. */
  prompt: string | null;
  maxIterations: number | null;
  /** Per-block LLM override (`model.model_name`). */
  model: { model_name?: string } | null;
  /** The run's stored-credential secrets: the payload holds their placeholders, the agent fills them at typing time. */
  secrets: ProvidedSecret[];
  /** Code runs (see engine/scripts): absent = the agent runs and nothing is recorded. */
  code?: BlockCodeRequest;
}

/** What a one-time code is asked for: the block's task and the sources its settings name. */
export interface CodeSourceRequest { taskId: string; totpUrl: string | null; totpIdentifier: string | null }
export type VerificationCodeFor = (req: CodeSourceRequest) => ((signal: AbortSignal) => Promise<string>) | undefined;

export interface TaskBlockEnv {
  browser: RunBrowser;
  /** Scoped to the block: steps and artifacts it records hang off its `wrb_…` row. */
  recorder: RunRecorder;
  llm: LlmClient;
  signal: AbortSignal;
  logger: Logger;
  /** A fetcher of one-time codes for the block's totp_verification_url / totp_identifier (absent when the worker cannot). */
  verificationCodeFor?: VerificationCodeFor;
}

export interface TaskBlockResult {
  status: 'completed' | 'failed' | 'terminated' | 'canceled' | 'timed_out';
  extractedInformation: unknown;
  failureReason: string | null;
  /** User-defined errors the agent reported (`{error_code, reasoning, …}`). */
  errors: Record<string, unknown>[];
  failureCategory?: Record<string, unknown>[] | null;
  code?: BlockCodeResult;
}

export type TaskBlockExecutor = (request: TaskBlockRequest, env: TaskBlockEnv) => Promise<TaskBlockResult>;
