// The viewer's stylesheet and script: two small hand-written files, read once and served from
// memory with an ETag (nothing fetched from a CDN, nothing to build).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
const FILES: Record<string, string> = { 'viewer.css': 'text/css; charset=utf-8', 'viewer.js': 'text/javascript; charset=utf-8' };

export function serveAssets(ui: FastifyInstance): void {
  for (const [name, type] of Object.entries(FILES)) {
    const body = readFileSync(path.join(DIR, name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    ui.get(`/ui/assets/${name}`, { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply.type(type).send(body);
    });
  }
}
