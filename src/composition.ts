// Builds the dependency objects the entry points pass down. No module-level singletons:
// everything a process uses is created here, once, and closed by the returned `close`.
import path from 'node:path';
import { openArtifactStore } from './artifacts/open-store.ts';
import type { Config } from './config/index.ts';
import { openDatabase } from './db/client.ts';
import { runMigrations } from './db/migrate.ts';
import { artifactsRepo } from './db/repositories/artifacts.repo.ts';
import { organizationsRepo } from './db/repositories/organizations.repo.ts';
import { runSlotsRepo } from './db/repositories/run-slots.repo.ts';
import { runsRepo } from './db/repositories/runs.repo.ts';
import { stepsRepo } from './db/repositories/steps.repo.ts';
import { webhooksRepo } from './db/repositories/webhooks.repo.ts';
import { workflowRunBlocksRepo } from './db/repositories/workflow-run-blocks.repo.ts';
import { workflowsRepo } from './db/repositories/workflows.repo.ts';
import { workflowRunsRepo } from './db/repositories/workflow-runs.repo.ts';
import { credentialsRepo } from './db/repositories/credentials.repo.ts';
import { totpCodesRepo } from './db/repositories/totp-codes.repo.ts';
import { browserSessionsRepo } from './db/repositories/browser-sessions.repo.ts';
import { browserProfilesRepo } from './db/repositories/browser-profiles.repo.ts';
import { createBrowserSessionQueue } from './queue/browser-session-queue.ts';
import { createSessionControl } from './queue/session-control.ts';
import { createSessionHosts } from './queue/session-hosts.ts';
import { runTagsRepo } from './db/repositories/run-tags.repo.ts';
import { scriptsRepo } from './db/repositories/scripts.repo.ts';
import { statsRepo } from './db/repositories/stats.repo.ts';
import { createLogger, type Logger } from './log/logger.ts';
import { createCancelBus } from './queue/cancel-bus.ts';
import { createRunEventsBus } from './queue/run-events.ts';
import { createRedis } from './queue/connection.ts';
import { createRunQueue } from './queue/run-queue.ts';
import { createWebhookQueue } from './queue/webhook-queue.ts';
import { artifactsService } from './services/artifacts.service.ts';
import type { ServiceDeps, SharedServices } from './services/deps.ts';
import { organizationsService } from './services/organizations.service.ts';
import { runViewsService } from './services/run-views.service.ts';
import { workflowRunView } from './services/presenters/workflow-run.presenter.ts';
import { resolveSealingKey } from './services/sealing-key.ts';
import { checkStorageIdentity } from './services/storage-identity.ts';
import { createWebhookSender } from './services/webhooks/send.ts';
import { createTargetGuard } from './services/webhooks/target-guard.ts';
import { configureOutbound } from './net/outbound.ts';
import { webhooksService } from './services/webhooks/webhooks.service.ts';
import { schedulesRepo } from './db/repositories/schedules.repo.ts';
import { nextFireMillis } from './domain/schedules/index.ts';
import { createScheduleClock } from './queue/schedule-queue.ts';
import type { SchedulingParts } from './services/schedules/index.ts';
import type { CoreTelemetry } from './services/run-telemetry.ts';

export interface Core extends ServiceDeps, SharedServices { scheduling: SchedulingParts; close(): Promise<void> }

export async function buildCore(config: Config, opts: { name: string; logger?: Logger; migrate?: boolean; telemetry?: CoreTelemetry }): Promise<Core> {
  const logger = opts.logger ?? createLogger(config.logLevel, opts.name);
  if (opts.migrate) {
    // Migrations (and waiting for another process's) may take long: no query timeout there.
    const migrating = openDatabase(config.databaseUrl, 2);
    try { await runMigrations(migrating); } finally { await migrating.close(); }
  }
  const database = openDatabase(config.databaseUrl, 20, config.databaseTimeouts);
  const repos = {
    organizations: organizationsRepo(database.db),
    runs: runsRepo(database.db),
    steps: stepsRepo(database.db),
    artifacts: artifactsRepo(database.db),
    webhooks: webhooksRepo(database.db),
    runSlots: runSlotsRepo(database.db),
    workflows: workflowsRepo(database.db),
    workflowRunBlocks: workflowRunBlocksRepo(database.db),
    workflowRuns: workflowRunsRepo(database.db),
    credentials: credentialsRepo(database.db),
    totpCodes: totpCodesRepo(database.db),
    runTags: runTagsRepo(database.db),
    browserSessions: browserSessionsRepo(database.db),
    browserProfiles: browserProfilesRepo(database.db),
    scripts: scriptsRepo(database.db),
    stats: statsRepo(database.db),
  };
  // One sealing key per deployment, kept outside the database (SECRET_KEY or a 0600 file in the data
  // folder); a key still in the database from before is moved out at start (services/sealing-key.ts).
  const serverSecret = await resolveSealingKey(database.pool, config, (msg) => logger.warn(msg));
  // Every process of a deployment keeps artifacts in one place; a mismatched one refuses to start.
  try {
    await checkStorageIdentity(database.pool, config.storage, (msg) => logger.warn(msg));
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
  const artifactStore = await openArtifactStore({ type: config.storage.type, s3: config.storage.s3, localDir: config.artifactDir });
  const producer = createRedis(config.redisUrl, 'producer');
  const subscriber = createRedis(config.redisUrl, 'subscriber');
  const runQueue = createRunQueue(producer, config.queuePrefix);
  const cancelBus = createCancelBus(producer, subscriber, config.queuePrefix);
  const runEvents = createRunEventsBus(producer, subscriber, config.queuePrefix);
  const webhookQueue = createWebhookQueue(producer, config.queuePrefix);
  const browserSessionQueue = createBrowserSessionQueue(producer, config.queuePrefix);
  // Schedules' clock: BullMQ job schedulers computing slots with the domain's cron rules.
  const scheduling: SchedulingParts = { schedules: schedulesRepo(database.db), clock: createScheduleClock(producer, config.queuePrefix, nextFireMillis) };
  const base: ServiceDeps = {
    config, logger, repos, runQueue, cancelBus, runEvents, serverSecret, browserSessionQueue,
    sessionControl: createSessionControl(producer, config.queuePrefix),
    sessionHosts: createSessionHosts(producer, config.queuePrefix),
    artifactStore,
    hooks: {
      // A failure here must not undo the terminal status; the webhook reconciler creates the delivery later.
      onTerminal: (run) => {
        opts.telemetry?.runs.runFinished(run);
        runEvents.publish([run.runId, run.parentRunId], 'status');
        return webhooks.onRunTerminal(run)
          .catch((err) => logger.warn({ err: (err as Error).message, run_id: run.runId }, 'webhook delivery not created; reconciler will retry'));
      },
    },
  };
  // Built here, not per process role: the worker signs webhook bodies made by the same run view
  // the API answers `GET /v1/runs/{id}` with, and presenters registered on it serve both.
  const artifacts = artifactsService(base);
  const runViews = runViewsService(base, artifacts);
  runViews.register('workflow_run', workflowRunView(artifacts, config.appUrl));
  const organizations = organizationsService(base);
  // The one outbound policy (docs/outbound-policy.md), for API validation, workers' clients and browsers.
  configureOutbound(config.outbound);
  const guard = createTargetGuard({ deny: config.webhookDenyHosts, allow: config.webhookAllowHosts, outbound: config.outbound });
  const sender = createWebhookSender(guard, config.webhookTimeoutMs);
  const webhooks = webhooksService({ ...base, queue: webhookQueue, runViews, organizations, sender, guard, onAttempt: opts.telemetry?.webhookAttempt });
  const core: Core = {
    ...base, artifacts, runViews, organizations, webhooks, scheduling,
    async close() {
      sender.close();
      await webhookQueue.close().catch(() => {});
      await scheduling.clock.close().catch(() => {});
      await runQueue.close().catch(() => {});
      await browserSessionQueue.close().catch(() => {});
      await cancelBus.close().catch(() => {});
      producer.disconnect();
      artifactStore.close();
      await database.close().catch(() => {});
    },
  };
  return core;
}

export const scratchDirOf = (config: Config) => path.join(config.dataDir, 'scratch');
