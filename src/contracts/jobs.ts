// The job catalog: every BullMQ job name and its payload. Payloads carry IDs only.
export const RUN_JOB = 'run' as const;
export interface RunJobData { runId: string }

/** One webhook delivery (all its retries are this one job); the worker re-reads the delivery row. */
export const WEBHOOK_JOB = 'webhook' as const;
export interface WebhookJobData { deliveryId: string }

/** One slot of one workflow schedule, made by its BullMQ job scheduler; the slot is the job's scheduled time. */
export const SCHEDULE_FIRE_JOB = 'schedule-fire' as const;
export interface ScheduleFireJobData { scheduleId: string }

/** One persistent browser session: the job stays active for the session's whole life (its worker holds the browser). */
export const BROWSER_SESSION_JOB = 'browser-session' as const;
export interface BrowserSessionJobData { browserSessionId: string }
