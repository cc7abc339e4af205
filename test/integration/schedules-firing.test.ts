// Schedules firing for real: BullMQ job schedulers as the clock, two worker processes, runs with
// deterministic IDs. Test-only settings let a 6-field cron fire every 2 s instead of every 5 min.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { latestFireAtOrBefore, nextFireTimes, scheduledRunId } from '../../src/domain/schedules/index.ts';
import { scheduleFiring, workflowRunStarter, type ScheduleFiring } from '../../src/services/schedules/index.ts';
import { workflowRunsService } from '../../src/services/workflow-runs.service.ts';
import type { WorkerProcess } from '../../src/processes.ts';
import { startStack, type TestStack } from '../support/stack.ts';

const FAST = { SCHEDULE_MIN_INTERVAL_SECONDS: '1', SCHEDULE_ALLOW_SECONDS: 'true', SCHEDULE_SYNC_INTERVAL_MS: '600000', LLM_KEY: '' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WORKFLOW = {
  json_definition: {
    title: 'Scheduled weather',
    workflow_definition: {
      parameters: [
        { parameter_type: 'workflow', key: 'city', workflow_parameter_type: 'string', default_value: null },
        { parameter_type: 'workflow', key: 'days', workflow_parameter_type: 'integer', default_value: 3 },
      ],
      blocks: [{ block_type: 'wait', label: 'pause', wait_sec: 0 }],
    },
  },
};

interface RunRowLite { run_id: string; schedule_id: string; trigger_type: string; workflow_permanent_id: string; request: any; created_at: Date }

/** Every slot of `cron` in [from, to] (UTC). */
function slotsBetween(cron: string, from: Date, to: Date): Date[] {
  const out: Date[] = [];
  let t = new Date(from.getTime() - 1);
  for (;;) {
    const [next] = nextFireTimes(cron, 'UTC', t, 1);
    if (next > to) return out;
    out.push(next);
    t = next;
  }
}

describe('schedule firing', () => {
  let stack: TestStack;
  let db: pg.Client;
  let wpid: string;
  const closed = new Set<WorkerProcess>();
  before(async () => {
    stack = await startStack({ env: FAST });
    db = new pg.Client({ connectionString: stack.config.databaseUrl });
    await db.connect();
    wpid = (await stack.request('POST', '/v1/agents', WORKFLOW)).body.workflow_permanent_id;
  });
  after(async () => { await db.end(); await stack.close(); });

  const createSchedule = async (cron_expression: string, parameters: Record<string, unknown>) => {
    const res = await stack.request('POST', `/v1/agents/${wpid}/schedules`, { cron_expression, timezone: 'UTC', parameters });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.schedule.workflow_schedule_id as string;
  };
  const disable = (id: string) => stack.request('POST', `/v1/agents/${wpid}/schedules/${id}/disable`);
  const runsOf = async (scheduleId: string): Promise<RunRowLite[]> => (await db.query(
    'select run_id, schedule_id, trigger_type, workflow_permanent_id, request, created_at from runs where schedule_id = $1 order by created_at', [scheduleId],
  )).rows;
  const fireFromOf = async (scheduleId: string): Promise<Date> =>
    (await db.query('select fire_from from workflow_schedules where workflow_schedule_id = $1', [scheduleId])).rows[0].fire_from;
  const firingOf = (w: WorkerProcess): ScheduleFiring => scheduleFiring({
    logger: w.core.logger, runs: w.core.repos.runs, ...w.core.scheduling, starter: workflowRunStarter(workflowRunsService(w.core)),
  });
  const stopWorker = async (w: WorkerProcess) => { closed.add(w); await w.close(1000); };

  it('fires every slot exactly once across two workers, even with both racing their catch-up', async () => {
    const workers = [await stack.startWorker(), await stack.startWorker()];
    const cron = '*/2 * * * * *';
    const id = await createSchedule(cron, { city: 'Oslo', days: null });
    const fireFrom = await fireFromOf(id);

    await sleep(5_000); // the clock alone
    // Then both workers also try every due slot themselves, as a restarted worker or the sweep would.
    const firers = workers.map(firingOf);
    const racingUntil = Date.now() + 5_000;
    while (Date.now() < racingUntil) {
      await Promise.all(firers.map((f) => f.catchUp(new Date(), 0)));
      await sleep(50);
    }
    assert.equal((await disable(id)).status, 200);
    const disabledAt = new Date();
    await sleep(2_500);

    const runs = await runsOf(id);
    const expected = slotsBetween(cron, fireFrom, new Date(disabledAt.getTime() - 300));
    const allowed = new Set(slotsBetween(cron, fireFrom, new Date(disabledAt.getTime() + 300)).map((s) => scheduledRunId(id, s)));
    assert.ok(expected.length >= 4, `only ${expected.length} slots passed`);
    for (const run of runs) assert.ok(allowed.has(run.run_id), `run ${run.run_id} is not one slot's run`);
    const ids = new Set(runs.map((r) => r.run_id));
    for (const slot of expected) assert.ok(ids.has(scheduledRunId(id, slot)), `slot ${slot.toISOString()} never fired`);
    assert.equal(ids.size, runs.length);

    for (const run of runs) {
      assert.equal(run.trigger_type, 'scheduled');
      assert.equal(run.schedule_id, id);
      assert.equal(run.workflow_permanent_id, wpid);
      assert.deepEqual(run.request.parameters, { city: 'Oslo' }, 'the schedule\'s parameters, nulls dropped');
    }
    const view = await stack.request('GET', `/v1/runs/${runs[0].run_id}`);
    assert.equal(view.status, 200);
    assert.equal(view.body.run_id, runs[0].run_id);
    assert.equal(view.body.run_request?.parameters?.city, 'Oslo');
    const schedule = (await db.query('select last_fired_slot_at, last_run_id from workflow_schedules where workflow_schedule_id = $1', [id])).rows[0];
    assert.equal(schedule.last_run_id, runs.at(-1)!.run_id);
    for (const w of workers) await stopWorker(w);
  });

  it('fires nothing while disabled, and resumes from the moment it is enabled again', async () => {
    const cron = '*/2 * * * * *';
    const worker = await stack.startWorker();
    const id = await createSchedule(cron, { city: 'Lima' });
    const createdFrom = await fireFromOf(id);
    await disable(id);
    const before = (await runsOf(id)).length;
    await sleep(4_500);
    assert.equal((await runsOf(id)).length, before, 'no run while disabled');
    const enabledAt = new Date();
    await stack.request('POST', `/v1/agents/${wpid}/schedules/${id}/enable`);
    await sleep(4_500);
    await disable(id);
    const runs = await runsOf(id);
    assert.ok(runs.length - before >= 1, 'fires again once enabled');
    const slotsWhilePaused = new Set(slotsBetween(cron, createdFrom, enabledAt).map((s) => scheduledRunId(id, s)));
    assert.ok(runs.every((r) => !slotsWhilePaused.has(r.run_id)), 'slots skipped while paused are not replayed');
    await stopWorker(worker);
  });

  it('a worker back from downtime fires the latest missed slot once, not every missed one', async () => {
    // A daily schedule that has existed for days: only the catch-up can fire it (its clock's next slot is tomorrow).
    const daily = await createSchedule('0 3 * * *', { city: 'Rome' });
    await db.query(`update workflow_schedules set fire_from = now() - interval '3 days' where workflow_schedule_id = $1`, [daily]);
    // A fast one whose clock job goes overdue while no worker runs.
    const fastCron = '*/3 * * * * *';
    const fast = await createSchedule(fastCron, { city: 'Cairo' });
    const fastFrom = await fireFromOf(fast);
    await sleep(7_000);

    const back = new Date();
    const worker = await stack.startWorker();
    await sleep(1_000);
    await disable(fast);

    const latestDaily = latestFireAtOrBefore('0 3 * * *', 'UTC', back)!;
    assert.deepEqual((await runsOf(daily)).map((r) => r.run_id), [scheduledRunId(daily, latestDaily)]);

    const fastRuns = new Set((await runsOf(fast)).map((r) => r.run_id));
    const missed = slotsBetween(fastCron, fastFrom, back);
    assert.ok(missed.length >= 2, 'several slots passed while down');
    const latestMissed = missed.at(-1)!;
    for (const old of missed.slice(0, -1)) assert.ok(!fastRuns.has(scheduledRunId(fast, old)), `older missed slot ${old.toISOString()} was back-filled`);
    // The latest missed slot when the worker came back (or the one after, had startup crossed a slot boundary).
    const [afterLatest] = nextFireTimes(fastCron, 'UTC', latestMissed, 1);
    assert.ok(fastRuns.has(scheduledRunId(fast, latestMissed)) || fastRuns.has(scheduledRunId(fast, afterLatest)), 'the latest missed slot fired');

    // Another restart owes nothing more for the daily schedule.
    await stopWorker(worker);
    const again = await stack.startWorker();
    await sleep(500);
    assert.equal((await runsOf(daily)).length, 1);
    await stopWorker(again);
  });
});
