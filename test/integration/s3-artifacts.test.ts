// Artifacts in S3 end to end, against a real S3-compatible server (s3rver): a real task run whose
// screenshots, video and download land in their buckets and come back through the API byte for
// byte (video by Range too); presigned URLs that work and expire; refusal to start with another
// storage; and a worker killed mid-upload leaving no object and no row.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.ts';
import { createApi } from '../../src/processes.ts';
import { parseS3Uri } from '../../src/artifacts/uri.ts';
import { DOWNLOAD_FILE_BODY } from '../fixtures/sites/server.ts';
import { act, complete, startAgentHarness, verdict, type AgentHarness } from '../e2e/agent/support/scripted-agent.ts';
import { startS3Server, type TestS3Server } from '../support/s3-server.ts';
import { createTestDatabase, testEnv } from '../support/stack.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUCKETS = { artifacts: 'skyport-artifacts', screenshots: 'skyport-screenshots', uploads: 'skyport-uploads' };

describe('artifacts in S3 (s3rver)', () => {
  let s3: TestS3Server; let h: AgentHarness; let runId: string; let run: any;
  const inject = async (url: string, headers: Record<string, string> = {}) => {
    const u = new URL(url, 'http://x');
    return h.stack.api.app.inject({ method: 'GET', url: u.pathname + u.search, headers });
  };
  const s3Env = (extra: Record<string, string> = {}) => s3.env(BUCKETS.artifacts, { AWS_S3_BUCKET_SCREENSHOTS: BUCKETS.screenshots, AWS_S3_BUCKET_UPLOADS: BUCKETS.uploads, ...extra });

  before(async () => {
    s3 = await startS3Server();
    for (const b of Object.values(BUCKETS)) await s3.createBucket(b);
    h = await startAgentHarness(s3Env());
    h.agent.on('[s3-download]', (call) => {
      if (call.kind === 'check') return verdict(/saved report\.csv/.test(call.sections['ACTIONS TAKEN'] ?? ''));
      if (/saved report\.csv/.test(call.sections['PREVIOUS STEPS'] ?? '')) return act('Saved', complete());
      return act('Download', { action_type: 'download_file', element_id: call.page.find(/Download sales report/) });
    });
    run = await h.runTask({ prompt: 'Download the sales report. [s3-download]', url: `${h.site.baseUrl}/download.html` });
    runId = run.run_id;
  });
  after(async () => { await h?.close(); await s3?.close(); });

  it('a run\'s screenshots, video and download land in their buckets and are served with identical bytes', async () => {
    assert.equal(run.status, 'completed', run.failure_reason);
    const listed = await h.stack.request('GET', `/v1/runs/${runId}/artifacts`);
    const byType = (t: string) => listed.body.filter((a: any) => a.artifact_type === t || (t === 'screenshot' && a.artifact_type.startsWith('screenshot')));
    assert.ok(byType('screenshot').length >= 2 && byType('recording').length === 1 && byType('download').length === 1, listed.body.map((a: any) => a.artifact_type).join());
    for (const a of listed.body) {
      const loc = parseS3Uri(a.uri);
      assert.ok(loc, `${a.artifact_type} recorded as s3://: ${a.uri}`);
      const bucket = a.artifact_type.startsWith('screenshot') ? BUCKETS.screenshots : a.artifact_type === 'download' ? BUCKETS.uploads : BUCKETS.artifacts;
      assert.equal(loc.bucket, bucket, a.artifact_type);
      assert.ok((await s3.listKeys(bucket)).includes(loc.key));
      const stored = await s3.getObject(loc.bucket, loc.key);
      assert.equal(a.file_size, stored.length);
      const served = await inject(a.signed_url);
      assert.equal(served.statusCode, 200, `${a.artifact_type}: ${served.body.slice(0, 200)}`);
      assert.ok(served.rawPayload.equals(stored), `${a.artifact_type} served byte for byte`);
    }
    // What run responses show, and the local folder stays empty.
    assert.equal(run.downloaded_files.length, 1);
    assert.equal(run.downloaded_files[0].filename, 'report.csv');
    assert.equal((await inject(run.downloaded_files[0].url)).body, DOWNLOAD_FILE_BODY);
    assert.ok(!existsSync(h.stack.config.artifactDir) || (await readdir(h.stack.config.artifactDir)).length === 0);
  });

  it('serves the video by Range from S3', async () => {
    const rec = (await h.stack.api.core.repos.artifacts.listForRun(h.stack.organizationId, runId, ['recording']))[0]!;
    const loc = parseS3Uri(rec.uri)!;
    const stored = await s3.getObject(loc.bucket, loc.key);
    assert.ok(stored.length > 2000, 'a real video');
    const part = await inject(run.recording_url, { range: 'bytes=100-1099' });
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], `bytes 100-1099/${stored.length}`);
    assert.ok(part.rawPayload.equals(stored.subarray(100, 1100)));
    const tail = await inject(run.recording_url, { range: 'bytes=-10' });
    assert.equal(tail.statusCode, 206);
    assert.ok(tail.rawPayload.equals(stored.subarray(-10)));
    assert.equal((await inject(run.recording_url, { range: `bytes=${stored.length + 5}-` })).statusCode, 416);
  });

  it('ARTIFACT_URL_MODE=presigned answers with presigned S3 URLs that work and expire', async () => {
    // Two more APIs on the same database with the presigned mode: links of 10 minutes for the checks
    // that they work, and of 1 s for the check that they expire (however slow the machine is).
    const presigningApi = (ttl: number) => createApi(loadConfig({ ...h.stack.config.env, ARTIFACT_URL_MODE: 'presigned', ARTIFACT_URL_TTL_SECONDS: String(ttl) }), { migrate: false });
    const api = await presigningApi(600);
    const shortApi = await presigningApi(1);
    try {
      const shortView = JSON.parse((await shortApi.app.inject({ method: 'GET', url: `/v1/runs/${runId}`, headers: { 'x-api-key': h.stack.apiKey } })).body);
      const get = async (url: string) => JSON.parse((await api.app.inject({ method: 'GET', url, headers: { 'x-api-key': h.stack.apiKey } })).body);
      const view = await get(`/v1/runs/${runId}`);
      const listed = await get(`/v1/runs/${runId}/artifacts`);
      const urls = [...view.screenshot_urls, view.recording_url, view.downloaded_files[0].url, ...listed.map((a: any) => a.signed_url)];
      for (const url of urls) assert.ok(url.startsWith(`${s3.endpoint}/`) && url.includes('X-Amz-Signature='), url);
      const shot = await fetch(view.screenshot_urls[0]);
      assert.equal(shot.status, 200);
      assert.equal(shot.headers.get('content-type'), 'image/png');
      // Path-style: /<bucket>/<key>, the object the URL names.
      const [, bucket, ...key] = new URL(view.screenshot_urls[0]).pathname.split('/').map(decodeURIComponent);
      const loc = { bucket: bucket!, key: key.join('/') };
      assert.equal(loc.bucket, BUCKETS.screenshots);
      assert.ok(Buffer.from(await shot.arrayBuffer()).equals(await s3.getObject(loc.bucket, loc.key)));
      const file = await fetch(view.downloaded_files[0].url);
      assert.equal(file.status, 200);
      assert.equal(await file.text(), DOWNLOAD_FILE_BODY);
      assert.match(file.headers.get('content-disposition') ?? '', /attachment; filename="report\.csv"/);
      const video = await fetch(view.recording_url, { headers: { range: 'bytes=0-3' } });
      assert.equal(video.status, 206);
      assert.equal(Buffer.from(await video.arrayBuffer()).toString('hex'), '1a45dfa3', 'a WebM (EBML) file');
      // The run viewer keeps the API's own links (its CSP allows only itself).
      const media = await api.core.artifacts.runMedia(runId, { apiLinks: true });
      assert.ok(media.screenshotUrls[0]!.includes('/v1/artifacts/'));
      assert.equal(new URL(view.screenshot_urls[0]).searchParams.get('X-Amz-Expires'), '600');
      await new Promise((r) => setTimeout(r, 2100));
      assert.equal((await fetch(shortView.screenshot_urls[0])).status, 403, 'expired');
      assert.equal((await fetch(shortView.downloaded_files[0].url)).status, 403, 'expired');
      assert.equal((await fetch(view.screenshot_urls[0])).status, 200, 'the 10-minute link still works');
    } finally { await api.close(); await shortApi.close(); }
  });

  it('a worker killed mid-upload leaves no object and no artifact row', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'skyport-kill-'));
    const file = path.join(dir, 'big.webm');
    await writeFile(file, randomBytes(40 * 1024 * 1024));
    const rowsBefore = await h.stack.api.core.repos.artifacts.listForRun(h.stack.organizationId, runId);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/artifact-upload-child.ts'], {
      cwd: ROOT, env: { ...process.env, ...h.stack.config.env, RUN_ID: runId, UPLOAD_FILE: file }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => { output += c; }); child.stderr.on('data', (c) => { output += c; });
    let partsSeen = 0;
    s3.onRequest((r) => {
      // Killed as its third part arrives: parts are on the server, the object is not complete.
      if (r.key.endsWith('killed.webm') && r.query.has('partNumber') && ++partsSeen === 3) child.kill('SIGKILL');
    });
    try {
      const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
      assert.equal(signal, 'SIGKILL', `the child finished before it was killed: ${output}`);
      assert.doesNotMatch(output, /saved/);
      assert.deepEqual((await s3.listKeys(BUCKETS.artifacts)).filter((k) => k.endsWith('killed.webm')), [], 'no object listed');
      const rowsAfter = await h.stack.api.core.repos.artifacts.listForRun(h.stack.organizationId, runId);
      assert.equal(rowsAfter.length, rowsBefore.length, 'nothing recorded');
      assert.ok(!rowsAfter.some((a) => a.uri.endsWith('killed.webm')));
      // What a killed process leaves: an unfinished multipart upload, for the bucket's lifecycle rule (docs/storage.md).
      assert.equal((await s3.pendingUploads(BUCKETS.artifacts)).length, 1);
    } finally {
      s3.onRequest(undefined);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start a process whose storage differs from the deployment\'s', async () => {
    const env = h.stack.config.env;
    await assert.rejects(createApi(loadConfig({ ...env, SKYVERN_STORAGE_TYPE: 'local' }), { migrate: false }),
      /Refusing to start: this process is configured for local folder storage.*but the database records.*S3 at http:\/\/127\.0\.0\.1:\d+, buckets artifacts=skyport-artifacts/s);
    await assert.rejects(createApi(loadConfig({ ...env, AWS_S3_BUCKET_ARTIFACTS: 'elsewhere' }), { migrate: false }), /artifacts=elsewhere.*ARTIFACT_STORAGE_REPLACE=true/s);
    await assert.rejects(createApi(loadConfig({ ...env, AWS_S3_BUCKET_SCREENSHOTS: '' }), { migrate: false }), /screenshots=skyport-artifacts/);
  });
});

describe('storage record of a deployment', () => {
  it('the first process records its storage; a deliberate move needs ARTIFACT_STORAGE_REPLACE=true', async () => {
    const s3 = await startS3Server();
    await s3.createBucket('b1');
    const database = await createTestDatabase();
    // One data folder (one sealing key) for all: only the storage settings differ.
    const base = await testEnv({ DATABASE_URL: database.url });
    const start = async (extra: Record<string, string>) => createApi(loadConfig({ ...base, ...extra }), { migrate: false });
    try {
      await (await start({})).close(); // local, recorded
      await (await start({})).close(); // local again: fine
      await assert.rejects(start(s3.env('b1')), /configured for S3 at .*but the database records that this deployment's processes use local folder storage/s);
      const moved = await start(s3.env('b1', { ARTIFACT_STORAGE_REPLACE: 'true' }));
      await moved.close();
      await (await start(s3.env('b1'))).close();
      await assert.rejects(start({}), /configured for local folder storage/);
      // A deployment from before the record: its artifact rows tell which store the others use.
      const api = await start(s3.env('b1'));
      try {
        const { organizationId } = await api.services.organizations.createOrganization('rows');
        const runRow = await api.core.repos.runs.insert({ runId: `tsk_${Date.now()}`, organizationId, runType: 'task_v1', status: 'completed', request: {} } as Parameters<typeof api.core.repos.runs.insert>[0]);
        await api.core.repos.artifacts.insert({ artifactId: `a_${Date.now()}`, organizationId, runId: runRow.runId, stepId: null, blockRunId: null, artifactType: 'skyvern_log', uri: 's3://b1/x', fileSize: 1 });
      } finally { await api.close(); }
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try { await client.query(`delete from server_settings where key = 'artifact_storage'`); } finally { await client.end(); }
      await assert.rejects(start({}), /configured for local folder storage.*but existing artifacts are stored at S3 \(s3:\/\/b1\/…\)/s);
      await (await start(s3.env('b1'))).close();
    } finally {
      await database.drop();
      await s3.close();
    }
  });
});
