import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startStack, TERMINAL, type TestStack } from '../support/stack.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('per-organization run concurrency', () => {
  let stack: TestStack;
  let site: Receiver;
  let db: pg.Client;
  before(async () => {
    // Each run holds its slot at least 1.5 s: its start page answers slowly (no LLM: it then ends `failed`).
    site = await startReceiver(undefined, { '/slow': { delayMs: 1500 } });
    stack = await startStack({ env: { RUN_SLOT_RETRY_MS: '200' } });
    // Two workers, four slots each: the limit must hold across processes, not only inside one.
    await stack.startWorker();
    await stack.startWorker();
    db = new pg.Client({ connectionString: stack.config.databaseUrl });
    await db.connect();
  });
  after(async () => { await db.end(); await stack.close(); await site.close(); });

  const runningCount = async (orgId: string) =>
    (await db.query<{ n: number }>("select count(*)::int n from runs where organization_id = $1 and status = 'running'", [orgId])).rows[0].n;

  it('runs one at a time for an organization limited to 1, and finishes them all', async () => {
    await db.query('update organizations set max_concurrent_runs = 1 where organization_id = $1', [stack.organizationId]);
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await stack.request('POST', '/v1/run/tasks', { prompt: `run ${i}`, url: site.url('/slow') });
      assert.equal(res.status, 200);
      ids.push(res.body.run_id);
    }
    let peak = 0;
    let samples = 0;
    const deadline = Date.now() + 90_000;
    for (;;) {
      peak = Math.max(peak, await runningCount(stack.organizationId));
      samples += 1;
      const { rows } = await db.query<{ status: string }>('select status from runs where run_id = any($1)', [ids]);
      if (rows.every((r) => TERMINAL.includes(r.status))) break;
      assert.ok(Date.now() < deadline, `runs did not finish: ${rows.map((r) => r.status)}`);
      await sleep(30);
    }
    assert.equal(peak, 1, `at most one running at once (${samples} samples)`);
    // The rows' own timestamps agree: no two executions overlapped.
    const { rows } = await db.query<{ started_at: Date; finished_at: Date }>(
      'select started_at, finished_at from runs where run_id = any($1) order by started_at', [ids]);
    for (let i = 1; i < rows.length; i += 1) assert.ok(rows[i].started_at >= rows[i - 1].finished_at, `run ${i} started before run ${i - 1} finished`);
  });

  it('takes slots race-free: 12 simultaneous starts under a limit of 2 start exactly 2', async () => {
    const { organizationId } = await stack.api.services.organizations.createOrganization('racers');
    const { runs, runSlots } = stack.api.core.repos;
    const ids = Array.from({ length: 12 }, (_, i) => `tsk_race${Date.now()}${i}`);
    for (const runId of ids) {
      await runs.insert({ runId, organizationId, runType: 'task_v1', status: 'queued', request: { prompt: 'x' } });
    }
    const lease = { leaseExpiresAt: new Date(Date.now() + 60_000) };
    const results = await Promise.all(ids.map((id) => runSlots.startWithinLimit(id, organizationId, 2, lease)));
    assert.equal(results.filter((r) => r !== 'busy' && r?.status === 'running').length, 2);
    assert.equal(results.filter((r) => r === 'busy').length, 10);
    assert.equal(await runningCount(organizationId), 2);
    // A run whose worker stopped renewing its lease frees its slot.
    const holder = results.find((r) => r !== 'busy' && r)!;
    if (holder === 'busy' || !holder) throw new Error('unreachable');
    await runs.renewLease(holder.runId, new Date(Date.now() - 1000));
    const next = await runSlots.startWithinLimit(ids.find((id) => !results.some((r) => r !== 'busy' && r?.runId === id))!, organizationId, 2, lease);
    assert.ok(next !== 'busy' && next?.status === 'running');
    // Another organization is not held back by this one being full.
    const other = await stack.api.services.organizations.createOrganization('bystander');
    const bystander = await runs.insert({ runId: `tsk_by${Date.now()}`, organizationId: other.organizationId, runType: 'task_v1', status: 'queued', request: { prompt: 'x' } });
    const started = await runSlots.startWithinLimit(bystander.runId, other.organizationId, 2, lease);
    assert.ok(started !== 'busy' && started?.status === 'running');
  });

  it('a run waiting for a slot stays queued, its job delayed under the same ID', async () => {
    const { organizationId, apiKey } = await stack.api.services.organizations.createOrganization('one-at-a-time');
    await db.query('update organizations set max_concurrent_runs = 1 where organization_id = $1', [organizationId]);
    const headers = { 'x-api-key': apiKey };
    const statusOf = async (id: string) => (await db.query<{ status: string }>('select status from runs where run_id = $1', [id])).rows[0].status;
    const waitStatus = async (id: string, ok: (s: string) => boolean) => {
      for (let i = 0; i < 600; i += 1) { if (ok(await statusOf(id))) return; await sleep(50); }
      throw new Error(`run ${id} stuck in ${await statusOf(id)}`);
    };
    const first = (await stack.request('POST', '/v1/run/tasks', { prompt: 'first', url: site.url('/slow') }, headers)).body.run_id;
    await waitStatus(first, (s) => s === 'running');
    const second = (await stack.request('POST', '/v1/run/tasks', { prompt: 'second', url: site.url('/slow') }, headers)).body.run_id;
    await sleep(500);
    if ((await statusOf(first)) === 'running') {
      assert.equal(await statusOf(second), 'queued');
      assert.ok(['delayed', 'waiting', 'active'].includes(String(await stack.api.core.runQueue.state(second))));
    }
    await waitStatus(first, (s) => TERMINAL.includes(s));
    await waitStatus(second, (s) => TERMINAL.includes(s));
  });
});
