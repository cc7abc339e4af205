// Schedules over HTTP: CRUD in the contract's shapes at every path form, validation naming the
// field, enable/disable keeping the BullMQ clock in step with Postgres, the org-wide list.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type TestStack } from '../support/stack.ts';
import { assertMatchesReference } from '../support/reference-schemas.ts';

const WORKFLOW = (title: string) => ({
  json_definition: {
    title,
    workflow_definition: {
      parameters: [
        { parameter_type: 'workflow', key: 'city', workflow_parameter_type: 'string', default_value: null },
        { parameter_type: 'workflow', key: 'days', workflow_parameter_type: 'integer', default_value: 3 },
      ],
      blocks: [{ block_type: 'wait', label: 'pause', wait_sec: 0 }],
    },
  },
});

describe('schedules API', () => {
  let stack: TestStack;
  let wpid: string;
  let otherWpid: string;
  before(async () => {
    stack = await startStack();
    const a = await stack.request('POST', '/v1/agents', WORKFLOW('Weather report'));
    assert.equal(a.status, 200, JSON.stringify(a.body));
    wpid = a.body.workflow_permanent_id;
    otherWpid = (await stack.request('POST', '/v1/agents', WORKFLOW('Stock digest'))).body.workflow_permanent_id;
  });
  after(async () => { await stack.close(); });

  const create = (body: Record<string, unknown>, id = wpid, prefix = '/v1/agents') =>
    stack.request('POST', `${prefix}/${id}/schedules`, { cron_expression: '*/15 * * * *', timezone: 'UTC', parameters: { city: 'Oslo' }, ...body });
  const clock = (scheduleId: string) => stack.api.core.scheduling.clock.get(scheduleId);

  it('creates a schedule: contract shape, nulls stripped from parameters, next five runs in UTC, a clock in Redis', async () => {
    const res = await create({ cron_expression: '0 9 * * 1-5', timezone: 'America/New_York', parameters: { city: 'Paris', days: null }, name: 'weekday mornings', description: 'before work' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertMatchesReference('WorkflowScheduleResponse', res.body);
    const s = res.body.schedule;
    assert.match(s.workflow_schedule_id, /^wfs_\d+$/);
    assert.equal(s.workflow_permanent_id, wpid);
    assert.equal(s.organization_id, stack.organizationId);
    assert.equal(s.enabled, true);
    assert.deepEqual(s.parameters, { city: 'Paris' });
    assert.equal(s.name, 'weekday mornings');
    assert.equal(s.deleted_at, null);
    assert.equal(res.body.next_runs.length, 5);
    for (const t of res.body.next_runs) {
      const d = new Date(`${t}Z`);
      assert.ok(d.getTime() > Date.now());
      assert.ok([13, 14].includes(d.getUTCHours()), `09:00 New York is 13:00 or 14:00 UTC, got ${t}`);
      assert.ok(d.getUTCDay() >= 1 && d.getUTCDay() <= 5);
    }
    const state = await clock(s.workflow_schedule_id);
    assert.deepEqual([state?.pattern, state?.tz, state?.nextMillis], ['0 9 * * 1-5', 'America/New_York', new Date(`${res.body.next_runs[0]}Z`).getTime()]);
  });

  it('answers at /v1/agents, /v1/workflows and the legacy /api/v1/workflows paths alike', async () => {
    const legacy = await create({ name: 'legacy' }, wpid, '/api/v1/workflows');
    assert.equal(legacy.status, 200, JSON.stringify(legacy.body));
    const id = legacy.body.schedule.workflow_schedule_id;
    for (const prefix of ['/v1/agents', '/v1/workflows', '/api/v1/workflows']) {
      const one = await stack.request('GET', `${prefix}/${wpid}/schedules/${id}`);
      assert.equal(one.status, 200, prefix);
      assert.equal(one.body.schedule.name, 'legacy');
      const list = await stack.request('GET', `${prefix}/${wpid}/schedules`);
      assert.equal(list.status, 200, prefix);
      assertMatchesReference('WorkflowScheduleListResponse', list.body);
      assert.ok(list.body.schedules.some((x: any) => x.workflow_schedule_id === id));
      assert.ok(list.body.schedules.every((x: any) => x.workflow_permanent_id === wpid));
    }
    const disabled = await stack.request('POST', `/api/v1/workflows/${wpid}/schedules/${id}/disable`);
    assert.equal(disabled.body.schedule.enabled, false);
    const deleted = await stack.request('DELETE', `/api/v1/workflows/${wpid}/schedules/${id}`);
    assert.deepEqual(deleted.body, { ok: true });
  });

  it('refuses a bad cron, an unknown timezone and a too-frequent cron with 422 naming the field', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ cron_expression: 'every day at nine' }, 'cron_expression', /Invalid cron expression/],
      [{ cron_expression: '61 * * * *' }, 'cron_expression', /Invalid cron expression/],
      [{ cron_expression: '0 0 9 * * *' }, 'cron_expression', /expected 5 fields/],
      [{ cron_expression: '@daily' }, 'cron_expression', /expected 5 fields/],
      [{ cron_expression: '* * * * *' }, 'cron_expression', /at least 5 minutes/],
      [{ cron_expression: '0,3 9 * * *' }, 'cron_expression', /at least 5 minutes/],
      [{ timezone: 'Mars/Olympus_Mons' }, 'timezone', /Invalid timezone 'Mars\/Olympus_Mons'/],
      [{ timezone: '+02:00' }, 'timezone', /Invalid timezone/],
    ];
    for (const [body, field, msg] of cases) {
      const res = await create(body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assertMatchesReference('HTTPValidationError', res.body);
      assert.deepEqual(res.body.detail.map((d: any) => d.loc), [['body', field]], JSON.stringify(res.body));
      assert.match(res.body.detail[0].msg, msg);
    }
    const missing = await stack.request('POST', `/v1/agents/${wpid}/schedules`, { cron_expression: '0 9 * * *' });
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body.detail[0].loc, ['body', 'timezone']);
  });

  it('checks parameters against the workflow: unknown keys, missing required ones, wrong types → 400', async () => {
    const unknown = await create({ parameters: { city: 'Oslo', citty: 'typo' } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.detail, `Unknown schedule parameters for workflow ${wpid}: citty`);
    const missing = await create({ parameters: { days: 2 } });
    assert.equal(missing.status, 400);
    assert.match(missing.body.detail, /Missing schedule parameters .*: city/);
    const wrongType = await create({ parameters: { city: 'Oslo', days: 'many' } });
    assert.equal(wrongType.status, 400);
    assert.match(wrongType.body.detail, /days/);
  });

  it('answers 404 for an unknown workflow, an unknown schedule and a schedule of another workflow', async () => {
    const noWorkflow = await create({}, 'wpid_404');
    assert.equal(noWorkflow.status, 404);
    assert.equal(noWorkflow.body.detail, 'Workflow wpid_404 not found');
    assert.equal((await stack.request('GET', `/v1/agents/${wpid}/schedules/wfs_404`)).status, 404);
    const id = (await create({})).body.schedule.workflow_schedule_id;
    const wrong = await stack.request('GET', `/v1/agents/${otherWpid}/schedules/${id}`);
    assert.equal(wrong.status, 404);
    assert.equal(wrong.body.detail, `Schedule ${id} not found`);
  });

  it('disables and enables: the flag, the clock in Redis and the org-wide status filter follow', async () => {
    const id = (await create({ name: 'toggle me' })).body.schedule.workflow_schedule_id;
    assert.ok(await clock(id));
    const off = await stack.request('POST', `/v1/agents/${wpid}/schedules/${id}/disable`);
    assert.equal(off.status, 200);
    assertMatchesReference('WorkflowScheduleResponse', off.body);
    assert.equal(off.body.schedule.enabled, false);
    assert.equal(await clock(id), undefined, 'a disabled schedule has no clock');
    const paused = await stack.request('GET', '/v1/schedules?status=paused&page_size=100');
    assert.ok(paused.body.schedules.some((s: any) => s.workflow_schedule_id === id && s.next_run === null));
    const on = await stack.request('POST', `/v1/workflows/${wpid}/schedules/${id}/enable`);
    assert.equal(on.body.schedule.enabled, true);
    assert.ok(await clock(id));
    const active = await stack.request('GET', '/v1/schedules?status=active&page_size=100');
    assert.ok(active.body.schedules.some((s: any) => s.workflow_schedule_id === id && s.next_run));
  });

  it('updates with PUT: fields replaced, enabled left alone when omitted, the clock re-pointed', async () => {
    const created = (await create({ name: 'before', description: 'd' })).body.schedule;
    const id = created.workflow_schedule_id;
    await stack.request('POST', `/v1/agents/${wpid}/schedules/${id}/disable`);
    const res = await stack.request('PUT', `/v1/agents/${wpid}/schedules/${id}`, { cron_expression: '30 6 * * *', timezone: 'Asia/Tokyo', parameters: { city: 'Kyoto' }, name: 'after' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertMatchesReference('WorkflowScheduleResponse', res.body);
    assert.deepEqual(
      [res.body.schedule.cron_expression, res.body.schedule.timezone, res.body.schedule.enabled, res.body.schedule.name, res.body.schedule.description, res.body.schedule.parameters],
      ['30 6 * * *', 'Asia/Tokyo', false, 'after', null, { city: 'Kyoto' }],
    );
    assert.equal(res.body.schedule.created_at, created.created_at);
    assert.ok(res.body.next_runs.every((t: string) => t.endsWith('21:30:00.000000')), '06:30 Tokyo is 21:30 UTC');
    const enabled = await stack.request('PUT', `/api/v1/workflows/${wpid}/schedules/${id}`, { cron_expression: '0 7 * * *', timezone: 'Asia/Tokyo', parameters: { city: 'Kyoto' }, enabled: true });
    assert.equal(enabled.body.schedule.enabled, true);
    assert.equal((await clock(id))?.pattern, '0 7 * * *');
    const bad = await stack.request('PUT', `/v1/agents/${wpid}/schedules/${id}`, { cron_expression: '*/2 * * * *', timezone: 'UTC' });
    assert.equal(bad.status, 422);
  });

  it('deletes softly: {"ok": true}, then 404, gone from lists, clock removed', async () => {
    const id = (await create({ name: 'short-lived' })).body.schedule.workflow_schedule_id;
    const res = await stack.request('DELETE', `/v1/agents/${wpid}/schedules/${id}`);
    assert.equal(res.status, 200);
    assertMatchesReference('DeleteScheduleResponse', res.body);
    assert.deepEqual(res.body, { ok: true });
    assert.equal((await stack.request('GET', `/v1/agents/${wpid}/schedules/${id}`)).status, 404);
    assert.equal((await stack.request('DELETE', `/v1/agents/${wpid}/schedules/${id}`)).status, 404);
    const list = await stack.request('GET', `/v1/agents/${wpid}/schedules`);
    assert.ok(!list.body.schedules.some((s: any) => s.workflow_schedule_id === id));
    assert.equal(await clock(id), undefined);
  });

  it('lists the organization\'s schedules with paging, workflow titles and search', async () => {
    await create({ name: 'stock open' }, otherWpid);
    await create({ name: 'stock close' }, otherWpid);
    const all = await stack.request('GET', '/v1/schedules?page_size=100');
    assert.equal(all.status, 200);
    assertMatchesReference('OrganizationScheduleListResponse', all.body);
    const total = all.body.total_count;
    assert.equal(all.body.schedules.length, total);
    assert.ok(all.body.schedules.every((s: any) => typeof s.workflow_title === 'string' && s.workflow_title.length > 0));
    const page2 = await stack.request('GET', '/api/v1/schedules?page=2&page_size=2');
    assert.deepEqual([page2.body.page, page2.body.page_size, page2.body.total_count, page2.body.schedules.length], [2, 2, total, 2]);
    assert.deepEqual(page2.body.schedules.map((s: any) => s.workflow_schedule_id), all.body.schedules.slice(2, 4).map((s: any) => s.workflow_schedule_id));
    const byTitle = await stack.request('GET', '/v1/schedules?search=stock%20dig&page_size=100');
    assert.equal(byTitle.body.total_count, 2);
    assert.deepEqual(byTitle.body.schedules.map((s: any) => s.workflow_title), ['Stock digest', 'Stock digest']);
    const byName = await stack.request('GET', '/v1/schedules?search=CLOSE');
    assert.deepEqual(byName.body.schedules.map((s: any) => s.name), ['stock close']);
    assert.equal((await stack.request('GET', '/v1/schedules?page_size=101')).status, 422);
    assert.equal((await stack.request('GET', '/v1/schedules?status=sleeping')).status, 422);
  });
});

describe('schedules switched off (ENABLE_WORKFLOW_SCHEDULES=false)', () => {
  it('answers 501 with a reason, as Skyvern does', async () => {
    const stack = await startStack({ env: { ENABLE_WORKFLOW_SCHEDULES: 'false' } });
    try {
      const wpid = (await stack.request('POST', '/v1/agents', WORKFLOW('Off'))).body.workflow_permanent_id;
      for (const [method, url] of [['GET', '/v1/schedules'], ['GET', `/v1/agents/${wpid}/schedules`]] as const) {
        const res = await stack.request(method, url);
        assert.equal(res.status, 501, url);
        assert.match(res.body.detail, /schedules are disabled/);
      }
    } finally { await stack.close(); }
  });
});
