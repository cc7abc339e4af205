import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockContext } from '../../../../../test/support/block-context.ts';
import { waitBlock } from './wait.block.ts';

describe('wait block', () => {
  it('waits wait_sec seconds and outputs {"success": true}', async () => {
    const started = Date.now();
    const result = await waitBlock(blockContext({ block_type: 'wait', label: 'pause', wait_sec: 1 }));
    assert.deepEqual(result, { status: 'completed', output: { success: true }, failureReason: null });
    assert.ok(Date.now() - started >= 990, 'waited about a second');
  });

  it('treats a missing or negative wait_sec as no wait', async () => {
    const result = await waitBlock(blockContext({ block_type: 'wait', label: 'pause', wait_sec: -5 }));
    assert.equal(result.status, 'completed');
  });

  it('stops at once when the run is aborted, with status canceled', async () => {
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(new Error('user canceled the run')), 50);
    const result = await waitBlock(blockContext({ block_type: 'wait', label: 'pause', wait_sec: 30 }, { signal: abort.signal }));
    assert.equal(result.status, 'canceled');
    assert.match(result.failureReason ?? '', /user canceled the run/);
    assert.ok(Date.now() - started < 2000, 'did not sleep the full 30 s');
  });
});
