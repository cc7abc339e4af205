// The job catalog: every BullMQ job name and its payload. Payloads carry IDs only.
export const RUN_JOB = 'run' as const;
export interface RunJobData { runId: string }
