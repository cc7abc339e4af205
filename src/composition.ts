// Builds the dependency objects the entry points pass down. No module-level singletons:
// everything a process uses is created here, once, and closed by the returned `close`.
import path from 'node:path';
import { localArtifactStore } from './artifacts/local-store.ts';
import type { Config } from './config/index.ts';
import { openDatabase } from './db/client.ts';
import { runMigrations } from './db/migrate.ts';
import { artifactsRepo } from './db/repositories/artifacts.repo.ts';
import { organizationsRepo } from './db/repositories/organizations.repo.ts';
import { runsRepo } from './db/repositories/runs.repo.ts';
import { stepsRepo } from './db/repositories/steps.repo.ts';
import { createLogger, type Logger } from './log/logger.ts';
import { createCancelBus } from './queue/cancel-bus.ts';
import { createRedis } from './queue/connection.ts';
import { createRunQueue } from './queue/run-queue.ts';
import type { ServiceDeps } from './services/deps.ts';
import { newServerSecret } from './services/secrets.ts';

export interface Core extends ServiceDeps { close(): Promise<void> }

export async function buildCore(config: Config, opts: { name: string; logger?: Logger; migrate?: boolean }): Promise<Core> {
  const logger = opts.logger ?? createLogger(config.logLevel, opts.name);
  const database = openDatabase(config.databaseUrl);
  if (opts.migrate) await runMigrations(database);
  const repos = {
    organizations: organizationsRepo(database.db),
    runs: runsRepo(database.db),
    steps: stepsRepo(database.db),
    artifacts: artifactsRepo(database.db),
  };
  // One secret per deployment, shared by API and workers through Postgres unless SECRET_KEY pins it.
  const serverSecret = config.secretKey ?? (await repos.organizations.settingOrInsert('server_secret', newServerSecret()));
  const producer = createRedis(config.redisUrl, 'producer');
  const subscriber = createRedis(config.redisUrl, 'subscriber');
  const runQueue = createRunQueue(producer, config.queuePrefix);
  const cancelBus = createCancelBus(producer, subscriber, config.queuePrefix);
  const core: Core = {
    config, logger, repos, runQueue, cancelBus, serverSecret,
    artifactStore: localArtifactStore(config.artifactDir),
    hooks: { onTerminal: async (run) => { logger.debug({ run_id: run.runId, status: run.status }, 'run terminal'); } },
    async close() {
      await runQueue.close().catch(() => {});
      await cancelBus.close().catch(() => {});
      producer.disconnect();
      await database.close().catch(() => {});
    },
  };
  return core;
}

export const scratchDirOf = (config: Config) => path.join(config.dataDir, 'scratch');
