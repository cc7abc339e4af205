import type { SchedulesRepo } from '../../db/repositories/schedules.repo.ts';
import type { ScheduleClock } from '../../queue/schedule-queue.ts';

/** What both process roles share for schedules: the rows and the clock (built once in composition). */
export interface SchedulingParts { schedules: SchedulesRepo; clock: ScheduleClock }

export { schedulesService, type SchedulesService } from './schedules.service.ts';
export { scheduleFiring, type ScheduleFiring, type ScheduledRunStarter } from './schedule-firing.ts';
export { workflowRunStarter } from './workflow-run-starter.ts';
