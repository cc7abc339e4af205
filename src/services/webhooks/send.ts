import http from 'node:http';
import https from 'node:https';
import { BadRequestError } from '../../domain/errors.ts';
import type { TargetGuard } from './target-guard.ts';

const EXCERPT_CHARS = 2048;
const RETRY_AFTER_CAP_MS = 5 * 60_000;

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  latencyMs: number;
  /** First 2 KB of the answer (Skyvern's replay response marks the cut). */
  responseBody: string | null;
  error: string | null;
  /** Another attempt may succeed: network errors, timeouts, 408, 425, 429 and 5xx. */
  retryable: boolean;
  /** The receiver's Retry-After, when it sent one. */
  retryAfterMs?: number;
}

export interface WebhookSender {
  post(url: string, body: string, headers: Record<string, string>): Promise<SendResult>;
  close(): void;
}

const RETRYABLE_STATUS = new Set([408, 425, 429]);
export const isRetryableStatus = (status: number) => RETRYABLE_STATUS.has(status) || status >= 500;

function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const seconds = Number(raw);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(raw) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, RETRY_AFTER_CAP_MS) : undefined;
}

function excerpt(text: string): string {
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}\n... (truncated)` : text;
}

/**
 * POSTs with node:http so the target guard's lookup is pinned into the socket (no second,
 * unchecked DNS answer) and redirects are never followed (a 3xx could point anywhere).
 * Keep-alive agents are per sender, i.e. per process.
 */
export function createWebhookSender(guard: TargetGuard, timeoutMs: number): WebhookSender {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  return {
    async post(url, body, headers) {
      const started = performance.now();
      const elapsed = () => Math.round(performance.now() - started);
      const failed = (error: string, retryable: boolean): SendResult => ({ ok: false, statusCode: null, latencyMs: elapsed(), responseBody: null, error, retryable });
      let target: URL;
      try { target = new URL(url); } catch { return failed(`Invalid webhook URL: ${url}`, false); }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') return failed(`Webhook URL must be http or https: ${url}`, false);
      try { await guard.check(url); } catch (err) { return failed((err as Error).message, false); }
      const client = target.protocol === 'https:' ? https : http;
      return new Promise<SendResult>((resolve) => {
        let settled = false;
        const done = (r: SendResult) => { if (!settled) { settled = true; clearTimeout(timer); resolve(r); } };
        const req = client.request(target, {
          method: 'POST', agent: agents[target.protocol as 'http:' | 'https:'], lookup: guard.lookup as never,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        }, (res) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          res.on('data', (c: Buffer) => { if (kept <= EXCERPT_CHARS * 4) { chunks.push(c); kept += c.length; } });
          res.on('error', (err) => done(failed(`Could not read the response: ${err.message}`, true)));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const ok = status >= 200 && status < 300;
            done({
              ok, statusCode: status, latencyMs: elapsed(), responseBody: excerpt(Buffer.concat(chunks).toString('utf8')),
              error: ok ? null : `Webhook failed with status code ${status}`,
              retryable: !ok && isRetryableStatus(status), retryAfterMs: retryAfterMs(res.headers['retry-after']),
            });
          });
        });
        const timer = setTimeout(() => {
          done(failed(`Request timed out after ${Math.round(timeoutMs / 1000)} seconds.`, true));
          req.destroy();
        }, timeoutMs);
        req.on('error', (err) => {
          if (err instanceof BadRequestError) done(failed(err.message, false)); // the pinned lookup refused the address
          else done(failed(`Could not reach URL: ${err.message}`, true));
        });
        req.end(body);
      });
    },
    close() { agents['http:'].destroy(); agents['https:'].destroy(); },
  };
}
