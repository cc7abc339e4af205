import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { RunRow } from '../../db/repositories/runs.repo.ts';
import { serializePayload, webhookHeaders, webhookPayload } from './payload.ts';

const run = {
  runId: 'tsk_1', runType: 'task_v1', organizationId: 'o_1', webhookUrl: 'http://127.0.0.1/hook', webhookFailureReason: null,
  maxSteps: 10, request: { prompt: 'p' }, stepCount: 2, title: null, workflowPermanentId: null,
} as unknown as RunRow;

describe('webhook payload', () => {
  it('merges the run view over the legacy task fields and drops run_request', () => {
    const view = { run_id: 'tsk_1', status: 'completed', output: { a: 1.0 }, screenshot_urls: ['s1', 's2'], run_request: { prompt: 'p' } };
    const payload = webhookPayload(run, view);
    assert.equal(payload.task_id, 'tsk_1');
    assert.equal(payload.screenshot_url, 's1');
    assert.deepEqual(payload.extracted_information, { a: 1 });
    assert.equal(payload.status, 'completed');
    assert.ok(!('run_request' in payload));
  });

  it('keeps run_request and adds workflow legacy fields for workflow runs', () => {
    const wr = { ...run, runId: 'wr_1', runType: 'workflow_run', workflowPermanentId: 'wpid_1' } as RunRow;
    const payload = webhookPayload(wr, { run_id: 'wr_1', status: 'failed', output: null, run_request: { workflow_id: 'wpid_1', parameters: { x: 1 } } });
    assert.equal(payload.workflow_run_id, 'wr_1');
    assert.equal(payload.workflow_id, 'wpid_1');
    assert.deepEqual(payload.parameters, { x: 1 });
    assert.ok('run_request' in payload);
  });

  it('serializes compactly, keeps non-ASCII as is, and signs the exact bytes', () => {
    const body = serializePayload({ b: 2.0, s: 'café ✓', n: [1, { x: null }] });
    assert.equal(body, '{"b":2,"s":"café ✓","n":[1,{"x":null}]}');
    const headers = webhookHeaders(body, 'sk_key', 'whd_1', 3, new Date(1_700_000_000_500));
    assert.equal(headers['x-skyvern-signature'], createHmac('sha256', 'sk_key').update(Buffer.from(body, 'utf8')).digest('hex'));
    assert.equal(headers['x-skyvern-timestamp'], '1700000000');
    assert.equal(headers['idempotency-key'], 'whd_1');
    assert.equal(headers['content-type'], 'application/json');
    for (const v of Object.values(headers)) assert.equal(typeof v, 'string');
  });
});
