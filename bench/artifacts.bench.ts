// Artifact store write/read times, S3 (s3rver on 127.0.0.1, test/support/s3-server.ts) next to the
// local folder: a screenshot-sized buffer (~200 KB, `put`) and a 10 MB video file (`putFile`, which
// goes up to S3 in two multipart parts; the local store moves the file, so its write is a rename),
// then reading each back whole as the content route does (stat, then the body). p50/p95 over BENCH_ARTIFACT_REPEAT
// rounds (default 30; 3 warm-up rounds not counted). Prints a markdown table; asserts nothing.
// s3rver keeps objects in a folder on this machine, so the S3 column is the protocol's and the SDK's
// cost (HTTP, signing, multipart), not a network's. Run: `npx tsx bench/artifacts.bench.ts`.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { localArtifactStore } from '../src/artifacts/local-store.ts';
import { s3ArtifactStore } from '../src/artifacts/s3-store.ts';
import type { ArtifactStore } from '../src/artifacts/store.ts';
import { startS3Server } from '../test/support/s3-server.ts';
import { ms, percentile, printTable } from './support/table.ts';

const ROUNDS = Number(process.env.BENCH_ARTIFACT_REPEAT ?? 30);
const WARMUP = 3;

const dir = await mkdtemp(path.join(os.tmpdir(), 'skyport-artifacts-bench-'));
const s3 = await startS3Server();
await s3.createBucket('bench');
const stores: Record<string, ArtifactStore> = {
  local: localArtifactStore(path.join(dir, 'store')),
  s3: await s3ArtifactStore({
    region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    buckets: { artifacts: 'bench', screenshots: 'bench', uploads: 'bench' },
  }),
};
const screenshot = randomBytes(200 * 1024);
const video = path.join(dir, 'video.webm');
await writeFile(video, randomBytes(10 * 1024 * 1024));

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

interface Case {
  name: string;
  /** Untimed: putFile may move its source (the local store renames), so each round files a fresh copy. */
  prepare?(i: number): Promise<string>;
  write(store: ArtifactStore, i: number, source: string): Promise<string>;
}
const cases: Case[] = [
  { name: 'screenshot 200 KB (put)', write: async (s, i) => (await s.put(`run/shot-${i}.png`, screenshot, { artifactType: 'screenshot_action' })).uri },
  {
    name: 'video 10 MB (putFile)',
    prepare: async (i) => { const src = path.join(dir, `src-${i}.webm`); await copyFile(video, src); return src; },
    write: async (s, i, src) => (await s.putFile(`run/video-${i}.webm`, src, { artifactType: 'recording' })).uri,
  },
];

const rows: Record<string, string | number>[] = [];
for (const c of cases) {
  const times: Record<string, { write: number[]; read: number[] }> = {};
  for (const [name, store] of Object.entries(stores)) {
    times[name] = { write: [], read: [] };
    for (let i = 0; i < ROUNDS + WARMUP; i++) {
      const source = (await c.prepare?.(i)) ?? '';
      let uri = '';
      const write = await time(async () => { uri = await c.write(store, i, source); });
      // As GET /v1/artifacts/{id}/content does: size first (HEAD on S3), then the body.
      const read = await time(async () => { await store.stat(uri); await buffer(await store.read(uri)); });
      if (source) await rm(source, { force: true });
      if (i >= WARMUP) { times[name]!.write.push(write); times[name]!.read.push(read); }
    }
  }
  for (const op of ['write', 'read'] as const) {
    rows.push({
      artifact: c.name, op,
      'local p50': ms(percentile(times.local![op], 50)), 'local p95': ms(percentile(times.local![op], 95)),
      'S3 p50': ms(percentile(times.s3![op], 50)), 'S3 p95': ms(percentile(times.s3![op], 95)),
    });
  }
}
printTable(`Artifact store: local folder vs S3 (s3rver on loopback), ${ROUNDS} rounds`, rows);
(stores.s3 as Awaited<ReturnType<typeof s3ArtifactStore>>).close();
await s3.close();
await rm(dir, { recursive: true, force: true });
