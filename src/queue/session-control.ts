import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// The API talks to the worker that holds a session's browser the way cancel reaches a run
// (cancel-bus.ts): a pub/sub message wakes it at once, wherever it runs. Answers that carry data
// (a capture of the browser's storage state) come back in a short-lived key the asker polls.
const channel = (prefix: string) => `${prefix}:browser-session-control`;
const replyKey = (prefix: string, replyId: string) => `${prefix}:browser-session-reply:${replyId}`;
const REPLY_TTL_SECONDS = 60;
const POLL_MS = 100;

export type SessionControlMessage =
  | { kind: 'close'; browserSessionId: string }
  | { kind: 'capture'; browserSessionId: string; replyId: string };

/** A capture's answer: the state, or why the holder could not take it. */
export type CaptureReply = { state: unknown } | { error: string };

export interface SessionControl {
  requestClose(browserSessionId: string): Promise<void>;
  /** Asks the session's worker for its browser's storage state; undefined when no worker answered in time. */
  captureState(browserSessionId: string, timeoutMs: number): Promise<CaptureReply | undefined>;
  /** Worker side: answers a capture request. */
  reply(replyId: string, answer: CaptureReply): Promise<void>;
}

export function createSessionControl(publisher: Redis, prefix: string): SessionControl {
  const publish = (msg: SessionControlMessage) => publisher.publish(channel(prefix), JSON.stringify(msg));
  return {
    async requestClose(browserSessionId) { await publish({ kind: 'close', browserSessionId }); },
    async captureState(browserSessionId, timeoutMs) {
      const replyId = randomUUID();
      const key = replyKey(prefix, replyId);
      // Nobody subscribed: no worker holds anything, no point waiting.
      if ((await publish({ kind: 'capture', browserSessionId, replyId })) === 0) return undefined;
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const raw = await publisher.get(key);
        if (raw) { await publisher.del(key).catch(() => {}); return JSON.parse(raw) as CaptureReply; }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
      return undefined;
    },
    async reply(replyId, answer) {
      await publisher.set(replyKey(prefix, replyId), JSON.stringify(answer), 'EX', REPLY_TTL_SECONDS);
    },
  };
}

/** Worker side: delivers every control message to `onMessage` (disconnect the subscriber to stop). */
export async function subscribeSessionControl(subscriber: Redis, prefix: string, onMessage: (msg: SessionControlMessage) => void): Promise<void> {
  subscriber.on('message', (ch, raw) => {
    if (ch !== channel(prefix)) return;
    try { onMessage(JSON.parse(raw) as SessionControlMessage); } catch { /* not ours */ }
  });
  await subscriber.subscribe(channel(prefix));
}
