// A webhook receiver for tests and benches on 127.0.0.1: records every POST with its raw bytes
// (signatures are checked over exactly what arrived) and answers as the test scripts it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook { path: string; headers: http.IncomingHttpHeaders; raw: Buffer; body: any; receivedAt: number }
export interface HookAnswer { status: number; body?: string; headers?: Record<string, string> }
/** Decides the answer to a POST; `hits` counts POSTs to that path so far, this one included. */
export type Responder = (path: string, hits: number, hook: ReceivedHook) => HookAnswer;
/** Pages the runs open: GET paths answered with HTML, after `delayMs`, or never (`hang`). */
export type Pages = Record<string, { delayMs?: number; hang?: boolean }>;

export async function startReceiver(respond: Responder = () => ({ status: 200, body: 'ok' }), pages: Pages = {}) {
  const received: ReceivedHook[] = [];
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url!, 'http://x').pathname;
      if (req.method === 'GET') {
        const page = pages[path];
        if (!page) { res.writeHead(404).end('not found'); return; }
        if (page.hang) return; // never answers: the run's page load never finishes
        setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>${path}</title><p>${path}</p>`), page.delayMs ?? 0);
        return;
      }
      const raw = Buffer.concat(chunks);
      let body: unknown = null;
      try { body = JSON.parse(raw.toString('utf8')); } catch { /* recorded as raw only */ }
      const hook: ReceivedHook = { path, headers: req.headers, raw, body, receivedAt: Date.now() };
      received.push(hook);
      const n = (hits.get(path) ?? 0) + 1;
      hits.set(path, n);
      const answer = respond(path, n, hook);
      res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    url: (path: string) => `${base}${path}`,
    received,
    for: (path: string) => received.filter((h) => h.path === path),
    async waitFor(path: string, count = 1, timeoutMs = 30_000): Promise<ReceivedHook[]> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const got = received.filter((h) => h.path === path);
        if (got.length >= count) return got;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`receiver got ${received.filter((h) => h.path === path).length} of ${count} POSTs to ${path} in ${timeoutMs} ms`);
    },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
