// Enforcement of the outbound policy (`domain/outbound-policy.ts`) for everything the server
// itself connects to on a user's behalf: `http_request`, `file_url_parser` downloads, file
// uploads from URLs, TOTP polling, webhooks, SMTP. Names are checked again inside the socket's
// own DNS lookup (undici `connect.lookup`, node `lookup`), so a name cannot answer the check with
// a public address and the connection with a metadata one (no DNS-rebinding gap). Redirects are
// followed by hand, each hop checked the same way.
import dns from 'node:dns';
import { Agent } from 'undici';
import { BadRequestError } from '../domain/errors.ts';
import {
  activePolicy, checkAddress, checkHost, checkUrl, createPolicy, normalizeHost, setActivePolicy,
  type Decision, type Resolver,
} from '../domain/outbound-policy.ts';

/** A request the outbound policy refused; `message` is the user-facing reason. */
export class OutboundRefusedError extends BadRequestError {
  readonly outboundRefused = true;
}

export function isOutboundRefusal(error: unknown): error is OutboundRefusedError {
  return error instanceof OutboundRefusedError;
}

/** Set once per process from config (composition.ts); tests call it to configure their policy. */
export function configureOutbound(opts: { blockPrivateNetworks?: boolean; allowHosts?: string[]; denyHosts?: string[] }): void {
  setActivePolicy(createPolicy(opts));
  agents.clear();
}

/** The system resolver, every address (A and AAAA). */
export const systemResolve: Resolver = async (host) => (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Throws OutboundRefusedError when the URL's host, or any address it resolves to, is refused. */
export async function assertOutboundUrl(url: string, label: string, resolve: Resolver = systemResolve): Promise<void> {
  const d = await checkUrl(url, resolve, { label });
  if (!d.ok) throw new OutboundRefusedError(d.reason);
}

/**
 * Resolves `host` and judges it and every address; returns the addresses to connect to. For
 * clients that cannot take a lookup function (nodemailer): connect to one of these, not the name.
 */
export async function resolveAllowed(host: string, label: string, resolve: Resolver = systemResolve): Promise<string[]> {
  const first = checkHost(activePolicy(), host, label);
  if (!first.ok) throw new OutboundRefusedError(first.reason);
  if (!first.needsResolve) return [first.host.host];
  const addresses = await resolve(first.host.host);
  for (const a of addresses) refuseUnless(checkAddress(activePolicy(), first.host.host, a, label));
  return addresses;
}

function refuseUnless(d: Decision): void {
  if (!d.ok) throw new OutboundRefusedError(d.reason);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;

/**
 * Node's socket `lookup` (also undici's `connect.lookup`): every address the name resolves to is
 * judged before any connection is made, and the socket only ever sees checked addresses.
 */
export function guardedLookup(label: string) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    const first = checkHost(activePolicy(), hostname, label);
    if (!first.ok) { callback(new OutboundRefusedError(first.reason)); return; }
    const name = first.host.host;
    const done = (list: dns.LookupAddress[]) => {
      for (const a of list) {
        const d = checkAddress(activePolicy(), name, a.address, label);
        if (!d.ok) { callback(new OutboundRefusedError(d.reason)); return; }
      }
      const wanted = options.family === 4 || options.family === 6 ? list.filter((a) => a.family === options.family) : list;
      const usable = wanted.length ? wanted : list;
      if (options.all) callback(null, usable);
      else callback(null, usable[0]!.address, usable[0]!.family);
    };
    if (!first.needsResolve) { done([{ address: name, family: name.includes(':') ? 6 : 4 }]); return; }
    dns.lookup(name, { all: true, verbatim: true }, (err, list) => {
      if (err) callback(err);
      else done(list);
    });
  };
}

const agents = new Map<string, Agent>();
/** One keep-alive undici Agent per label (the label names the client in refusal reasons). */
export function outboundDispatcher(label: string): Agent {
  let agent = agents.get(label);
  if (!agent) {
    agent = new Agent({ connect: { lookup: guardedLookup(label) as never } });
    agents.set(label, agent);
  }
  return agent;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

export interface OutboundFetchOptions {
  /** Names the client in refusal reasons: `http_request`, `file_url_parser`, `totp_url`… */
  label: string;
  /** false → the first response is returned as is, 3xx included (`follow_redirects: false`). */
  followRedirects?: boolean;
}

/**
 * `fetch` under the outbound policy. Every hop's URL is checked (names resolved, every address
 * judged) and the connection's own lookup judges again; redirects are followed here (at most 20),
 * switching to GET on 303 (and on 301/302 after a POST) and dropping credentials across origins,
 * as fetch does. A refusal throws OutboundRefusedError with the reason.
 */
export async function outboundFetch(url: string, init: RequestInit, opts: OutboundFetchOptions): Promise<Response> {
  let current = url;
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body;
  let headers = new Headers(init.headers);
  for (let hop = 0; ; hop++) {
    await assertOutboundUrl(current, opts.label);
    let response: Response;
    try {
      response = await fetch(current, { ...init, method, body, headers, redirect: 'manual', dispatcher: outboundDispatcher(opts.label) } as RequestInit);
    } catch (error) {
      throw refusalIn(error) ?? error;
    }
    const location = response.headers.get('location');
    if (opts.followRedirects === false || !REDIRECTS.has(response.status) || !location) return response;
    if (hop >= MAX_REDIRECTS) { await response.body?.cancel().catch(() => {}); throw new Error(`too many redirects (more than ${MAX_REDIRECTS}) from ${url}`); }
    await response.body?.cancel().catch(() => {});
    const next = new URL(location, current);
    if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new OutboundRefusedError(`${opts.label} refused: redirect to ${next.protocol} URL ${next.href}`);
    if (response.status === 303 ? method !== 'HEAD' : (response.status === 301 || response.status === 302) && method === 'POST') {
      method = 'GET'; body = undefined;
      headers = new Headers(headers); for (const h of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(h);
    }
    if (next.origin !== new URL(current).origin) { headers = new Headers(headers); headers.delete('authorization'); headers.delete('cookie'); headers.delete('proxy-authorization'); }
    current = next.href;
  }
}

/** undici wraps the lookup's error: `TypeError('fetch failed', {cause})`. */
export function refusalIn(error: unknown): OutboundRefusedError | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof OutboundRefusedError) return e;
  }
  return undefined;
}

/** The host of a URL in the policy's normal form (for caches and messages). */
export const normalHostOf = (url: string): string | null => {
  try { return normalizeHost(new URL(url).hostname).host; } catch { return null; }
};
