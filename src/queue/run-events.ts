import type { Redis } from 'ioredis';

// What happened to a run, as it happens: the worker publishes a small message when a step row is
// written or the status moves, and every API process's run viewer streams it to open pages (SSE).
// Pub/sub, not a queue: a page that was not listening reads the database when it opens, and the
// viewer re-reads the run every few seconds anyway, so a lost message only delays an update.
const channel = (prefix: string) => `${prefix}:run-events`;

export type RunEventKind = 'step' | 'status' | 'screenshot';

export interface RunEvent {
  run_id: string;
  kind: RunEventKind;
  /** When the writer published it (epoch ms): the viewer's latency is measured from here. */
  at: number;
}

export interface RunEventsPublisher {
  /** Never throws: live updates are best effort and must not fail the run that reports them. */
  publish(runIds: Array<string | null | undefined>, kind: RunEventKind): void;
}

export interface RunEventsBus extends RunEventsPublisher {
  /** Calls `listener` with every event of `runId` until the returned function is called. */
  listen(runId: string, listener: (event: RunEvent) => void): Promise<() => void>;
}

export function createRunEventsBus(publisher: Redis, subscriber: Redis, prefix: string): RunEventsBus {
  const listeners = new Map<string, Set<(event: RunEvent) => void>>();
  let subscribed: Promise<unknown> | undefined;
  const onMessage = (ch: string, message: string) => {
    if (ch !== channel(prefix)) return;
    let event: RunEvent;
    try { event = JSON.parse(message) as RunEvent; } catch { return; }
    for (const listener of listeners.get(event.run_id) ?? []) listener(event);
  };
  return {
    publish(runIds, kind) {
      const at = Date.now();
      for (const runId of new Set(runIds)) {
        if (!runId) continue;
        publisher.publish(channel(prefix), JSON.stringify({ run_id: runId, kind, at } satisfies RunEvent)).catch(() => {});
      }
    },
    async listen(runId, listener) {
      // One subscription per process, shared by every open page, made on first use.
      if (!subscribed) {
        subscriber.on('message', onMessage);
        subscribed = subscriber.subscribe(channel(prefix)).catch((err) => { subscribed = undefined; subscriber.off('message', onMessage); throw err; });
      }
      await subscribed;
      const set = listeners.get(runId) ?? new Set();
      set.add(listener);
      listeners.set(runId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(runId);
      };
    },
  };
}
