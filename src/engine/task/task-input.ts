import type { TaskRunRequest } from '../../contracts/runs.ts';

/** What a task execution reads from its run; built by the job from the stored request. */
export interface TaskInput {
  runId: string;
  organizationId: string;
  request: TaskRunRequest;
  maxSteps: number;
}
