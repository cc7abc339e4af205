// Block rows are written behind the engine: each write joins one ordered chain and the engine
// moves on, so a loop of quick blocks costs about max(engine, database) per iteration instead
// of their sum. Order is kept (a row's finish never overtakes its start), the chain is capped
// (past `maxPending` writes the engine waits), the run output waits for everything before it,
// and a failed write fails the next store call, so a run never goes on unrecorded.
import type { WorkflowRunStore } from './ports.ts';

export interface WriteBehindStore extends WorkflowRunStore {
  /** Resolves when every write so far is stored; rejects with the first write error. */
  flush(): Promise<void>;
}

export function writeBehind(store: WorkflowRunStore, maxPending = 64): WriteBehindStore {
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;
  let failure: unknown;

  const enqueue = async (write: () => Promise<void>): Promise<void> => {
    if (failure) throw failure;
    pending++;
    tail = tail.then(write).catch((error: unknown) => { failure ??= error; }).finally(() => { pending--; });
    if (pending > maxPending) await flush();
  };
  const flush = async (): Promise<void> => {
    await tail;
    if (failure) throw failure;
  };

  return {
    startBlock: (row) => enqueue(() => store.startBlock(row)),
    updateBlock: (id, patch) => enqueue(() => store.updateBlock(id, patch)),
    finishBlock: (id, result) => enqueue(() => store.finishBlock(id, result)),
    async saveRunOutput(output) {
      await enqueue(() => store.saveRunOutput(output));
      await flush();
    },
    flush,
  };
}
