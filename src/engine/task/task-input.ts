import type { TaskRunRequest } from '../../contracts/runs.ts';
import type { ProvidedSecret } from '../agent/secrets.ts';
import type { BlockCodeRequest } from '../scripts/ports.ts';

/** What a task execution reads from its run; built by the job from the stored request. */
export interface TaskInput {
  runId: string;
  organizationId: string;
  request: TaskRunRequest;
  maxSteps: number;
  /** Secrets from outside the request (a workflow's stored credentials), typed only through placeholders. */
  secrets?: ProvidedSecret[];
  /** Code runs (skyvern-1.0 only; see engine/scripts): absent = the agent runs and nothing is recorded. */
  code?: BlockCodeRequest;
}
