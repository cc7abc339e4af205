// What the engine needs from the outside world. The engine persists only through these, so
// the agent and the block engine can be tested without Postgres or Redis.
import type { BrowserContext, Page } from 'playwright-core';
import type { PageSession } from '../browser/session.ts';
import type { ArtifactType } from '../contracts/artifacts.ts';
import type { Logger } from '../log/logger.ts';
import type { TaskPlan } from './task/plan-workflow.ts';

export interface StepUsage { inputTokens: number; outputTokens: number; costUsd: number }

export interface StepRecord {
  status: 'running' | 'completed' | 'failed' | 'canceled';
  output?: unknown;
  usage?: StepUsage;
}

export interface RunRecorder {
  /** Opens a step row; returns its ID. `blockRunId` ties it to a workflow block. */
  startStep(order: number, opts?: { blockRunId?: string; retryIndex?: number }): Promise<string>;
  finishStep(stepId: string, record: StepRecord): Promise<void>;
  saveArtifact(type: ArtifactType, data: Buffer | string, opts: { stepId?: string; blockRunId?: string; ext: string }): Promise<string>;
  saveArtifactFile(type: ArtifactType, filePath: string, opts: { stepId?: string; blockRunId?: string; name: string }): Promise<string>;
  /** Adds LLM usage to the run's totals; `steps` counts finished steps. */
  addUsage(usage: StepUsage & { steps?: number }): Promise<void>;
}

/** Final result of a task or workflow execution, mapped onto the run row by the job. */
export interface RunOutcome {
  status: 'completed' | 'failed' | 'terminated' | 'timed_out' | 'canceled';
  output?: unknown;
  failureReason?: string | null;
  errors?: Record<string, unknown>[];
}

/** The run's browser: one context, the page currently driven, and where downloads land. */
export interface RunBrowser {
  context: BrowserContext;
  page(): Page;
  downloadsDir: string;
  /**
   * Tabs, dialogs and downloads of the context, tracked in one place (page() is session.page).
   * Optional so simpler browsers (tests, other engines) still fit; the agent opens one if absent.
   */
  session?: PageSession;
  /** A folder the engine may use for temporary files (fetched uploads); removed after the run. */
  scratchDir?: string;
}

export interface EngineEnv {
  browser: RunBrowser;
  recorder: RunRecorder;
  /** Aborted on cancel, timeout or worker shutdown; `signal.reason` says which. */
  signal: AbortSignal;
  logger: Logger;
  /** Fetches a fresh one-time code (from totp_url and/or codes pushed for totp_identifier); absent when the run has no code source. */
  verificationCode?: (signal: AbortSignal) => Promise<string>;
  /** skyvern-2.0 hands its finished plan here to be saved as a workflow; absent = not recorded. */
  savePlan?: (plan: TaskPlan) => Promise<void>;
}
