import type { BackoffStrategy } from 'bullmq';
import type { WebhooksService } from '../services/webhooks/webhooks.service.ts';

/** Thrown to make BullMQ retry the delivery after its backoff; carries the receiver's Retry-After. */
export class RetryDelivery extends Error {
  constructor(readonly retryAfterMs?: number) { super('webhook attempt failed; retrying'); }
}

/** One attempt of one delivery. Final outcomes (delivered, given up) complete the job. */
export async function processWebhookJob(deliveryId: string, webhooks: WebhooksService): Promise<void> {
  const step = await webhooks.deliver(deliveryId);
  if (step.retry) throw new RetryDelivery(step.retryAfterMs);
}

/**
 * `base · 2^(n-1)` with ±10 % jitter (receivers that failed together are not hit together again),
 * stretched to the receiver's Retry-After when it asks for longer (capped where it is parsed).
 */
export function webhookBackoff(baseMs: number): BackoffStrategy {
  return (attemptsMade, _type, err) => {
    const exponential = baseMs * 2 ** Math.max(0, attemptsMade - 1);
    const jittered = Math.round(exponential * (0.9 + Math.random() * 0.2));
    const asked = err instanceof RetryDelivery ? err.retryAfterMs ?? 0 : 0;
    return Math.max(jittered, asked);
  };
}
