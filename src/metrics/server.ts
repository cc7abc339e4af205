import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsEndpoint } from './endpoint.ts';

export interface MetricsServer { port: number; close(): Promise<void> }

/** A worker has no HTTP server of its own: this one answers `GET /metrics` and 404 to anything else. */
export async function serveMetrics(endpoint: MetricsEndpoint, host: string, port: number): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') { res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not Found'); return; }
    endpoint.answer(req.headers.authorization).then(
      (a) => { res.writeHead(a.status, a.headers).end(a.body); },
      () => { res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable'); },
    );
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, host, () => resolve()); });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
