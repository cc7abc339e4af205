// A forward proxy in the worker, in front of the browsers it launches, so the outbound policy
// also covers what Playwright routing cannot see: every hop of a redirect chain, WebSockets
// (tunnelled with CONNECT) and the address the connection really uses (the proxy resolves names
// itself, through the guarded lookup: no DNS-rebinding gap). Listens on 127.0.0.1 only.
// A refused plain-HTTP request gets a 403 marked `x-skyport-outbound-refused` with the reason as
// body; a refused CONNECT gets a 403 (the browser reports ERR_TUNNEL_CONNECTION_FAILED).
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { activePolicy, checkHost } from '../domain/outbound-policy.ts';
import { guardedLookup, refusalIn } from './outbound.ts';

const LABEL = 'browser request';
export const REFUSED_HEADER = 'x-skyport-outbound-refused';
const HOP_HEADERS = ['proxy-connection', 'proxy-authorization', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade'];

export interface OutboundProxy { server: string; close(): Promise<void> }

/** Recent refusals seen by the proxy, newest first (host → reason), for error messages. */
const refusals: Array<{ host: string; reason: string; at: number }> = [];
const remember = (host: string, reason: string) => { refusals.unshift({ host, reason, at: Date.now() }); refusals.length = Math.min(refusals.length, 50); };
export function proxyRefusalFor(host: string): string | undefined {
  return refusals.find((r) => r.host === host && Date.now() - r.at < 60_000)?.reason;
}
/** The newest refusal of the last few seconds (a failed tunnel names no host to the page). */
export function newestProxyRefusal(): string | undefined {
  const r = refusals[0];
  return r && Date.now() - r.at < 10_000 ? r.reason : undefined;
}

function refusalOf(host: string, error?: unknown): string | undefined {
  if (error) return refusalIn(error)?.message;
  const d = checkHost(activePolicy(), host, LABEL);
  return d.ok ? undefined : d.reason;
}

export async function startOutboundProxy(): Promise<OutboundProxy> {
  const lookup = guardedLookup(LABEL) as unknown as net.LookupFunction;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const sockets = new Set<net.Socket>();

  const server = http.createServer((req, res) => {
    let target: URL;
    try { target = new URL(req.url ?? ''); } catch { res.writeHead(400).end('absolute URL expected'); return; }
    if (target.protocol !== 'http:') { res.writeHead(400).end('only http:// is proxied; use CONNECT'); return; }
    const refuse = (reason: string) => {
      remember(target.hostname.replace(/^\[|\]$/g, '').toLowerCase(), reason);
      if (!res.headersSent) res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', [REFUSED_HEADER]: '1' });
      res.end(reason);
    };
    const early = refusalOf(target.hostname);
    if (early) { req.resume(); refuse(early); return; }
    const headers = { ...req.headers };
    for (const h of HOP_HEADERS) delete headers[h];
    // A request without a body may be sent again: a kept-alive upstream socket the server closed
    // meanwhile fails with ECONNRESET on reuse, which a browser would retry too.
    const bodyless = ['GET', 'HEAD', 'OPTIONS'].includes(req.method ?? '') && !req.headers['content-length'] && !req.headers['transfer-encoding'];
    const send = (retry: boolean) => {
      const upstream = http.request({
        host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port || 80, path: `${target.pathname}${target.search}`,
        method: req.method, headers, lookup, agent, setHost: false,
      }, (up) => {
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_HEADERS.includes(k)) out[k] = v;
        res.writeHead(up.statusCode ?? 502, up.statusMessage, out);
        up.pipe(res);
      });
      upstream.on('error', (err) => {
        if (retry && upstream.reusedSocket && (err as NodeJS.ErrnoException).code === 'ECONNRESET' && !res.headersSent) { send(false); return; }
        const reason = refusalOf(target.hostname, err);
        if (reason) refuse(reason);
        else if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${err.message}`);
        else res.destroy();
      });
      if (bodyless) { req.resume(); upstream.end(); } else req.pipe(upstream);
    };
    send(bodyless);
  });

  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(req.url ?? '');
    if (!m) { client.end('HTTP/1.1 400 Bad Request\r\n\r\n'); return; }
    const [, host, port] = m;
    const refuse = (reason: string) => {
      remember(host!.toLowerCase(), reason);
      client.end(`HTTP/1.1 403 Forbidden\r\n${REFUSED_HEADER}: 1\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
    };
    const early = refusalOf(host!);
    if (early) { refuse(early); return; }
    const upstream = net.connect({ host: host!, port: Number(port), lookup });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', (err) => {
      const reason = refusalOf(host!, err);
      if (reason && !client.destroyed) refuse(reason);
      else client.destroy();
    });
    client.on('close', () => upstream.destroy());
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref(); // never what keeps a worker process alive
  const { port } = server.address() as AddressInfo;
  return {
    server: `http://127.0.0.1:${port}`,
    async close() {
      for (const s of sockets) s.destroy();
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

let shared: Promise<OutboundProxy> | undefined;
/** The worker's one proxy, started on first use. */
export function sharedOutboundProxy(): Promise<OutboundProxy> {
  shared ??= startOutboundProxy().catch((err) => { shared = undefined; throw err; });
  return shared;
}
