// Create, read, update, delete, enable and disable workflow schedules. Every change lands in
// Postgres first, then the schedule's clock (a BullMQ job scheduler) is made to match it.
import type { Config } from '../../config/index.ts';
import type { OrganizationScheduleListQuery, OrganizationScheduleListResponse, WorkflowScheduleResponse, WorkflowScheduleUpsertRequest } from '../../contracts/schedules.ts';
import type { ScheduleRow, SchedulesRepo } from '../../db/repositories/schedules.repo.ts';
import type { WorkflowsRepo } from '../../db/repositories/workflows.repo.ts';
import { AppError, NotFoundError, ValidationFailed } from '../../domain/errors.ts';
import { generateId, ID_PREFIX } from '../../domain/ids.ts';
import { checkScheduleParameters, stripNullParameters, validateCron, type CronRules } from '../../domain/schedules/index.ts';
import type { WorkflowDefinitionYaml } from '../../domain/workflow/schema/request.ts';
import type { Logger } from '../../log/logger.ts';
import type { ScheduleClock } from '../../queue/schedule-queue.ts';
import { presentOrganizationScheduleItem, presentSchedule, presentScheduleResponse } from './schedule.presenter.ts';

export interface SchedulesDeps {
  config: Config;
  logger: Logger;
  schedules: SchedulesRepo;
  /** The workflow colleague's repository: a schedule's workflow must exist, and its parameters are checked against it. */
  workflows: Pick<WorkflowsRepo, 'latest'>;
  clock: ScheduleClock;
}

export const cronRulesOf = (config: Config): CronRules => ({ minIntervalSeconds: config.scheduleMinIntervalSeconds, allowSeconds: config.scheduleAllowSeconds });

/** Points the schedule's clock at what Postgres says; when Redis is away the worker's sweep repairs it later. */
export async function syncClock(deps: Pick<SchedulesDeps, 'clock' | 'logger'>, row: ScheduleRow): Promise<void> {
  try {
    if (row.enabled && !row.deletedAt) await deps.clock.set(row.workflowScheduleId, { pattern: row.cronExpression, tz: row.timezone });
    else await deps.clock.clear(row.workflowScheduleId);
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message, schedule_id: row.workflowScheduleId }, 'schedule clock sync failed; the worker sweep will repair it');
  }
}

export function schedulesService(deps: SchedulesDeps) {
  const { schedules } = deps;
  const rules = cronRulesOf(deps.config);

  function requireEnabledFeature(): void {
    if (!deps.config.enableWorkflowSchedules) {
      throw new AppError('schedules_disabled', 501, 'Workflow schedules are disabled in this Skyvern build (ENABLE_WORKFLOW_SCHEDULES=false).');
    }
  }

  async function requireWorkflow(organizationId: string, wpid: string) {
    requireEnabledFeature();
    const workflow = await deps.workflows.latest(organizationId, wpid);
    if (!workflow) throw new NotFoundError(`Workflow ${wpid} not found`);
    return workflow;
  }

  async function requireSchedule(organizationId: string, wpid: string, scheduleId: string) {
    const workflow = await requireWorkflow(organizationId, wpid);
    const row = await schedules.get(organizationId, wpid, scheduleId);
    if (!row) throw new NotFoundError(`Schedule ${scheduleId} not found`);
    return { row, workflow };
  }

  /** Checks the request against the cron rules and the workflow's parameters; returns what to store. */
  function checked(wpid: string, workflowRequest: unknown, body: WorkflowScheduleUpsertRequest) {
    const cronExpression = body.cron_expression.trim();
    const issues = validateCron(cronExpression, body.timezone, rules);
    if (issues.length) throw new ValidationFailed(issues);
    const parameters = stripNullParameters(body.parameters);
    const definition = (workflowRequest as { workflow_definition?: WorkflowDefinitionYaml } | null)?.workflow_definition;
    checkScheduleParameters(wpid, definition, parameters ?? {});
    return { cronExpression, timezone: body.timezone, parameters, name: body.name ?? null, description: body.description ?? null };
  }

  async function setEnabled(organizationId: string, wpid: string, scheduleId: string, enabled: boolean): Promise<WorkflowScheduleResponse> {
    const { row } = await requireSchedule(organizationId, wpid, scheduleId);
    if (row.enabled === enabled) return presentScheduleResponse(row);
    // Slots that passed while paused are not owed: firing resumes from now.
    const updated = await schedules.update(row.workflowScheduleId, { enabled, ...(enabled ? { fireFrom: new Date() } : {}) });
    if (!updated) throw new NotFoundError(`Schedule ${scheduleId} not found`);
    await syncClock(deps, updated);
    return presentScheduleResponse(updated);
  }

  return {
    async create(organizationId: string, wpid: string, body: WorkflowScheduleUpsertRequest): Promise<WorkflowScheduleResponse> {
      const workflow = await requireWorkflow(organizationId, wpid);
      const fields = checked(wpid, workflow.request, body);
      const row = await schedules.insert({
        workflowScheduleId: generateId(ID_PREFIX.schedule), organizationId, workflowPermanentId: wpid,
        ...fields, enabled: body.enabled ?? true, fireFrom: new Date(),
      });
      await syncClock(deps, row);
      return presentScheduleResponse(row);
    },

    async list(organizationId: string, wpid: string) {
      await requireWorkflow(organizationId, wpid);
      return { schedules: (await schedules.listForWorkflow(organizationId, wpid)).map(presentSchedule) };
    },

    async get(organizationId: string, wpid: string, scheduleId: string): Promise<WorkflowScheduleResponse> {
      return presentScheduleResponse((await requireSchedule(organizationId, wpid, scheduleId)).row);
    },

    /** PUT: every field is replaced, except `enabled` which stays as it is when omitted or null. */
    async update(organizationId: string, wpid: string, scheduleId: string, body: WorkflowScheduleUpsertRequest): Promise<WorkflowScheduleResponse> {
      const { row, workflow } = await requireSchedule(organizationId, wpid, scheduleId);
      const fields = checked(wpid, workflow.request, body);
      const enabled = body.enabled ?? row.enabled;
      const retimed = fields.cronExpression !== row.cronExpression || fields.timezone !== row.timezone || (enabled && !row.enabled);
      const updated = await schedules.update(row.workflowScheduleId, { ...fields, enabled, ...(retimed ? { fireFrom: new Date() } : {}) });
      if (!updated) throw new NotFoundError(`Schedule ${scheduleId} not found`);
      // Re-upserting an unchanged clock could drop a slot due this very instant; only timing changes touch it.
      if (retimed || enabled !== row.enabled) await syncClock(deps, updated);
      return presentScheduleResponse(updated);
    },

    async remove(organizationId: string, wpid: string, scheduleId: string): Promise<{ ok: true }> {
      const { row } = await requireSchedule(organizationId, wpid, scheduleId);
      const deleted = await schedules.softDelete(row.workflowScheduleId);
      if (deleted) await syncClock(deps, deleted);
      return { ok: true };
    },

    enable: (organizationId: string, wpid: string, scheduleId: string) => setEnabled(organizationId, wpid, scheduleId, true),
    disable: (organizationId: string, wpid: string, scheduleId: string) => setEnabled(organizationId, wpid, scheduleId, false),

    async listAll(organizationId: string, q: OrganizationScheduleListQuery): Promise<OrganizationScheduleListResponse> {
      requireEnabledFeature();
      const page = q.page ?? 1;
      const pageSize = q.page_size ?? 10;
      const enabled = q.status === 'active' ? true : q.status === 'paused' ? false : undefined;
      const { rows, total } = await schedules.listForOrganization({ organizationId, page, pageSize, enabled, search: q.search ?? undefined });
      const now = new Date();
      return { schedules: rows.map((r) => presentOrganizationScheduleItem(r, now)), total_count: total, page, page_size: pageSize };
    },
  };
}
export type SchedulesService = ReturnType<typeof schedulesService>;
