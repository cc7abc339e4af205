import type { BrowserPool } from '../browser/pool.ts';
import type { LlmClient } from '../llm/index.ts';
import type { ServiceDeps } from '../services/deps.ts';
import type { RunTelemetry } from '../services/run-telemetry.ts';

/** The worker's dependencies: the services' plus a browser pool and the LLM. */
export interface WorkerDeps extends ServiceDeps {
  browsers: BrowserPool;
  /** Built once per worker from Skyvern's LLM variables; `configured` is false when they are unusable. */
  llm: LlmClient;
  /** Where a run's videos and downloads are written before they move into the artifact store. */
  scratchDir: string;
  /** This worker process's identity: runs in browser sessions it holds come to its own queue. */
  hostId: string;
  /** Step timings for metrics; absent when metrics are off. */
  telemetry?: RunTelemetry;
}
