import type { BrowserPool } from '../browser/pool.ts';
import type { TaskLlmStatus } from '../engine/task/execute-task.ts';
import type { ServiceDeps } from '../services/deps.ts';

/** The worker's dependencies: the services' plus a browser pool and the LLM. */
export interface WorkerDeps extends ServiceDeps {
  browsers: BrowserPool;
  llm: TaskLlmStatus;
  /** Where a run's videos and downloads are written before they move into the artifact store. */
  scratchDir: string;
}
