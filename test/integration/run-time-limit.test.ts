import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, type TestStack } from '../support/stack.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';

describe('task runs are bounded in time', () => {
  let stack: TestStack;
  let site: Receiver;
  before(async () => {
    site = await startReceiver(undefined, { '/never': { hang: true } });
    // One "minute" lasts one second here, and a task may run one of them.
    stack = await startStack({ worker: true, env: { TASK_MAX_ELAPSED_TIME_MINUTES: '1', SKYPORT_MINUTE_MS: '1000' } });
  });
  after(async () => { await stack.close(); await site.close(); });

  it('ends `timed_out` when its page never finishes loading, and says why', async () => {
    const created = await stack.request('POST', '/v1/run/tasks', { prompt: 'wait forever', url: site.url('/never'), webhook_url: site.url('/hook') });
    assert.equal(created.status, 200);
    const run = await stack.waitForTerminal(created.body.run_id, 30_000);
    assert.equal(run.status, 'timed_out');
    assert.equal(run.failure_reason, 'Run exceeded max elapsed runtime limit of 1 minute.');
    const ranMs = Date.parse(`${run.finished_at}Z`) - Date.parse(`${run.started_at}Z`);
    assert.ok(ranMs >= 900 && ranMs < 10_000, `ran ${ranMs} ms for a 1 s limit`);
    const [hook] = await site.waitFor('/hook');
    assert.equal(hook.body.status, 'timed_out');
  });
});
