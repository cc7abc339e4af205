// Event metrics, recorded where things happen and kept in this process's memory: each API or
// worker process reports its own, and Prometheus sums them across instances.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LlmCallObserver } from '../llm/types.ts';
import type { CoreTelemetry } from '../services/run-telemetry.ts';

/** Open browser contexts by kind (`local`, `cdp`, `session`), as a browser pool counts them. */
export type ContextCounter = () => Record<string, number>;

export interface ProcessMetrics extends CoreTelemetry {
  registry: Registry;
  llmCall: LlmCallObserver;
  /** Adds a pool's open contexts to the gauge; returns the function that removes it again. */
  watchBrowserContexts(count: ContextCounter): () => void;
}

// Runs last from seconds (a refused start page) to hours (TASK_MAX_ELAPSED_TIME_MINUTES).
const RUN_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400];
// A step is one model call plus its actions: seconds to a few minutes.
const STEP_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
const LLM_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];

/** One per process, shared by the API and worker roles when they run together (`all.ts`). */
export function createProcessMetrics(): ProcessMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const runDuration = new Histogram({
    name: 'skyport_run_duration_seconds', help: 'Wall time of runs that started, from start to terminal status, by type and final status',
    labelNames: ['run_type', 'status'], buckets: RUN_BUCKETS, registers,
  });
  const stepDuration = new Histogram({
    name: 'skyport_step_duration_seconds', help: 'Wall time of agent steps, from opening to their written record, by run type and step status',
    labelNames: ['run_type', 'status'], buckets: STEP_BUCKETS, registers,
  });
  const llmCalls = new Counter({ name: 'skyport_llm_calls_total', help: 'Model calls (SDK retries included in one call), by provider, purpose and outcome', labelNames: ['provider', 'purpose', 'outcome'], registers });
  const llmTokens = new Counter({ name: 'skyport_llm_tokens_total', help: 'Tokens the providers reported, by provider, purpose and direction (input/output)', labelNames: ['provider', 'purpose', 'direction'], registers });
  const llmCost = new Counter({ name: 'skyport_llm_cost_usd_total', help: 'Estimated model cost in USD (price table; 0 for unknown and local models), by provider and purpose', labelNames: ['provider', 'purpose'], registers });
  const llmDuration = new Histogram({ name: 'skyport_llm_call_duration_seconds', help: 'Model call latency, by provider and purpose', labelNames: ['provider', 'purpose'], buckets: LLM_BUCKETS, registers });
  const webhookAttempts = new Counter({
    name: 'skyport_webhook_attempts_total', help: 'Webhook POST attempts by outcome (delivered, retrying, failed = given up) and trigger (terminal, replay)',
    labelNames: ['outcome', 'trigger'], registers,
  });

  const contextCounters = new Set<ContextCounter>();
  new Gauge({
    name: 'skyport_browser_contexts_open', help: 'Browser contexts runs hold open in this process, by kind (local, cdp, session)', labelNames: ['kind'], registers,
    collect() {
      this.reset();
      for (const count of contextCounters) for (const [kind, n] of Object.entries(count())) this.inc({ kind }, n);
    },
  });

  return {
    registry,
    runs: {
      runFinished(run) {
        // Runs canceled or failed before a worker started them have no execution time to report.
        if (!run.startedAt || !run.finishedAt) return;
        runDuration.observe({ run_type: run.runType, status: run.status }, Math.max(0, (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000));
      },
      stepFinished(runType, status, seconds) {
        stepDuration.observe({ run_type: runType, status }, seconds);
      },
    },
    llmCall({ provider, purpose, outcome, usage, costUsd, seconds }) {
      llmCalls.inc({ provider, purpose, outcome });
      llmTokens.inc({ provider, purpose, direction: 'input' }, usage.inputTokens);
      llmTokens.inc({ provider, purpose, direction: 'output' }, usage.outputTokens);
      llmCost.inc({ provider, purpose }, costUsd);
      llmDuration.observe({ provider, purpose }, seconds);
    },
    webhookAttempt(outcome, trigger) {
      webhookAttempts.inc({ outcome, trigger });
    },
    watchBrowserContexts(count) {
      contextCounters.add(count);
      return () => { contextCounters.delete(count); };
    },
  };
}
