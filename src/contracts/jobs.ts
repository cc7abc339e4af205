// The job catalog: every BullMQ job name and its payload. Payloads carry IDs only.
export const RUN_JOB = 'run' as const;
export interface RunJobData { runId: string }

/** One webhook delivery (all its retries are this one job); the worker re-reads the delivery row. */
export const WEBHOOK_JOB = 'webhook' as const;
export interface WebhookJobData { deliveryId: string }
