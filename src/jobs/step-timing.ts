import type { RunRecorder } from '../engine/ports.ts';
import type { RunTelemetry } from '../services/run-telemetry.ts';

/**
 * Times each step from `startStep` to its final `finishStep` (a deferred record write included)
 * without the engine knowing about metrics. The spread keeps any recorder method added later.
 */
export function timeSteps(recorder: RunRecorder, runType: string, telemetry: RunTelemetry | undefined): RunRecorder {
  if (!telemetry) return recorder;
  const opened = new Map<string, number>();
  return {
    ...recorder,
    async startStep(order, opts) {
      const startedAt = performance.now();
      const stepId = await recorder.startStep(order, opts);
      opened.set(stepId, startedAt);
      return stepId;
    },
    async finishStep(stepId, record) {
      await recorder.finishStep(stepId, record);
      const startedAt = opened.get(stepId);
      if (startedAt === undefined || record.status === 'running') return;
      opened.delete(stepId);
      telemetry.stepFinished(runType, record.status, (performance.now() - startedAt) / 1000);
    },
  };
}
