// The worker's own RunRecorder (Postgres step and artifact rows, artifact files on disk) for the
// agent benchmark, so step times include the writes a real run makes. Needs DATABASE_URL (the
// bench bootstrap provides it); migrates the database first, as bench.sh does.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { localArtifactStore } from '../../src/artifacts/local-store.ts';
import { openDatabase } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { artifactsRepo } from '../../src/db/repositories/artifacts.repo.ts';
import { organizationsRepo } from '../../src/db/repositories/organizations.repo.ts';
import { runsRepo } from '../../src/db/repositories/runs.repo.ts';
import { stepsRepo } from '../../src/db/repositories/steps.repo.ts';
import { generateId, ID_PREFIX } from '../../src/domain/ids.ts';
import type { RunRecorder } from '../../src/engine/ports.ts';
import { createRunRecorder } from '../../src/jobs/run-recorder.ts';

export interface BenchRecorders {
  /** A recorder for a new task run row. */
  newRun(): Promise<RunRecorder>;
  close(): Promise<void>;
}

export async function openDbRecorders(databaseUrl: string): Promise<BenchRecorders> {
  const database = openDatabase(databaseUrl, 5);
  await runMigrations(database);
  const repos = { runs: runsRepo(database.db), steps: stepsRepo(database.db), artifacts: artifactsRepo(database.db) };
  const organizationId = generateId(ID_PREFIX.organization);
  await organizationsRepo(database.db).create({ organizationId, organizationName: `agent-bench-${organizationId}` });
  const artifactDir = await mkdtemp(path.join(os.tmpdir(), 'skyport-bench-artifacts-'));
  const artifactStore = localArtifactStore(artifactDir);
  return {
    async newRun() {
      const run = await repos.runs.insert({
        runId: generateId(ID_PREFIX.task), organizationId, runType: 'task_v1', status: 'running', request: {}, maxSteps: 10,
      } as Parameters<typeof repos.runs.insert>[0]);
      // Only the repositories the recorder uses are real; nobody watches these runs live.
      const runEvents = { publish: () => {} };
      return createRunRecorder({ repos, artifactStore, runEvents } as unknown as Parameters<typeof createRunRecorder>[0], run);
    },
    async close() {
      await database.close();
      await rm(artifactDir, { recursive: true, force: true });
    },
  };
}
