import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Ajv } from 'ajv';
import pg from 'pg';
import { startStack, type TestStack } from '../support/stack.ts';
import { startReceiver, type Receiver } from '../support/webhook-receiver.ts';
import { skyvernContract } from '../support/skyvern-contract.ts';

const replayShape = new Ajv({ strict: false }).compile(skyvernContract().components.schemas.RunWebhookReplayResponse);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hmac = (key: string, raw: Buffer) => createHmac('sha256', key).update(raw).digest('hex');

describe('webhooks', () => {
  let stack: TestStack;
  let rx: Receiver;
  before(async () => {
    rx = await startReceiver((path, hits) => {
      if (path === '/flaky') return hits <= 2 ? { status: 500, body: 'try later' } : { status: 200, body: 'ok' };
      if (path === '/gone') return { status: 404, body: 'no such hook' };
      return { status: 200, body: 'thanks' };
    }, { '/page': {}, '/hang': { hang: true } });
    // Backoff shrunk from 40 s to 100 ms so three attempts fit in a test.
    stack = await startStack({ worker: true, env: { WEBHOOK_BACKOFF_MS: '100', WEBHOOK_MAX_ATTEMPTS: '5', WEBHOOK_TIMEOUT_MS: '5000' } });
  });
  after(async () => { await stack.close(); await rx.close(); });

  const runTo = async (hookPath: string, pagePath = '/page') => {
    const res = await stack.request('POST', '/v1/run/tasks', { prompt: 'look around', url: rx.url(pagePath), webhook_url: rx.url(hookPath) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.run_id as string;
  };
  const deliveries = async (runId: string) => {
    const res = await stack.request('GET', `/v1/runs/${runId}/webhook_deliveries`);
    assert.equal(res.status, 200);
    return res.body as any[];
  };

  it('POSTs the run view, signed over the raw body with the organization key', async () => {
    const runId = await runTo('/signed');
    const run = await stack.waitForTerminal(runId);
    const [hook] = await rx.waitFor('/signed');
    assert.equal(hook.headers['x-skyvern-signature'], hmac(stack.apiKey, hook.raw));
    assert.equal(hook.headers['content-type'], 'application/json');
    assert.ok(Math.abs(Number(hook.headers['x-skyvern-timestamp']) - Date.now() / 1000) < 60);
    assert.match(String(hook.headers['idempotency-key']), /^whd_\d+$/);
    assert.equal(hook.headers['x-skyport-delivery-id'], hook.headers['idempotency-key']);
    assert.equal(hook.raw.toString('utf8'), JSON.stringify(hook.body), 'compact JSON, serialized once');
    assert.equal(hook.body.run_id, runId);
    assert.equal(hook.body.task_id, runId);
    assert.equal(hook.body.status, run.status);
    assert.equal(hook.body.run_type, 'task_v1');
    assert.equal(hook.body.failure_reason, run.failure_reason);
    assert.equal(hook.body.step_count, run.step_count);
    assert.ok(!('run_request' in hook.body), 'task payloads leave run_request out, as Skyvern does');
    // The receiver has the POST before the worker records the answer: wait for the record.
    let [d] = await deliveries(runId);
    for (let i = 0; i < 100 && d?.status !== 'delivered'; i += 1) { await sleep(50); [d] = await deliveries(runId); }
    assert.equal(d.status, 'delivered');
    assert.equal(d.trigger, 'terminal');
    assert.deepEqual(d.attempts.map((a: any) => [a.attempt_number, a.outcome, a.status_code, a.response_body]), [[1, 'delivered', 200, 'thanks']]);
    assert.equal(typeof d.attempts[0].latency_ms, 'number');
  });

  it('retries 5xx with backoff: three attempts, one success, one idempotency key', async () => {
    const runId = await runTo('/flaky');
    await stack.waitForTerminal(runId);
    const hooks = await rx.waitFor('/flaky', 3);
    await sleep(800);
    assert.equal(rx.for('/flaky').length, 3, 'nothing after the success');
    assert.equal(new Set(hooks.map((h) => h.headers['idempotency-key'])).size, 1);
    assert.equal(new Set(hooks.map((h) => h.raw.toString('base64'))).size, 1, 'every retry sends the same bytes');
    assert.deepEqual(hooks.map((h) => h.headers['x-skyport-attempt']), ['1', '2', '3']);
    const list = await deliveries(runId);
    assert.equal(list.length, 1);
    assert.equal(list[0].status, 'delivered');
    assert.deepEqual(list[0].attempts.map((a: any) => [a.outcome, a.status_code]), [['retrying', 500], ['retrying', 500], ['delivered', 200]]);
  });

  it('gives up at once on a 4xx and tells the run why', async () => {
    const runId = await runTo('/gone');
    await stack.waitForTerminal(runId);
    await rx.waitFor('/gone');
    await sleep(1000);
    assert.equal(rx.for('/gone').length, 1, '404 is final: no retry');
    const [d] = await deliveries(runId);
    assert.equal(d.status, 'failed');
    assert.deepEqual(d.attempts.map((a: any) => [a.outcome, a.status_code]), [['failed', 404]]);
    const row = await stack.api.core.repos.runs.getById(runId);
    assert.equal(row?.webhookFailureReason, 'Webhook failed with status code 404, error message: no such hook');
  });

  it('sends exactly one delivery for a canceled run', async () => {
    const runId = await runTo('/canceled', '/hang');
    await stack.waitForRun(runId, (r) => r.status === 'running');
    assert.equal((await stack.request('POST', `/v1/runs/${runId}/cancel`)).status, 200);
    const [hook] = await rx.waitFor('/canceled');
    assert.equal(hook.body.status, 'canceled');
    await stack.waitForTerminal(runId);
    await sleep(1500); // the worker unwinds the aborted run meanwhile; it must not send a second one
    assert.equal(rx.for('/canceled').length, 1);
    assert.equal((await deliveries(runId)).length, 1);
    assert.equal((await stack.request('POST', `/v1/runs/${runId}/cancel`)).status, 200);
    await sleep(300);
    assert.equal((await deliveries(runId)).length, 1, 'canceling a finished run sends nothing');
  });

  it('refuses a target that points at a cloud metadata address at delivery time', async () => {
    const { runs } = stack.api.core.repos;
    // As if DNS had changed after the run was accepted: the stored URL now reaches the metadata service.
    const runId = await runTo('/later');
    await stack.waitForTerminal(runId);
    await rx.waitFor('/later');
    const victim = await runs.insert({
      runId: `tsk_${Date.now()}9`, organizationId: stack.organizationId, runType: 'task_v1', status: 'failed',
      request: { prompt: 'x' }, webhookUrl: 'http://169.254.169.254/latest/meta-data/', finishedAt: new Date(),
    });
    await stack.api.core.hooks.onTerminal(victim);
    let list: any[] = [];
    for (let i = 0; i < 100 && list[0]?.status !== 'failed'; i += 1) { await sleep(50); list = await deliveries(victim.runId); }
    assert.equal(list[0].status, 'failed');
    assert.equal(list[0].attempts.length, 1, 'a refused target is not retried');
    assert.equal(list[0].attempts[0].status_code, null);
    assert.match(list[0].attempts[0].error, /webhook refused: 169\.254\.169\.254 is a cloud metadata address/);
    assert.match((await runs.getById(victim.runId))?.webhookFailureReason ?? '', /failed before receiving a response: webhook refused: 169\.254\.169\.254 is a cloud metadata address/);
    const replay = await stack.request('POST', `/v1/runs/${victim.runId}/retry_webhook`, { webhook_url: 'http://[fd00:ec2::254]/' });
    assert.equal(replay.status, 400);
  });

  it('retry_webhook replays once, answers the contract shape and records the attempt', async () => {
    const runId = await runTo('/replayed');
    await stack.waitForTerminal(runId);
    await rx.waitFor('/replayed');
    // The SDK sends `Content-Type: application/json` with an empty body.
    const res = await stack.request('POST', `/v1/runs/${runId}/retry_webhook`, '');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(replayShape({ ...res.body }), JSON.stringify(replayShape.errors));
    assert.equal(res.body.run_id, runId);
    assert.equal(res.body.run_type, 'task_v1');
    assert.equal(res.body.default_webhook_url, rx.url('/replayed'));
    assert.equal(res.body.target_webhook_url, rx.url('/replayed'));
    assert.equal(res.body.status_code, 200);
    assert.equal(res.body.error, null);
    assert.equal(res.body.response_body, 'thanks');
    assert.equal(typeof res.body.payload, 'string');
    assert.equal(res.body.headers['x-skyvern-signature'], hmac(stack.apiKey, Buffer.from(res.body.payload, 'utf8')));
    const hooks = rx.for('/replayed');
    assert.equal(hooks.length, 2);
    assert.equal(hooks[1].raw.toString('utf8'), res.body.payload);
    assert.notEqual(hooks[1].headers['idempotency-key'], hooks[0].headers['idempotency-key'], 'a replay is a new delivery');

    const other = await stack.request('POST', `/v1/runs/${runId}/retry_webhook`, { webhook_url: rx.url('/elsewhere') });
    assert.equal(other.status, 200);
    assert.equal(other.body.target_webhook_url, rx.url('/elsewhere'));
    assert.equal(rx.for('/elsewhere').length, 1);
    const list = await deliveries(runId);
    assert.deepEqual(list.map((d: any) => [d.trigger, d.status, d.attempts.length]), [['terminal', 'delivered', 1], ['replay', 'delivered', 1], ['replay', 'delivered', 1]]);
    assert.equal(list[2].url, rx.url('/elsewhere'));
  });

  it('retry_webhook: 404 for an unknown or foreign run, 400 without any URL', async () => {
    assert.equal((await stack.request('POST', '/v1/runs/tsk_404/retry_webhook', {})).status, 404);
    const runId = await runTo('/mine');
    await stack.waitForTerminal(runId);
    const intruder = await stack.api.services.organizations.createOrganization('intruder');
    const foreign = await stack.request('POST', `/v1/runs/${runId}/retry_webhook`, {}, { 'x-api-key': intruder.apiKey });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.detail, `Run ${runId} not found`);
    const plain = await stack.request('POST', '/v1/run/tasks', { prompt: 'no hook', url: rx.url('/page') });
    await stack.waitForTerminal(plain.body.run_id);
    const none = await stack.request('POST', `/v1/runs/${plain.body.run_id}/retry_webhook`, { webhook_url: null });
    assert.equal(none.status, 400);
    assert.equal(none.body.detail, 'No webhook URL configured for the run.');
    const bare = await stack.api.app.inject({ method: 'POST', url: `/v1/runs/${plain.body.run_id}/retry_webhook`, headers: { 'x-api-key': stack.apiKey } });
    assert.equal(bare.statusCode, 400, 'no body and no content type is the same as an empty body');
    assert.deepEqual(await deliveries(plain.body.run_id), []);
  });

  it('never loses a delivery: the reconciler re-queues lost jobs and creates missing deliveries', async () => {
    const { runs, webhooks } = stack.api.core.repos;
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const terminalRun = (suffix: string) => runs.insert({
      runId: `tsk_${Date.now()}${suffix}`, organizationId: stack.organizationId, runType: 'task_v1', status: 'completed',
      request: { prompt: 'x' }, webhookUrl: rx.url(`/recovered-${suffix}`), finishedAt: tenMinutesAgo,
    });
    // 1: the delivery row exists but Redis never got (or lost) its job.
    const lostJob = await terminalRun('1');
    const { delivery } = await webhooks.createDelivery({ deliveryId: `whd_${Date.now()}1`, runId: lostJob.runId, organizationId: stack.organizationId, trigger: 'terminal', url: lostJob.webhookUrl! });
    const db = new pg.Client({ connectionString: stack.config.databaseUrl });
    await db.connect();
    await db.query('update webhook_deliveries set modified_at = $1 where delivery_id = $2', [tenMinutesAgo, delivery.deliveryId]);
    await db.end();
    // 2: the process died between the terminal status write and creating the delivery.
    const neverCreated = await terminalRun('2');
    const result = await stack.api.core.webhooks.recover({ graceMs: 5 * 60_000, windowMs: 60 * 60_000 });
    assert.ok(result.requeued >= 1 && result.created >= 1, JSON.stringify(result));
    const [first] = await rx.waitFor('/recovered-1');
    assert.equal(first.headers['idempotency-key'], delivery.deliveryId);
    await rx.waitFor('/recovered-2');
    assert.equal((await deliveries(neverCreated.runId)).length, 1);
    await stack.api.core.webhooks.recover({ graceMs: 5 * 60_000, windowMs: 60 * 60_000 });
    await sleep(300);
    assert.equal(rx.for('/recovered-1').length + rx.for('/recovered-2').length, 2, 'a second pass finds nothing owed');
  });
});
