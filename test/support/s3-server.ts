// A real S3-compatible server on 127.0.0.1 for tests and benchmarks: s3rver (an npm package that
// keeps objects in a folder) behind a thin front that adds what s3rver lacks and tests need:
// - AbortMultipartUpload (s3rver answers 405), so an aborted upload's parts really go away;
// - refusal of unsigned requests (s3rver lets them through), so a URL that works proves it is signed;
// - a request log and failure injection, so a test can kill or fail an upload at a chosen moment.
// s3rver checks presigned URLs' expiry but not signatures; any key pair is accepted.
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

interface S3rverStore {
  putBucket(name: string): Promise<void>;
  listObjects(bucket: string, opts: object): Promise<{ objects: { key: string }[] }>;
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getObject(bucket: string, key: string, opts?: object): Promise<{ content: NodeJS.ReadableStream } | null>;
}
interface S3rverApp { store: S3rverStore; callback(): (req: IncomingMessage, res: ServerResponse) => void; logger: { close(): void } }
const S3rver = createRequire(import.meta.url)('s3rver') as new (opts: object) => S3rverApp;

export interface S3Request { method: string; bucket: string; key: string; query: URLSearchParams; signed: boolean }

export interface TestS3Server {
  /** `http://127.0.0.1:<port>`: give it as AWS_ENDPOINT_URL. */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Env for a Skyport process storing artifacts here (path-style, this server's keys). */
  env(bucket: string, extra?: Record<string, string>): Record<string, string>;
  createBucket(name: string): Promise<void>;
  /** Keys of complete objects (an upload in progress or abandoned lists nothing). */
  listKeys(bucket: string): Promise<string[]>;
  getObject(bucket: string, key: string): Promise<Buffer>;
  /** Multipart uploads started and neither completed nor aborted. */
  pendingUploads(bucket: string): Promise<string[]>;
  /** Every request received, oldest first. */
  requests: S3Request[];
  /** Called as each request arrives, before it is served (e.g. to kill the uploader at its first part). */
  onRequest(listener: ((r: S3Request) => void) | undefined): void;
  /** Requests matching `when` are answered 403 AccessDenied (not retried by the SDK) until cleared. */
  failWhen(when: ((r: S3Request) => boolean) | undefined): void;
  close(): Promise<void>;
}

export async function startS3Server(): Promise<TestS3Server> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'skyport-s3-'));
  const s3 = new S3rver({ directory: dir, silent: true, vhostBuckets: false, resetOnClose: false });
  const handle = s3.callback();
  const requests: S3Request[] = [];
  let listener: ((r: S3Request) => void) | undefined;
  let failing: ((r: S3Request) => boolean) | undefined;
  const uploadsDir = (bucket: string) => s3.store.getResourcePath(bucket, undefined, 'uploads');
  const error = (res: ServerResponse, status: number, code: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/xml' })
      .end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
  };

  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const r: S3Request = {
      method: req.method ?? 'GET', bucket: decodeURIComponent(bucket), key: decodeURIComponent(rest.join('/')), query: url.searchParams,
      signed: 'authorization' in req.headers || url.searchParams.has('X-Amz-Signature'),
    };
    requests.push(r);
    listener?.(r);
    if (!r.signed) return error(res, 403, 'AccessDenied', 'Anonymous access is refused by this test server');
    if (failing?.(r)) { req.resume(); return error(res, 403, 'AccessDenied', 'Refused by the test (failWhen)'); }
    if (r.method === 'DELETE' && r.key && url.searchParams.has('uploadId')) {
      const id = url.searchParams.get('uploadId')!;
      if (!/^[0-9a-f]+$/.test(id)) return error(res, 404, 'NoSuchUpload', 'no such upload');
      void rm(path.join(uploadsDir(r.bucket), id), { recursive: true, force: true }).then(() => res.writeHead(204).end());
      return;
    }
    handle(req, res);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accessKeyId = 'S3RVER';
  const secretAccessKey = 'S3RVER';

  return {
    endpoint, accessKeyId, secretAccessKey, requests,
    env: (bucket, extra = {}) => ({
      SKYVERN_STORAGE_TYPE: 's3', AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: endpoint, AWS_S3_BUCKET_ARTIFACTS: bucket,
      AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, ...extra,
    }),
    createBucket: (name) => s3.store.putBucket(name),
    async listKeys(bucket) {
      return (await s3.store.listObjects(bucket, {})).objects.map((o) => o.key).sort();
    },
    async getObject(bucket, key) {
      const object = await s3.store.getObject(bucket, key);
      if (!object) throw new Error(`no object s3://${bucket}/${key}`);
      const chunks: Buffer[] = [];
      for await (const c of object.content as AsyncIterable<Buffer>) chunks.push(c);
      return Buffer.concat(chunks);
    },
    async pendingUploads(bucket) {
      return readdir(uploadsDir(bucket)).catch(() => []);
    },
    onRequest(l) { listener = l; },
    failWhen(w) { failing = w; },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3.logger.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
