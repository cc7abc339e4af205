// The worker side of schedules: takes the clock's fire jobs, and keeps the clock honest. At start
// (and then every SCHEDULE_SYNC_INTERVAL_MS) it rebuilds Redis's job schedulers from Postgres and
// fires the latest slot any schedule missed while no worker was up.
import { startPeriodic } from './periodic.ts';
import { Worker } from 'bullmq';
import { SCHEDULE_FIRE_JOB, type ScheduleFireJobData } from '../contracts/jobs.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log/logger.ts';
import { createRedis } from '../queue/connection.ts';
import { SCHEDULES_QUEUE, scheduleRepeatStrategy, type NextFireMillis } from '../queue/schedule-queue.ts';
import { nextFireMillis } from '../domain/schedules/index.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { scheduleFiring, workflowRunStarter, type ScheduleFiring, type SchedulingParts } from '../services/schedules/index.ts';
import { workflowRunsService } from '../services/workflow-runs.service.ts';
import { processScheduleFireJob } from './schedule-fire.job.ts';

const SWEEP_GRACE_MS = 10_000;

export interface ScheduleWorkerHandle { close(): Promise<void> }

export interface ScheduleWorkerDeps { config: Config; logger: Logger; firing: ScheduleFiring; nextFireMillis: NextFireMillis }

export async function startScheduleWorker(deps: ScheduleWorkerDeps): Promise<ScheduleWorkerHandle> {
  const { config, logger, firing } = deps;
  const log = logger.child({ module: 'schedules' });
  const connection = createRedis(config.redisUrl, 'worker');
  const worker = new Worker<ScheduleFireJobData>(SCHEDULES_QUEUE, async (job) => {
    if (job.name !== SCHEDULE_FIRE_JOB) return;
    const result = await processScheduleFireJob(job, firing);
    if (result.outcome === 'skipped') log.debug({ schedule_id: job.data.scheduleId, reason: result.reason }, 'schedule slot skipped');
  }, {
    connection, prefix: config.queuePrefix, concurrency: 10,
    // The worker schedules each next slot when it takes the current one: same cron rules as the API's upserts.
    settings: { repeatStrategy: scheduleRepeatStrategy(deps.nextFireMillis) },
  });
  worker.on('error', (err) => log.warn({ err: err.message }, 'schedule worker error'));
  worker.on('failed', (job, err) => log.warn({ schedule_id: job?.data.scheduleId, err: err.message }, 'schedule fire failed; the sweep retries the slot'));

  // At start nothing is left to wait for; later sweeps leave a just-passed slot to its clock job.
  const sweeper = startPeriodic(async (first) => {
    const { set, cleared } = await firing.syncClocks();
    if (set || cleared) log.info({ set, cleared }, 'schedule clocks synced from Postgres');
    const fired = (await firing.catchUp(new Date(), first ? 0 : SWEEP_GRACE_MS)).filter((o) => o.outcome === 'started');
    if (fired.length) log.info({ fired: fired.length }, 'missed schedule slots fired');
  }, config.scheduleSyncIntervalMs, (err) => log.warn({ err: err.message }, 'schedule sweep failed'));
  await sweeper.ready;

  return {
    async close() {
      sweeper.stop();
      await worker.close();
      connection.disconnect();
    },
  };
}

/** The worker role's schedules: fires through the workflow service's "start a run"; nothing when schedules are off. */
export async function startSchedulesInWorker(deps: ServiceDeps & { scheduling: SchedulingParts }): Promise<ScheduleWorkerHandle> {
  if (!deps.config.enableWorkflowSchedules) return { close: async () => {} };
  const firing = scheduleFiring({
    logger: deps.logger, runs: deps.repos.runs, ...deps.scheduling,
    starter: workflowRunStarter(workflowRunsService(deps)),
  });
  return startScheduleWorker({ config: deps.config, logger: deps.logger, firing, nextFireMillis });
}
