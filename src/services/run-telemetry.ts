// Ports the metrics module implements: composition and jobs report run events through these, so
// nothing outside src/metrics/ depends on prom-client, and tests can leave them out.
import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { WebhookAttemptObserver } from './webhooks/webhooks.service.ts';

export interface RunTelemetry {
  /** A run reached its terminal status in this process (the row as that write returned it). */
  runFinished(run: RunRow): void;
  /** A step's record was written; `seconds` counts from its row's opening. */
  stepFinished(runType: string, status: string, seconds: number): void;
}

/** What buildCore hands to the services it builds; absent = nothing recorded. */
export interface CoreTelemetry {
  runs: RunTelemetry;
  webhookAttempt: WebhookAttemptObserver;
}
