// The S3 store against a real S3-compatible server (s3rver, test/support/s3-server.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { startS3Server, type TestS3Server } from '../../test/support/s3-server.ts';
import { s3ArtifactStore, type S3ArtifactStore } from './s3-store.ts';
import { openArtifactStore } from './open-store.ts';
import { localArtifactStore } from './local-store.ts';
import { storedFileName } from './uri.ts';

describe('S3 artifact store', () => {
  let s3: TestS3Server; let store: S3ArtifactStore; let dir: string;
  before(async () => {
    s3 = await startS3Server();
    await Promise.all(['arts', 'shots', 'ups'].map((b) => s3.createBucket(b)));
    store = await s3ArtifactStore({
      region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      buckets: { artifacts: 'arts', screenshots: 'shots', uploads: 'ups' },
    });
    dir = await mkdtemp(path.join(os.tmpdir(), 's3-store-'));
  });
  after(async () => { store?.close(); await s3?.close(); await rm(dir, { recursive: true, force: true }); });

  it('puts bytes and reads them back whole and by range', async () => {
    const data = randomBytes(200_000);
    const { uri, size } = await store.put('org/run/001/1_a_1_screenshot_action_file.png', data, { artifactType: 'screenshot_action' });
    assert.equal(uri, 's3://shots/org/run/001/1_a_1_screenshot_action_file.png');
    assert.equal(size, data.length);
    assert.deepEqual(await s3.getObject('shots', 'org/run/001/1_a_1_screenshot_action_file.png'), data);
    assert.equal(await store.stat(uri), data.length);
    assert.deepEqual(await buffer(await store.read(uri)), data);
    assert.deepEqual(await buffer(await store.read(uri, { start: 1000, end: 1999 })), data.subarray(1000, 2000));
    assert.deepEqual(await buffer(await store.read(uri, { start: data.length - 1, end: data.length - 1 })), data.subarray(-1));
  });

  it('puts strings, and places each kind in its bucket', async () => {
    const text = await store.put('k/log.txt', 'héllo', { artifactType: 'skyvern_log' });
    assert.equal(text.uri, 's3://arts/k/log.txt');
    assert.equal(text.size, Buffer.byteLength('héllo'));
    assert.equal((await buffer(await store.read(text.uri))).toString(), 'héllo');
    const dl = await store.put('k/report.csv', 'a,b', { artifactType: 'download' });
    assert.equal(dl.uri, 's3://ups/k/report.csv');
    assert.equal(storedFileName(dl.uri), 'report.csv');
  });

  it('uploads a file in parts (12 MB: 3 parts) and keeps the source', async () => {
    const file = path.join(dir, 'video.webm');
    const data = randomBytes(12 * 1024 * 1024);
    await writeFile(file, data);
    const before = s3.requests.length;
    const { uri, size } = await store.putFile('k/recording.webm', file, { artifactType: 'recording' });
    assert.equal(size, data.length);
    const parts = s3.requests.slice(before).filter((r) => r.method === 'PUT' && r.query.has('partNumber'));
    assert.equal(parts.length, 3);
    assert.deepEqual(await s3.getObject('arts', 'k/recording.webm'), data);
    assert.deepEqual(await buffer(await store.read(uri, { start: 5 * 1024 * 1024 - 10, end: 5 * 1024 * 1024 + 9 })), data.subarray(5 * 1024 * 1024 - 10, 5 * 1024 * 1024 + 10));
    assert.deepEqual(await s3.pendingUploads('arts'), []);
  });

  it('aborts a multipart upload that fails: no object, no parts left', async () => {
    const file = path.join(dir, 'big.bin');
    await writeFile(file, randomBytes(16 * 1024 * 1024));
    let parts = 0;
    // The second part is refused: the upload must fail and clean up after itself.
    s3.failWhen((r) => r.method === 'PUT' && r.query.has('partNumber') && ++parts === 2);
    try {
      await assert.rejects(store.putFile('k/failing.bin', file, { artifactType: 'recording' }), /Refused by the test|AccessDenied/);
    } finally { s3.failWhen(undefined); }
    assert.ok(s3.requests.some((r) => r.method === 'DELETE' && r.key === 'k/failing.bin' && r.query.has('uploadId')), 'AbortMultipartUpload sent');
    assert.ok(!(await s3.listKeys('arts')).includes('k/failing.bin'));
    assert.deepEqual(await s3.pendingUploads('arts'), []);
  });

  it('stat is undefined for a missing object; other errors are errors', async () => {
    assert.equal(await store.stat('s3://arts/nope'), undefined);
    s3.failWhen((r) => r.method === 'HEAD');
    try { await assert.rejects(store.stat('s3://arts/k/log.txt')); } finally { s3.failWhen(undefined); }
  });

  it('presigns GETs that work until they expire', async () => {
    const { uri } = await store.put('k/shot.png', Buffer.from('png!'), { artifactType: 'screenshot_final' });
    const response = { contentType: 'image/png', contentDisposition: 'inline' };
    const url = (await store.presignedUrl!(uri, 600, response))!;
    assert.ok(url.startsWith(`${s3.endpoint}/shots/k/shot.png?`), url);
    assert.equal(new URL(url).searchParams.get('X-Amz-Expires'), '600');
    // A second link of one second, minted now: however slow the checks below, it has expired after the wait.
    const shortLived = (await store.presignedUrl!(uri, 1, response))!;
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(await res.text(), 'png!');
    assert.equal((await fetch(`${s3.endpoint}/shots/k/shot.png`)).status, 403, 'unsigned requests are refused');
    await new Promise((r) => setTimeout(r, 2100));
    assert.equal((await fetch(shortLived)).status, 403, 'expired');
    assert.equal((await fetch(url)).status, 200, 'the long-lived link still works');
  });

  it('ping answers when every bucket does, and names the one that does not', async () => {
    await store.ping();
    const missing = await s3ArtifactStore({
      region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      buckets: { artifacts: 'arts', screenshots: 'no-such-bucket', uploads: 'arts' },
    });
    try { await assert.rejects(missing.ping(), /S3 bucket no-such-bucket does not answer: 404/); } finally { missing.close(); }
  });

  it('a store opened for S3 still reads file:// artifacts written before the move', async () => {
    const local = localArtifactStore(dir);
    const old = await local.put('old/file.txt', 'from before');
    const opened = await openArtifactStore({ type: 's3', localDir: dir, s3: {
      region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, buckets: { artifacts: 'arts', screenshots: 'arts', uploads: 'arts' },
    } });
    try {
      assert.equal((await buffer(await opened.read(old.uri))).toString(), 'from before');
      assert.equal(await opened.presignedUrl!(old.uri, 60, { contentType: 'text/plain', contentDisposition: 'inline' }), undefined);
      assert.match((await opened.put('new/file.txt', 'x')).uri, /^s3:\/\/arts\//);
    } finally { opened.close(); }
  });
});
