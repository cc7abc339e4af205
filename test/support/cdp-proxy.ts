import http from 'node:http';
import net from 'node:net';

/**
 * Sits in front of a DevTools endpoint and records the headers of every request, HTTP and
 * WebSocket upgrade alike, so a test can see exactly what reached the CDP endpoint.
 */
export async function startCdpProxy(targetPort: number) {
  const seen: http.IncomingHttpHeaders[] = [];
  let selfPort = 0;
  const server = http.createServer(async (req, res) => {
    seen.push(req.headers);
    const upstream = await fetch(`http://127.0.0.1:${targetPort}${req.url}`);
    let text = await upstream.text();
    // Point the advertised WebSocket URL back at the proxy so the upgrade passes through it too.
    text = text.replaceAll(`127.0.0.1:${targetPort}`, `127.0.0.1:${selfPort}`).replaceAll(`localhost:${targetPort}`, `127.0.0.1:${selfPort}`);
    res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
  });
  server.on('upgrade', (req, socket, head) => {
    seen.push(req.headers);
    const upstream = net.connect(targetPort, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  selfPort = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${selfPort}`,
    seen,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
