// What the pages of a browsing session are sending over the network: requests in flight (so the
// agent can wait for what an action set off instead of sleeping) and the requests that change
// something on the server (so it can tell the model "the form was sent: POST /x → 201" and
// refuse to send it twice).
import type { BrowserContext, Request } from 'playwright-core';

/** Requests a page waits on to show a result. Media, fonts, images and streams are not among them. */
const AWAITED_TYPES = new Set(['document', 'xhr', 'fetch', 'script', 'other']);
/** A request this old is a long poll or a stream, not the answer to an action. */
const LONG_REQUEST_MS = 8_000;

/** A request that can change server state (any method but GET/HEAD/OPTIONS). */
export interface SentRequest {
  method: string;
  /** Path and query, or the full URL for another origin. */
  target: string;
  origin: string;
  /** HTTP status, once answered. */
  status?: number;
  /** Network error text, when it failed. */
  failure?: string;
  /** Monotonic sequence number; compare with `mark()`. */
  seq: number;
}

export class NetworkActivity {
  private readonly inflight = new Map<Request, number>();
  private readonly sent: SentRequest[] = [];
  private readonly sentByRequest = new Map<Request, SentRequest>();
  private seq = 0;
  private lastActivity = 0;
  private idleWaiters: Array<() => void> = [];

  private readonly onRequest = (request: Request) => {
    this.lastActivity = performance.now();
    const method = request.method().toUpperCase();
    if (!['GET', 'HEAD', 'OPTIONS'].includes(method) && ['document', 'xhr', 'fetch', 'other'].includes(request.resourceType())) {
      const record: SentRequest = { method, ...describeUrl(request.url()), seq: ++this.seq };
      this.sent.push(record);
      this.sentByRequest.set(request, record);
      if (this.sent.length > 200) this.sent.splice(0, this.sent.length - 200);
    }
    if (AWAITED_TYPES.has(request.resourceType())) this.inflight.set(request, performance.now());
  };

  private readonly onFinished = (request: Request) => { void this.finish(request); };

  private readonly onFailed = (request: Request) => {
    const record = this.sentByRequest.get(request);
    if (record) record.failure = request.failure()?.errorText ?? 'failed';
    this.done(request);
  };

  constructor(private readonly context: BrowserContext) {
    context.on('request', this.onRequest);
    context.on('requestfinished', this.onFinished);
    context.on('requestfailed', this.onFailed);
  }

  detach(): void {
    this.context.off('request', this.onRequest);
    this.context.off('requestfinished', this.onFinished);
    this.context.off('requestfailed', this.onFailed);
  }

  /** A point in time to ask `sentSince` about. */
  mark(): number {
    return this.seq;
  }

  /** State-changing requests started after `mark`, with their answers so far. */
  sentSince(mark: number): SentRequest[] {
    return this.sent.filter((r) => r.seq > mark).map((r) => ({ ...r }));
  }

  /** Awaited requests still running (long polls and streams excepted). */
  pending(): number {
    const now = performance.now();
    let count = 0;
    for (const started of this.inflight.values()) if (now - started < LONG_REQUEST_MS) count++;
    return count;
  }

  /** Milliseconds since a request started or ended. */
  quietForMs(): number {
    return performance.now() - this.lastActivity;
  }

  /** Resolves when no awaited request is running, or after `timeoutMs`. */
  whenIdle(timeoutMs: number): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(finish, Math.max(0, timeoutMs));
      // Long requests age out without an event: look again now and then.
      const poll = setInterval(() => { if (this.pending() === 0) finish(); }, 250);
      const waiter = () => finish();
      function finish() { clearTimeout(timer); clearInterval(poll); resolve(); }
      this.idleWaiters.push(waiter);
    });
  }

  private async finish(request: Request): Promise<void> {
    const record = this.sentByRequest.get(request);
    if (record) {
      const response = await request.response().catch(() => null);
      record.status = response?.status();
    }
    this.done(request);
  }

  private done(request: Request): void {
    this.lastActivity = performance.now();
    this.sentByRequest.delete(request);
    if (!this.inflight.delete(request) || this.pending() > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

function describeUrl(raw: string): { target: string; origin: string } {
  try {
    const url = new URL(raw);
    return { target: `${url.pathname}${url.search}`, origin: url.origin };
  } catch {
    return { target: raw, origin: '' };
  }
}

/** "POST /api/ticket → 201", "POST /api/ticket (no answer yet)". */
export function describeSent(request: SentRequest): string {
  const outcome = request.failure ? ` → failed (${request.failure})` : request.status !== undefined ? ` → ${request.status}` : ' (no answer yet)';
  return `${request.method} ${request.target.length > 80 ? `${request.target.slice(0, 79)}…` : request.target}${outcome}`;
}

/** Whether the server took it: answered below 400. */
export function accepted(request: SentRequest): boolean {
  return request.status !== undefined && request.status < 400 && !request.failure;
}
