// Skyport spread over three "hosts": the API and two workers, each its own process with its own
// empty data folder and temporary folder on a private tmpfs (test/support/host-process.ts), sharing
// only Postgres, Redis, S3 (s3rver) and the network. 20 tasks and 5 workflows — downloads,
// recordings, a browser session hosted by one worker and driven by runs, a profile saved from it
// and used by other runs, a workflow's persisted browser state — must all complete, and every
// artifact must come back through the API's HTTP port byte for byte from S3.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseS3Uri } from '../../src/artifacts/uri.ts';
import { DOWNLOAD_FILE_BODY } from '../fixtures/sites/server.ts';
import { serveBrowserStateSite, type SeenRequest } from '../fixtures/sites/browser-state-site.ts';
import { serveFixtures, type FixtureServer } from '../fixtures/sites/server.ts';
import { act, complete, simpleBrain, startScriptedAgent, verdict, type ScriptedAgent } from '../e2e/agent/support/scripted-agent.ts';
import { canIsolateHosts, startHostProcess, type HostProcess } from '../support/host-process.ts';
import { startS3Server, type TestS3Server } from '../support/s3-server.ts';
import { createTestDatabase, TERMINAL } from '../support/stack.ts';

const BUCKETS = { artifacts: 'hosts-artifacts', screenshots: 'hosts-screenshots', uploads: 'hosts-uploads' };
const isolated = canIsolateHosts();

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('API and two workers on separate hosts, artifacts in S3', { skip: isolated ? false : 'needs root for unshare -m (private mount namespaces)' }, () => {
  let s3: TestS3Server; let agent: ScriptedAgent; let site: FixtureServer;
  let stateSite: Awaited<ReturnType<typeof serveBrowserStateSite>>['site']; let seen: SeenRequest[];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let root: string; let api: HostProcess; let workers: HostProcess[]; let baseUrl: string;
  const apiKey = `sk-hosts-${randomBytes(12).toString('hex')}`;

  const request = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${baseUrl}${url}`, {
      method, headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const create = async (url: string, body: Record<string, unknown>) => {
    const res = await request('POST', url, body);
    assert.equal(res.status, 200, `${url}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const waitForTerminal = async (runId: string, timeoutMs = 180_000) => {
    const deadline = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < deadline) {
      last = (await request('GET', `/v1/runs/${runId}`)).body;
      if (TERMINAL.includes(last?.status)) return last;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`run ${runId} not finished: ${JSON.stringify(last)?.slice(0, 400)}`);
  };
  /** The worker that logged `msg` for this id (field `key`). */
  const hostThatLogged = (msg: string, key: string, id: string) => workers.filter((w) => w.logs.some((l) => l.msg === msg && l[key] === id)).map((w) => w.name);

  before(async () => {
    s3 = await startS3Server();
    for (const b of Object.values(BUCKETS)) await s3.createBucket(b);
    [agent, site, { site: stateSite, seen }, database] = await Promise.all([startScriptedAgent(), serveFixtures(), serveBrowserStateSite(), createTestDatabase()]);
    agent.on('[hosts-download]', (call) => {
      if (call.kind === 'check') return verdict(/saved report\.csv/.test(call.sections['ACTIONS TAKEN'] ?? ''));
      if (/saved report\.csv/.test(call.sections['PREVIOUS STEPS'] ?? '')) return act('Saved', complete());
      return act('Download', { action_type: 'download_file', element_id: call.page.find(/Download sales report/) });
    });
    agent.on('[set-state]', simpleBrain(/State saved/, () => act('The page says the state is saved.', complete())));
    agent.on('[show-state]', simpleBrain(/Showing state/, () => act('The page shows the state.', complete())));

    root = await mkdtemp(path.join(os.tmpdir(), 'skyport-hosts-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env, ...agent.env,
      ...s3.env(BUCKETS.artifacts, { AWS_S3_BUCKET_SCREENSHOTS: BUCKETS.screenshots, AWS_S3_BUCKET_UPLOADS: BUCKETS.uploads }),
      DATABASE_URL: database.url, QUEUE_PREFIX: `h${randomBytes(4).toString('hex')}`, LOG_LEVEL: 'info',
      // One sealing key for every host, as a deployment gives it (a Secret), not a shared file.
      SECRET_KEY: randomBytes(32).toString('base64url'), SKYVERN_API_KEY: apiKey,
      SKYVERN_BASE_URL: baseUrl, PORT: String(port), HOST: '127.0.0.1',
      WORKER_CONCURRENCY: '3', RECONCILE_INTERVAL_MS: '1000', RUN_SLOT_RETRY_MS: '300', BROWSER_SESSION_CREATE_WAIT_MS: '60000',
    };
    const hostDir = async (name: string) => { const d = path.join(root, name); await mkdir(d); return d; };
    api = startHostProcess('api', 'src/api.ts', await hostDir('api'), env);
    // The API migrates and records the deployment's storage before the workers compare theirs.
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${baseUrl}/health/ready`).then((r) => r.status, () => 0)) !== 200) {
      if (Date.now() > deadline || api.child.exitCode !== null) throw new Error(`API did not become ready:\n${api.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    workers = [startHostProcess('worker-a', 'src/worker.ts', await hostDir('worker-a'), env), startHostProcess('worker-b', 'src/worker.ts', await hostDir('worker-b'), env)];
    const started = Date.now() + 60_000;
    while (!workers.every((w) => w.logs.some((l) => l.msg === 'worker started'))) {
      if (Date.now() > started || workers.some((w) => w.child.exitCode !== null)) throw new Error(`workers did not start:\n${workers.map((w) => w.output().slice(-2000)).join('\n---\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  after(async () => {
    await Promise.all((workers ?? []).map((w) => w.stop()));
    await api?.stop();
    await database?.drop().catch(() => {});
    await Promise.all([agent?.close(), site?.close(), stateSite?.close(), s3?.close()]);
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('runs 20 tasks and 5 workflows across both workers; every artifact is served by the API from S3', async () => {
    // 10 independent downloads, spread over both workers.
    const downloads = await Promise.all(Array.from({ length: 10 }, () => create('/v1/run/tasks', { prompt: 'Download the sales report. [hosts-download]', url: `${site.baseUrl}/download.html` })));

    // A session lives in one worker's Chromium; runs in it (on whichever worker picks them up first)
    // must work there, downloads included, and a profile saved from it seeds runs anywhere.
    const session = await create('/v1/browser_sessions', {});
    assert.equal(session.status, 'running', JSON.stringify(session));
    const sessionId = session.browser_session_id as string;
    const inSession = await waitForTerminal((await create('/v1/run/tasks', { prompt: 'Open the page. [set-state]', url: `${stateSite.baseUrl}/set?v=alpha`, browser_session_id: sessionId })).run_id);
    assert.equal(inSession.status, 'completed', inSession.failure_reason);
    const sessionDownload = await waitForTerminal((await create('/v1/run/tasks', { prompt: 'Download the sales report. [hosts-download]', url: `${site.baseUrl}/download.html`, browser_session_id: sessionId })).run_id);
    assert.equal(sessionDownload.status, 'completed', sessionDownload.failure_reason);
    assert.equal(sessionDownload.downloaded_files.length, 1, 'the download made in the session browser was kept');
    const profile = await create('/v1/browser_profiles', { name: 'alpha', browser_session_id: sessionId });
    const profileId = profile.browser_profile_id as string;
    const fromProfile = await Promise.all(Array.from({ length: 8 }, () => create('/v1/run/tasks', { prompt: 'Open the page. [show-state]', url: `${stateSite.baseUrl}/show`, browser_profile_id: profileId })));

    // Five workflows: one whose browser state persists from one run to its next (kept in Postgres,
    // so the second run may be on the other worker), one in the session, one from the profile, and
    // two printing a PDF (a download each), one of them in the session.
    const workflow = async (title: string, blocks: object[], extra: Record<string, unknown> = {}) =>
      (await create('/v1/agents', { json_definition: { title, ...extra, workflow_definition: { parameters: [{ key: 'path', parameter_type: 'workflow', workflow_parameter_type: 'string', default_value: '/show' }], blocks } } })).workflow_permanent_id as string;
    const showPage = { block_type: 'goto_url', label: 'open', url: `${stateSite.baseUrl}{{ path }}` };
    const persisted = await workflow('persisted', [showPage], { persist_browser_session: true });
    const sessionShow = await workflow('session show', [showPage]);
    const profileShow = await workflow('profile show', [showPage]);
    const print = await workflow('print', [{ block_type: 'goto_url', label: 'open', url: `${site.baseUrl}/products.html` }, { block_type: 'print_page', label: 'pdf' }]);
    const printInSession = await workflow('print in session', [{ block_type: 'print_page', label: 'pdf' }]);
    const runWorkflow = async (wpid: string, extra: Record<string, unknown> = {}) => waitForTerminal((await create('/v1/run/agents', { agent_id: wpid, ...extra })).run_id);

    const persistedFirst = await runWorkflow(persisted, { parameters: { path: '/set?v=wf' } });
    const workflowRuns = await Promise.all([
      runWorkflow(persisted),
      runWorkflow(sessionShow, { browser_session_id: sessionId }),
      runWorkflow(profileShow, { browser_profile_id: profileId }),
      runWorkflow(print),
      runWorkflow(printInSession, { browser_session_id: sessionId }),
    ]);

    const tasks = [...downloads, ...fromProfile];
    const finished = [inSession, sessionDownload, ...await Promise.all(tasks.map((t) => waitForTerminal(t.run_id))), persistedFirst, ...workflowRuns];
    assert.equal(finished.length, 20 + 6, '20 tasks, 6 runs of 5 workflows');
    for (const run of finished) assert.equal(run.status, 'completed', `${run.run_id}: ${run.failure_reason}`);

    // Browser state really travelled: the session's cookie in the session workflow, the profile's in its runs.
    const cookies = seen.filter((s) => s.path === '/show').map((s) => s.cookie);
    assert.ok(cookies.filter((c) => c === 'sid=alpha').length >= 10, `8 profile tasks, the session and profile workflows carried sid=alpha: ${cookies.join(', ')}`);
    assert.ok(cookies.includes('sid=wf'), `the persisted workflow's second run had its first run's cookie: ${cookies.join(', ')}`);

    // Both workers did work; every run in the session ran where its browser lives.
    const ranOn = (runId: string) => hostThatLogged('run started', 'run_id', runId);
    const busy = new Set(finished.flatMap((r) => ranOn(r.run_id)));
    assert.deepEqual([...busy].sort(), ['worker-a', 'worker-b'], 'runs were spread over both workers');
    const sessionHost = hostThatLogged('browser session running', 'browser_session_id', sessionId);
    assert.equal(sessionHost.length, 1);
    for (const run of [inSession, sessionDownload, workflowRuns[1], workflowRuns[4]]) assert.deepEqual(ranOn(run.run_id), sessionHost, `${run.run_id} ran on the session's host`);

    // Every artifact of every run: stored in S3, served through the API's port with the same bytes.
    const kinds = new Set<string>();
    for (const run of finished) {
      const listed = await request('GET', `/v1/runs/${run.run_id}/artifacts`);
      assert.equal(listed.status, 200);
      assert.ok(listed.body.length > 0, `${run.run_id} has artifacts`);
      for (const a of listed.body) {
        kinds.add(a.artifact_type);
        const loc = parseS3Uri(a.uri);
        assert.ok(loc, `${a.artifact_type} of ${run.run_id} is in S3: ${a.uri}`);
        const stored = await s3.getObject(loc.bucket, loc.key);
        const served = await fetch(a.signed_url);
        assert.equal(served.status, 200, `${a.artifact_type} of ${run.run_id}`);
        assert.ok(Buffer.from(await served.arrayBuffer()).equals(stored), `${a.artifact_type} of ${run.run_id} served byte for byte`);
      }
    }
    for (const kind of ['recording', 'download', 'screenshot_final', 'pdf']) assert.ok(kinds.has(kind), `some run stored a ${kind}: ${[...kinds].join(', ')}`);
    for (const run of [...downloads.map((d) => finished.find((f) => f.run_id === d.run_id)), sessionDownload]) {
      assert.equal(run.downloaded_files.length, 1);
      assert.equal(await (await fetch(run.downloaded_files[0].url)).text(), DOWNLOAD_FILE_BODY);
    }
    for (const run of [workflowRuns[3], workflowRuns[4]]) assert.ok(run.downloaded_files.some((f: any) => f.filename.endsWith('.pdf')), `${run.run_id} lists its PDF`);

    // No host kept an artifact on its own disk.
    for (const host of [api, ...workers]) assert.deepEqual(await host.list('data/artifacts'), [], `${host.name} stored nothing locally`);
    await request('POST', `/v1/browser_sessions/${sessionId}/close`);
  });
});
