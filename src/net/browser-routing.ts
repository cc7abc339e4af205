// The outbound policy inside the browser: every request of a run's context (navigations,
// redirects — each hop is a new request —, iframes, subresources, fetch/XHR, popups) passes a
// Playwright route that judges its host and aborts refused ones (`net::ERR_BLOCKED_BY_CLIENT`).
// Decisions are cached per host for a few seconds so a page's hundred subresources cost one DNS
// lookup. The refusal's reason is kept on the context so a failed `goto` can say why.
import type { BrowserContext, Page, Route } from 'playwright-core';
import { activePolicy, checkUrl, type Decision, type OutboundPolicy, type Resolver } from '../domain/outbound-policy.ts';
import { normalHostOf, systemResolve } from './outbound.ts';
import { newestProxyRefusal, proxyRefusalFor, REFUSED_HEADER } from './browser-proxy.ts';

const CACHE_MS = 5_000;
const KEPT_REFUSALS = 20;

export interface Refusal { url: string; host: string; reason: string }

export interface BrowserOutboundGuard {
  /** Newest first. */
  refusals(): Refusal[];
  dispose(): Promise<void>;
}

const guards = new WeakMap<BrowserContext, BrowserOutboundGuard & { refusalsList: Refusal[] }>();

/** Installs the route on a run's context (own, remote over CDP, or a session's default context). */
export async function enforceOutboundPolicy(context: BrowserContext, opts: { resolve?: Resolver; label?: string } = {}): Promise<BrowserOutboundGuard> {
  const existing = guards.get(context);
  if (existing) return existing;
  const resolve = opts.resolve ?? systemResolve;
  const label = opts.label ?? 'browser request';
  const cache = new Map<string, { at: number; decision: Promise<Decision> }>();
  const refusalsList: Refusal[] = [];

  let cachedFor: OutboundPolicy = activePolicy();
  const decide = (url: string, host: string): Promise<Decision> => {
    const now = Date.now();
    if (cachedFor !== activePolicy()) { cache.clear(); cachedFor = activePolicy(); }
    const hit = cache.get(host);
    if (hit && now - hit.at < CACHE_MS) return hit.decision;
    const decision = checkUrl(url, resolve, { label });
    cache.set(host, { at: now, decision });
    if (cache.size > 500) for (const [k, v] of cache) if (now - v.at >= CACHE_MS) cache.delete(k);
    return decision;
  };

  const handler = async (route: Route) => {
    const url = route.request().url();
    if (!/^(https?|wss?):/i.test(url)) return route.fallback();
    const host = normalHostOf(url);
    if (host === null) return route.fallback();
    let decision: Decision;
    try { decision = await decide(url, host); } catch { decision = { ok: true }; }
    if (decision.ok) return route.fallback().catch(() => {});
    refusalsList.unshift({ url, host, reason: decision.reason });
    refusalsList.length = Math.min(refusalsList.length, KEPT_REFUSALS);
    await route.abort('blockedbyclient').catch(() => {});
  };
  await context.route('**/*', handler);
  const guard = {
    refusalsList,
    refusals: () => [...refusalsList],
    dispose: async () => { guards.delete(context); await context.unroute('**/*', handler).catch(() => {}); },
  };
  guards.set(context, guard);
  return guard;
}

/** The policy's reason for the newest refusal in this page's context (for `url`'s host when given). */
export function outboundRefusalFor(page: Page, url?: string): string | undefined {
  const guard = guards.get(page.context());
  if (!guard) return undefined;
  const host = url ? normalHostOf(url) : null;
  return (host ? guard.refusalsList.find((r) => r.host === host) : undefined)?.reason ?? guard.refusalsList[0]?.reason;
}

/**
 * A navigation error in words: the policy's reason when the browser aborted the request because
 * of it (a redirect to a refused host included), else the first line of Playwright's message.
 */
export function describeNavigationError(page: Page, error: unknown, url?: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/ERR_BLOCKED_BY_CLIENT/.test(message)) {
    const reason = outboundRefusalFor(page, url);
    if (reason) return reason;
  }
  if (/ERR_TUNNEL_CONNECTION_FAILED/.test(message)) {
    const reason = newestProxyRefusal();
    if (reason) return reason;
  }
  return message.split('\n')[0]!.replace(/^page\.goto: /, '');
}

/**
 * The policy proxy answers a refused plain-HTTP hop (a redirect to a refused host) with a marked
 * 403 whose body is the reason: a navigation that ended there is a refusal, not a page.
 */
export async function refusedNavigation(response: { headers(): Record<string, string>; text(): Promise<string> } | null | undefined): Promise<string | undefined> {
  if (!response || !response.headers()[REFUSED_HEADER]) return undefined;
  return (await response.text().catch(() => '')) || 'browser request refused (outbound policy; see docs/outbound-policy.md)';
}

/**
 * After a browser action that navigated (the agent's goto_url): the policy's reason when routing
 * aborted the request or the policy proxy answered with its refusal instead of the page.
 */
export function navigationRefusal(page: Page, outcome: { error?: string; status?: unknown }, url?: string): string | undefined {
  if (outcome.error && /ERR_BLOCKED_BY_CLIENT|ERR_TUNNEL_CONNECTION_FAILED/.test(outcome.error)) return outboundRefusalFor(page, url) ?? newestProxyRefusal();
  if (outcome.status !== 403) return undefined;
  const host = normalHostOf(page.url());
  return host ? proxyRefusalFor(host) : undefined;
}
