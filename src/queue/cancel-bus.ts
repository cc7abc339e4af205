import type { Redis } from 'ioredis';

// Cancel must reach the worker running the run within 2 s, wherever it is: a pub/sub message
// wakes it at once; the worker also re-reads the status between steps in case a message was missed.
const channel = (prefix: string) => `${prefix}:run-cancel`;

export interface CancelBus {
  publish(runId: string): Promise<void>;
  subscribe(onCancel: (runId: string) => void): Promise<void>;
  close(): Promise<void>;
}

export function createCancelBus(publisher: Redis, subscriber: Redis, prefix: string): CancelBus {
  return {
    async publish(runId) { await publisher.publish(channel(prefix), runId); },
    async subscribe(onCancel) {
      subscriber.on('message', (ch, runId) => { if (ch === channel(prefix)) onCancel(runId); });
      await subscriber.subscribe(channel(prefix));
    },
    async close() { subscriber.disconnect(); },
  };
}
