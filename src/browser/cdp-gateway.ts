// Chromium's DevTools endpoint listens on 127.0.0.1 only (headless Chromium ignores
// --remote-debugging-address) and refuses requests whose Host header is a name rather than an
// IP or "localhost". To let other containers reach a session's browser, this small forwarder
// listens on the configured host, presents itself to Chromium as 127.0.0.1, and points the
// WebSocket URLs Chromium advertises back at the address the client used.
// Anyone who reaches a DevTools port owns the browser, so the gateway answers only under the
// session's secret path prefix (`http://host:port/<token>`, which is the session's
// `browser_address`): CDP clients keep the prefix when they ask for /json/version, and the
// WebSocket URLs handed back carry it too. Everything else gets 401.
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';

export interface CdpGateway { port: number; close(): Promise<void> }

export interface CdpGatewayOptions {
  /** Chromium's own DevTools port on 127.0.0.1. */
  targetPort: number;
  host: string;
  /** The secret first path segment every request must carry. */
  token: string;
  /** Ports to try in order; none = any free port. */
  ports?: { from: number; to: number };
}

export async function startCdpGateway(opts: CdpGatewayOptions): Promise<CdpGateway> {
  const target = `127.0.0.1:${opts.targetPort}`;
  const sockets = new Set<net.Socket>();
  const unprefix = tokenPath(opts.token);
  const server = http.createServer((req, res) => {
    const pathname = unprefix(req.url);
    if (pathname === undefined) { req.resume(); res.writeHead(401, { 'content-type': 'text/plain' }).end('this browser answers only at its browser_address'); return; }
    const upstream = http.request({ host: '127.0.0.1', port: opts.targetPort, method: req.method, path: pathname, headers: { ...req.headers, host: target } }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        // /json/version and /json/list name WebSocket URLs with the Host Chromium saw; give the
        // client's back, under the token prefix.
        const body = Buffer.concat(chunks).toString('utf8').replaceAll(`${target}/`, `${req.headers.host ?? target}/${opts.token}/`);
        const headers = { ...up.headers };
        delete headers['content-length'];
        res.writeHead(up.statusCode ?? 502, headers).end(body);
      });
    });
    upstream.on('error', () => { if (!res.headersSent) res.writeHead(502).end('browser unavailable'); });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const pathname = unprefix(req.url);
    if (pathname === undefined) { socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\n\r\n'); return; }
    const upstream = net.connect(opts.targetPort, '127.0.0.1', () => {
      const lines = [`${req.method} ${pathname} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        lines.push(`${name}: ${name.toLowerCase() === 'host' ? target : req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
    socket.on('close', () => upstream.destroy());
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  const port = await listen(server, opts.host, opts.ports);
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** The path after `/<token>`, or undefined when the request does not carry the token. */
function tokenPath(token: string): (url: string | undefined) => string | undefined {
  const expected = Buffer.from(token);
  return (url) => {
    const m = /^\/([^/?#]*)(.*)$/s.exec(url ?? '');
    if (!m) return undefined;
    const given = Buffer.from(m[1]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return m[2]!.startsWith('/') ? m[2]! : `/${m[2]!}`;
  };
}

async function listen(server: http.Server, host: string, ports?: { from: number; to: number }): Promise<number> {
  const tryPort = (port: number) => new Promise<boolean>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => { server.off('listening', onListening); if (err.code === 'EADDRINUSE') resolve(false); else reject(err); };
    const onListening = () => { server.off('error', onError); resolve(true); };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
  if (!ports) { await tryPort(0); return (server.address() as net.AddressInfo).port; }
  for (let port = ports.from; port <= ports.to; port++) {
    if (await tryPort(port)) return port;
  }
  throw new Error(`No free port for a browser session in BROWSER_SESSION_PORTS ${ports.from}-${ports.to}`);
}

/** The host to put in `browser_address`: the configured one, or for a wildcard bind this machine's first IPv4 address. */
export function advertisedHost(bindHost: string, configured: string | undefined): string {
  if (configured) return configured;
  if (bindHost !== '0.0.0.0' && bindHost !== '::') return bindHost;
  for (const addresses of Object.values(os.networkInterfaces())) {
    const ipv4 = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (ipv4) return ipv4.address;
  }
  return '127.0.0.1';
}

export const httpAddress = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
