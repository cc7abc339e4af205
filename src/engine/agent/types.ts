// Shared shapes of the agent: what it is asked to do, what it runs with, and how it ends.
import type { PageSession } from '../../browser/index.ts';
import type { LlmClient } from '../../llm/index.ts';
import type { EngineEnv } from '../ports.ts';
import type { SecretVault } from './secrets.ts';
import type { ActionRecording } from '../scripts/recording.ts';

/** One goal for the step loop: a whole skyvern-1.0 task, or one mini-goal of a skyvern-2.0 plan. */
export interface AgentGoal {
  /** What to achieve, in the user's words (or the planner's). */
  goal: string;
  /** The whole task when `goal` is a planner's mini-goal; shown as context only. */
  parentGoal?: string;
  /** `data_extraction_schema`: a JSON Schema, an example shape, or a description. */
  schema?: unknown;
  /** `error_code_mapping`: code → when it applies. */
  errorCodes?: Record<string, string> | null;
}

/** Steps are counted across every loop of a run (a 2.0 plan runs several loops on one budget). */
export interface StepBudget {
  max: number;
  used: number;
}

export interface AgentSettings {
  /** The same action proposed this many times on an unchanged page ends the run. */
  loopThreshold: number;
  /** Retries of one step when the model's reply is unusable or the call failed transiently. */
  maxStepRetries: number;
  /** Timeout of one Playwright step inside an action. */
  actionTimeoutMs: number;
  /** Where upload_file keeps files it fetched. */
  tempDir: string;
}

export const DEFAULT_AGENT_SETTINGS: Omit<AgentSettings, 'tempDir'> = { loopThreshold: 3, maxStepRetries: 2, actionTimeoutMs: 5000 };

/** Everything one run's agent works with. */
export interface AgentRuntime {
  env: EngineEnv;
  /** The run's browser as the agent drives it (active tab, dialogs, downloads). */
  session: PageSession;
  llm: LlmClient;
  /** The request's `model` field, passed to every LLM call. */
  model?: { model_name?: string } | null;
  secrets: SecretVault;
  budget: StepBudget;
  settings: AgentSettings;
  /** The user's own words (prompt + payload): upload_file may only use file URLs found here. */
  userText: string;
  /** Ties step rows to a workflow block when the loop runs inside one. */
  blockRunId?: string;
  /** Collects the successful actions as script material (code runs); absent = not recorded. */
  recording?: ActionRecording;
}

/** A user-defined error as runs report it (Skyvern's shape plus the type). */
export interface ReportedError {
  error_code: string;
  reasoning: string;
  confidence_float?: number;
  error_type?: string;
  [key: string]: unknown;
}

export type AgentOutcome =
  | { status: 'completed'; output: unknown; errors: ReportedError[] }
  | { status: 'terminated'; reason: string; errors: ReportedError[] }
  | { status: 'failed'; reason: string; errors: ReportedError[]; kind: FailureKind; output?: unknown };

export type FailureKind = 'max_steps' | 'loop' | 'captcha' | 'llm' | 'extraction' | 'secret';

/** Tokens and dollars of the LLM calls made for one step (or one planner round). */
export class UsageTally {
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;
  add(usage: { inputTokens: number; outputTokens: number } | undefined, costUsd = 0): void {
    if (!usage) return;
    this.inputTokens += usage.inputTokens;
    this.outputTokens += usage.outputTokens;
    this.costUsd += costUsd;
  }
  toJSON() {
    return { inputTokens: this.inputTokens, outputTokens: this.outputTokens, costUsd: this.costUsd };
  }
}

/** Artifact writes run in the background while the agent works; a step awaits them before it ends. */
export class ArtifactBatch {
  private readonly pending: Promise<unknown>[] = [];
  constructor(private readonly env: EngineEnv, private readonly stepId: string | undefined) {}

  /** `data` may be a promise (a screenshot still being taken); nothing is saved if it yields undefined. */
  save(type: Parameters<EngineEnv['recorder']['saveArtifact']>[0], data: Buffer | string | Promise<Buffer | undefined>, ext: string): void {
    this.pending.push(Promise.resolve(data)
      .then((value) => (value === undefined ? undefined : this.env.recorder.saveArtifact(type, value, { stepId: this.stepId, ext })))
      .catch((err: unknown) => this.env.logger.warn({ err: (err as Error).message, type }, 'artifact not saved')));
  }

  async flush(): Promise<void> {
    await Promise.all(this.pending.splice(0));
  }
}
