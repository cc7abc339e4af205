import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

/** A tiny HTTP server on 127.0.0.1 for tests: routes are `METHOD /path` → handler. */
export async function serve(routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void>) {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const key = `${req.method} ${new URL(req.url!, 'http://x').pathname}`;
      const handler = routes[key] ?? routes[`* ${new URL(req.url!, 'http://x').pathname}`];
      if (!handler) { res.writeHead(404).end('not found'); return; }
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export const html = (body: string, title = 'Fixture') => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`);
};
