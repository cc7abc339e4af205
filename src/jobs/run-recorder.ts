import { basename, extname } from 'node:path';
import { generateId, ID_PREFIX } from '../domain/ids.ts';
import type { RunRecorder } from '../engine/ports.ts';
import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { ServiceDeps } from '../services/deps.ts';

/** The engine's RunRecorder port, backed by Postgres rows and the artifact store. */
export function createRunRecorder(deps: Pick<ServiceDeps, 'repos' | 'artifactStore' | 'runEvents'>, run: RunRow): RunRecorder {
  const { steps, artifacts, runs } = deps.repos;
  // Open run-viewer pages (this run's, and its parent workflow run's) hear of each write at once.
  const announce = (kind: 'step' | 'screenshot') => deps.runEvents.publish([run.runId, run.parentRunId], kind);
  const stepOrders = new Map<string, number>();
  const keyFor = (id: string, type: string, stepId: string | undefined, name: string) => {
    const order = stepId ? String(stepOrders.get(stepId) ?? 0).padStart(3, '0') : 'run';
    return `${run.organizationId}/${run.runId}/${order}/${Date.now()}_${id}_${type}_${name}`;
  };

  return {
    async startStep(order, opts) {
      const stepId = generateId(ID_PREFIX.step);
      stepOrders.set(stepId, order);
      await steps.insert({
        stepId, runId: run.runId, organizationId: run.organizationId, order,
        retryIndex: opts?.retryIndex ?? 0, status: 'running', blockRunId: opts?.blockRunId ?? null,
      });
      announce('step');
      return stepId;
    },
    async finishStep(stepId, record) {
      await steps.update(stepId, {
        status: record.status, output: record.output ?? null,
        inputTokens: record.usage?.inputTokens ?? 0, outputTokens: record.usage?.outputTokens ?? 0, costUsd: record.usage?.costUsd ?? 0,
      });
      // The run's step_count and usage totals move with every finished step.
      if (record.status !== 'running') {
        await runs.addUsage(run.runId, { inputTokens: 0, outputTokens: 0, costUsd: 0, ...record.usage, steps: 1 });
      }
      announce('step');
    },
    async saveArtifact(type, data, opts) {
      const artifactId = generateId(ID_PREFIX.artifact);
      // The row is written only once the store holds all of the content: no row ever points at a partial object.
      const stored = await deps.artifactStore.put(keyFor(artifactId, type, opts.stepId, `file.${opts.ext}`), data, { artifactType: type });
      await artifacts.insert({ artifactId, organizationId: run.organizationId, runId: run.runId, stepId: opts.stepId ?? null,
        blockRunId: opts.blockRunId ?? null, artifactType: type, uri: stored.uri, fileSize: stored.size });
      if (type.startsWith('screenshot')) announce('screenshot');
      return artifactId;
    },
    async saveArtifactFile(type, filePath, opts) {
      const artifactId = generateId(ID_PREFIX.artifact);
      const name = opts.name || basename(filePath) || `file${extname(filePath)}`;
      const stored = await deps.artifactStore.putFile(keyFor(artifactId, type, opts.stepId, name), filePath, { artifactType: type });
      await artifacts.insert({ artifactId, organizationId: run.organizationId, runId: run.runId, stepId: opts.stepId ?? null,
        blockRunId: opts.blockRunId ?? null, artifactType: type, uri: stored.uri, fileSize: stored.size });
      return artifactId;
    },
    async addUsage(usage) {
      await runs.addUsage(run.runId, usage);
    },
  };
}
