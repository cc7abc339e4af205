import { BadRequestError, NotFoundError, ValidationFailed } from '../../domain/errors.ts';
import { generateId, ID_PREFIX } from '../../domain/ids.ts';
import { isTerminal } from '../../domain/run-status.ts';
import { normalizeHttpUrl } from '../../domain/urls.ts';
import type { RunWebhookReplayResponse } from '../../contracts/webhooks.ts';
import type { RunRow } from '../../db/repositories/runs.repo.ts';
import type { WebhookDeliveryRow } from '../../db/repositories/webhooks.repo.ts';
import type { WebhookQueue } from '../../queue/webhook-queue.ts';
import type { ServiceDeps } from '../deps.ts';
import type { OrganizationsService } from '../organizations.service.ts';
import { presentDelivery } from '../presenters/webhook.presenter.ts';
import type { RunViewsService } from '../run-views.service.ts';
import { serializePayload, webhookHeaders, webhookPayload } from './payload.ts';
import type { SendResult, WebhookSender } from './send.ts';
import type { TargetGuard } from './target-guard.ts';

export interface WebhooksDeps extends Pick<ServiceDeps, 'config' | 'logger' | 'repos'> {
  queue: WebhookQueue;
  runViews: RunViewsService;
  organizations: OrganizationsService;
  sender: WebhookSender;
  guard: TargetGuard;
  /** Told of every POST attempt (metrics); absent = not counted. */
  onAttempt?: WebhookAttemptObserver;
}

export type WebhookAttemptOutcome = 'delivered' | 'retrying' | 'failed';
export type WebhookAttemptObserver = (outcome: WebhookAttemptOutcome, trigger: string) => void;

/** What one delivery job should do next: stop, or be retried by the queue after its backoff. */
export type DeliveryStep = { retry: false } | { retry: true; retryAfterMs?: number };

const KEY_CACHE_MS = 5_000;
const NO_KEY = 'The organization has no valid API key to sign the webhook with.';

function failureReason(r: SendResult): string {
  if (r.statusCode !== null) return `Webhook failed with status code ${r.statusCode}, error message: ${(r.responseBody ?? '').slice(0, 500)}`;
  return `Webhook delivery failed before receiving a response: ${r.error}`;
}

/** An override URL that is not a usable target is a 400, as in Skyvern, not a field-level 422. */
function replayTarget(url: string): string {
  try { return normalizeHttpUrl(url, ['body', 'webhook_url']); } catch (err) {
    if (err instanceof ValidationFailed) throw new BadRequestError(err.issues[0]?.msg ?? `Invalid webhook URL: ${url}`);
    throw err;
  }
}

export function webhooksService(deps: WebhooksDeps) {
  const { runs, webhooks: repo } = deps.repos;
  const max = deps.config.webhookMaxAttempts;

  async function enqueue(d: WebhookDeliveryRow) {
    // Postgres already holds the delivery: if Redis is away, the reconciler enqueues it later.
    await deps.queue.enqueue(d.deliveryId, max - d.attempts)
      .catch((err) => deps.logger.warn({ err: (err as Error).message, delivery_id: d.deliveryId }, 'webhook enqueue failed; reconciler will retry'));
  }

  async function buildBody(run: RunRow): Promise<string> {
    return serializePayload(webhookPayload(run, await deps.runViews.present(run)));
  }

  // Every attempt needs the organization's key; a few seconds of caching keeps bursts off the database
  // while a rotated key is still picked up almost at once.
  const keys = new Map<string, { key: string | undefined; until: number }>();
  async function signingKey(organizationId: string): Promise<string | undefined> {
    const hit = keys.get(organizationId);
    if (hit && hit.until > Date.now()) return hit.key;
    const key = await deps.organizations.signingKey(organizationId);
    keys.set(organizationId, { key, until: Date.now() + KEY_CACHE_MS });
    return key;
  }

  /** One POST of a claimed delivery (`d.attempts` is this attempt's number), recorded. */
  async function attemptOnce(d: WebhookDeliveryRow, run: RunRow) {
    const startedAt = new Date();
    const attempt = d.attempts;
    const key = await signingKey(run.organizationId);
    const body = d.payload ?? (await repo.freezePayload(d.deliveryId, await buildBody(run)));
    const headers = key ? webhookHeaders(body, key, d.deliveryId, attempt) : {};
    const result: SendResult = key
      ? await deps.sender.post(d.url, body, headers)
      : { ok: false, statusCode: null, latencyMs: 0, responseBody: null, error: NO_KEY, retryable: false };
    const final = result.ok || !result.retryable || attempt >= max || d.trigger === 'replay';
    const outcome: WebhookAttemptOutcome = result.ok ? 'delivered' : final ? 'failed' : 'retrying';
    deps.onAttempt?.(outcome, d.trigger);
    await repo.recordAttempt({
      deliveryId: d.deliveryId, runId: run.runId, organizationId: run.organizationId, attemptNumber: attempt, url: d.url, outcome,
      statusCode: result.statusCode, latencyMs: result.latencyMs, responseExcerpt: result.responseBody, error: result.error, startedAt,
    }, final ? (result.ok ? 'delivered' : 'failed') : undefined);
    return { result, final, body, headers };
  }

  /** Called once a run is terminal (worker or cancel): creates its one delivery and queues it. */
  async function onRunTerminal(run: RunRow): Promise<void> {
    if (!run.webhookUrl || run.parentRunId) return;
    const { delivery, created } = await repo.createDelivery({
      deliveryId: generateId(ID_PREFIX.webhookDelivery), runId: run.runId, organizationId: run.organizationId, trigger: 'terminal', url: run.webhookUrl,
    });
    if (created) await enqueue(delivery);
  }

  /** Nothing to claim: delivered or failed already, or pending with every attempt used (a lost job). */
  async function giveUpIfExhausted(deliveryId: string): Promise<DeliveryStep> {
    const d = await repo.get(deliveryId);
    if (d?.status !== 'pending') return { retry: false };
    await repo.finish(deliveryId, 'failed');
    await runs.update(d.runId, { webhookFailureReason: `Webhook delivery gave up after ${d.attempts} attempts: ${d.lastError ?? 'unknown error'}` });
    return { retry: false };
  }

  return {
    onRunTerminal,

    /** The job's body: one attempt of a queued delivery; on the final failure the run learns why. */
    async deliver(deliveryId: string): Promise<DeliveryStep> {
      const d = await repo.claimAttempt(deliveryId, max);
      if (!d) return giveUpIfExhausted(deliveryId);
      const run = await runs.getById(d.runId);
      if (!run) { await repo.finish(deliveryId, 'failed'); return { retry: false }; }
      const { result, final } = await attemptOnce(d, run);
      const attempt = d.attempts;
      const log = deps.logger.child({ run_id: run.runId, delivery_id: deliveryId, attempt });
      if (result.ok) { log.debug({ status_code: result.statusCode, latency_ms: result.latencyMs }, 'webhook delivered'); return { retry: false }; }
      if (final) {
        log.warn({ status_code: result.statusCode, error: result.error }, 'webhook delivery failed for good');
        await runs.update(run.runId, { webhookFailureReason: failureReason(result) });
        return { retry: false };
      }
      log.info({ status_code: result.statusCode, error: result.error }, 'webhook attempt failed; retrying');
      return { retry: true, retryAfterMs: result.retryAfterMs };
    },

    /** POST /v1/runs/{id}/retry_webhook: rebuilds the body now, sends it once, records the attempt. */
    async replay(organizationId: string, runId: string, overrideUrl?: string | null): Promise<RunWebhookReplayResponse> {
      const run = await runs.get(organizationId, runId);
      if (!run) throw new NotFoundError(`Run ${runId} not found`);
      if (!isTerminal(run.status)) throw new BadRequestError(`Run ${runId} has not reached a terminal state (status=${run.status})`);
      const target = overrideUrl ? replayTarget(overrideUrl) : run.webhookUrl;
      if (!target) throw new BadRequestError('No webhook URL configured for the run.');
      await deps.guard.check(target);
      if (!(await signingKey(organizationId))) throw new BadRequestError(NO_KEY);
      const { delivery } = await repo.createDelivery({
        deliveryId: generateId(ID_PREFIX.webhookDelivery), runId, organizationId, trigger: 'replay', url: target, payload: await buildBody(run),
      });
      const claimed = (await repo.claimAttempt(delivery.deliveryId, 1)) ?? { ...delivery, attempts: 1 };
      const { result, body, headers } = await attemptOnce(claimed, run);
      return {
        run_id: run.runId, run_type: run.runType, default_webhook_url: run.webhookUrl, target_webhook_url: target,
        payload: body, headers, status_code: result.statusCode, latency_ms: result.latencyMs,
        response_body: result.responseBody, error: result.ok ? null : result.error,
      };
    },

    async listDeliveries(organizationId: string, runId: string) {
      if (!(await runs.get(organizationId, runId))) throw new NotFoundError(`Run ${runId} not found`);
      return (await repo.listForRun(organizationId, runId)).map(presentDelivery);
    },

    /**
     * Reconciler pass: re-queues pending deliveries whose job Redis lost, and creates the delivery
     * of runs that finished without one (the process died between the status write and the insert).
     */
    async recover(opts: { graceMs: number; windowMs: number }): Promise<{ requeued: number; created: number }> {
      const now = Date.now();
      let requeued = 0;
      for (const d of await repo.listStalePending(new Date(now - opts.graceMs))) {
        if (d.trigger === 'replay') { await repo.finish(d.deliveryId, 'failed'); continue; } // its synchronous caller is gone
        const state = await deps.queue.state(d.deliveryId);
        if (state && !['completed', 'failed', 'unknown'].includes(state)) continue;
        if (state) await deps.queue.discard(d.deliveryId);
        await enqueue(d);
        requeued += 1;
      }
      const missing = await repo.listRunsMissingDelivery(new Date(now - opts.windowMs), new Date(now - opts.graceMs));
      for (const run of missing) await onRunTerminal(run);
      return { requeued, created: missing.length };
    },
  };
}
export type WebhooksService = ReturnType<typeof webhooksService>;
