import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowRunStore } from './ports.ts';
import { writeBehind } from './write-behind-store.ts';

/** A store whose writes take 5 ms each, and none finishes while `gate` is closed. */
const slowStore = (log: string[], failOn?: string, gate: Promise<void> = Promise.resolve()): WorkflowRunStore => {
  const write = (what: string) => gate.then(() => new Promise<void>((resolve, reject) => setTimeout(() => {
    if (what === failOn) { reject(new Error(`cannot write ${what}`)); return; }
    log.push(what); resolve();
  }, 5)));
  return {
    startBlock: (row) => write(`start ${row.blockRunId}`),
    updateBlock: (id) => write(`update ${id}`),
    finishBlock: (id) => write(`finish ${id}`),
    saveRunOutput: () => write('output'),
  };
};
const row = (id: string) => ({ blockRunId: id, blockType: 'wait', label: id, parentBlockRunId: null, continueOnFailure: false });

describe('writeBehind', () => {
  it('returns at once, keeps the order, and the run output waits for every earlier write', async () => {
    const log: string[] = [];
    let open!: () => void;
    const store = writeBehind(slowStore(log, undefined, new Promise<void>((resolve) => { open = resolve; })));
    // The database answers nothing until the gate opens: these calls return only if nobody waits for it.
    await store.startBlock(row('a'));
    await store.finishBlock('a', { status: 'completed' });
    await store.startBlock(row('b'));
    assert.deepEqual(log, [], 'the engine did not wait for the database');
    open();
    await store.saveRunOutput({});
    assert.deepEqual(log, ['start a', 'finish a', 'start b', 'output']);
  });

  it('makes the engine wait once too many writes are pending', async () => {
    const log: string[] = [];
    const store = writeBehind(slowStore(log), 2);
    for (const id of ['a', 'b', 'c']) await store.startBlock(row(id));
    assert.deepEqual(log, ['start a', 'start b', 'start c']);
  });

  it('a failed write fails the next call and the flush', async () => {
    const store = writeBehind(slowStore([], 'start a'));
    await store.startBlock(row('a'));
    await assert.rejects(store.flush(), /cannot write start a/);
    await assert.rejects(store.finishBlock('a', { status: 'completed' }), /cannot write start a/);
  });
});
