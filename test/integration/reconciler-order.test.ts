import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { startStack, type TestStack } from '../support/stack.ts';

// Issue 12, part 6: a run whose worker lost the database stayed `running` for minutes behind an
// 800-run backlog, because the reconciler took the 500 oldest owed rows first.
describe('the reconciler takes stale running runs before the queued backlog', () => {
  let stack: TestStack;
  before(async () => { stack = await startStack(); });
  after(async () => { await stack.close(); });

  it('a running run with an expired lease is in the first batch behind 800 older queued runs', async () => {
    const repos = stack.api.core.repos;
    const past = new Date(Date.now() - 60 * 60_000);
    // 800 queued runs, all created before the running one, all older than the waiting grace.
    const values: string[] = [];
    for (let i = 0; i < 800; i += 1) {
      values.push(`('wr_backlog_${i}', '${stack.organizationId}', 'task_v2', 'queued', '{}'::jsonb, now() - interval '2 hours' + ${i} * interval '1 second', now() - interval '2 hours')`);
    }
    const client = new pg.Client({ connectionString: stack.config.databaseUrl });
    await client.connect();
    try {
      await client.query(`insert into runs (run_id, organization_id, run_type, status, request, created_at, modified_at) values ${values.join(',')}`);
    } finally { await client.end(); }
    await repos.runs.insert({
      runId: 'wr_stale_running', organizationId: stack.organizationId, runType: 'task_v2', status: 'running',
      request: {}, createdAt: new Date(), leaseExpiresAt: past,
    });

    const now = new Date();
    const batch = await repos.runs.listOwed(new Date(now.getTime() - 5_000), now);
    assert.equal(batch.length, 500);
    assert.ok(batch.some((r) => r.runId === 'wr_stale_running'), 'the stale running run is in the first batch');
    assert.equal(batch[0]!.runId, 'wr_stale_running', 'and comes first');
    // The queued backlog follows, oldest first.
    assert.equal(batch[1]!.runId, 'wr_backlog_0');
  });
});
