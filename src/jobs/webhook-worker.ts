import { startPeriodic } from './periodic.ts';
import { Worker } from 'bullmq';
import { WEBHOOK_JOB, type WebhookJobData } from '../contracts/jobs.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import { createRedis } from '../queue/connection.ts';
import { WEBHOOKS_QUEUE } from '../queue/webhook-queue.ts';
import type { WebhooksService } from '../services/webhooks/webhooks.service.ts';
import { processWebhookJob, RetryDelivery, webhookBackoff } from './webhook-delivery.job.ts';

// A delivery whose row is this old and still has no live job lost it (Redis restart, enqueue failure);
// the same grace lets a run's own onTerminal create its delivery before the sweep would.
const RECOVERY_GRACE_MS = 30_000;
// Runs finished longer ago than this are not swept for a missing delivery (no surprise old webhooks).
const RECOVERY_WINDOW_MS = 60 * 60_000;

export interface WebhookWorkerHandle { close(): Promise<void> }

export function startWebhookWorker(deps: { config: Config; logger: Logger; webhooks: WebhooksService }): WebhookWorkerHandle {
  const { config, logger, webhooks } = deps;
  const connection = createRedis(config.redisUrl, 'worker');
  const worker = new Worker<WebhookJobData>(WEBHOOKS_QUEUE, async (job) => {
    if (job.name === WEBHOOK_JOB) await processWebhookJob(job.data.deliveryId, webhooks);
  }, {
    connection, prefix: config.queuePrefix, concurrency: config.webhookConcurrency,
    // The lock must outlive one POST, or a slow receiver would see the same attempt twice.
    lockDuration: config.webhookTimeoutMs + 15_000,
    settings: { backoffStrategy: webhookBackoff(config.webhookBackoffMs) },
  });
  worker.on('error', (err) => logger.warn({ err: err.message }, 'webhook worker error'));
  worker.on('failed', (job, err) => {
    if (!(err instanceof RetryDelivery)) logger.warn({ delivery_id: job?.data.deliveryId, err: err.message }, 'webhook job failed');
  });

  const sweeper = startPeriodic(async () => {
    const { requeued, created } = await webhooks.recover({ graceMs: RECOVERY_GRACE_MS, windowMs: RECOVERY_WINDOW_MS });
    if (requeued || created) logger.info({ requeued, created }, 'webhook reconciler recovered deliveries');
  }, config.reconcileIntervalMs, (err) => logger.warn({ err: err.message }, 'webhook reconcile failed'), { runNow: false });

  return {
    async close() {
      sweeper.stop();
      await worker.close();
      connection.disconnect();
    },
  };
}
