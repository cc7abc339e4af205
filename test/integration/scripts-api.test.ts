// Cached scripts over HTTP: upload, read, list and deploy versions in the contract's shapes, the
// file tree, every 422 naming the offending file, 404s and organization isolation, a workflow
// script run queued in code mode pinned to its script, and the dashboard routes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { assertMatchesReference } from '../support/reference-schemas.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { createWorkflow } from '../support/workflows.ts';
import { toStoredFile } from '../../src/domain/script-files.ts';

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const MAIN = 'export default async function main(): Promise<number> {\n  return 1;\n}\n';
// Each code file is a block module: a default export and no runtime imports (the engine's sandbox rule).
const UTIL_V1 = 'export default async (ctx: { parameters: Record<string, unknown> }): Promise<string> => `hi ${ctx.parameters.name}`;\n';
const UTIL_V2 = 'export default async (ctx: { parameters: Record<string, unknown> }): Promise<string> => `hello ${ctx.parameters.name}`;\n';
const NAIVE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;

describe('scripts API', () => {
  let stack: TestStack;
  let wpid: string;
  before(async () => {
    stack = await startStack();
    wpid = await createWorkflow(stack, 'scripted flow', { workflow_definition: { parameters: [], blocks: [{ block_type: 'wait', label: 'pause', wait_sec: 0 }] } });
  });
  after(async () => { await stack.close(); });

  const create = (body: Record<string, unknown>) => stack.request('POST', '/v1/scripts', body);
  const createOk = async (body: Record<string, unknown>) => {
    const res = await create(body);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertMatchesReference('CreateScriptResponse', res.body);
    return res.body;
  };
  const expect422 = async (res: { status: number; body: any }, loc: (string | number)[], msg: RegExp) => {
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assertMatchesReference('HTTPValidationError', res.body);
    const hit = res.body.detail.find((d: any) => JSON.stringify(d.loc) === JSON.stringify(loc));
    assert.ok(hit, `no issue at ${JSON.stringify(loc)}: ${JSON.stringify(res.body.detail)}`);
    assert.match(hit.msg, msg);
  };

  let standaloneId: string;

  it('creates a script: version 1, file count, Skyvern-shaped file tree with sha256 hashes', async () => {
    const body = await createOk({
      files: [
        { path: 'main.ts', content: b64(MAIN), encoding: 'base64' },
        { path: 'lib/util.ts', content: UTIL_V1, encoding: 'utf-8' },
        { path: 'lib/data/info.json', content: b64('{"a":1}'), mime_type: 'application/vnd.custom+json' },
      ],
    });
    standaloneId = body.script_id;
    assert.match(body.script_id, /^s_\d+$/);
    assert.equal(body.version, 1);
    assert.equal(body.run_id, null);
    assert.equal(body.file_count, 3);
    assert.match(body.created_at, NAIVE_TIME);
    const main = body.file_tree['main.ts'];
    assert.deepEqual({ ...main, created_at: 'x' }, { type: 'file', size: Buffer.byteLength(MAIN), mime_type: 'text/typescript', content_hash: sha(MAIN), created_at: 'x', children: null });
    const lib = body.file_tree.lib;
    assert.equal(lib.type, 'directory');
    assert.equal(lib.size, null);
    assert.equal(lib.content_hash, null);
    assert.deepEqual(Object.keys(lib.children).sort(), ['data', 'util.ts']);
    assert.equal(lib.children['util.ts'].content_hash, sha(UTIL_V1));
    assert.equal(lib.children.data.type, 'directory');
    assert.equal(lib.children.data.children['info.json'].mime_type, 'application/vnd.custom+json');
    assertMatchesReference('FileNode', lib.children.data);

    const got = await stack.request('GET', `/v1/scripts/${standaloneId}`);
    assert.equal(got.status, 200);
    assertMatchesReference('Script', got.body);
    assert.equal(got.body.script_id, standaloneId);
    assert.equal(got.body.version, 1);
    assert.equal(got.body.organization_id, stack.organizationId);
    assert.match(got.body.script_revision_id, /^sr_\d+$/);
    assert.equal(got.body.deleted_at, null);
  });

  it('deploys a new version: uploaded paths replace, the rest carries over (Skyvern semantics)', async () => {
    const before = (await stack.request('GET', `/v1/scripts/${standaloneId}`)).body;
    const res = await stack.request('POST', `/v1/scripts/${standaloneId}/deploy`, {
      files: [{ path: 'lib/util.ts', content: b64(UTIL_V2) }, { path: 'lib/extra.js', content: 'export default async () => 1;\n', encoding: 'utf-8' }],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertMatchesReference('CreateScriptResponse', res.body);
    assert.equal(res.body.script_id, standaloneId);
    assert.equal(res.body.version, 2);
    assert.equal(res.body.file_count, 4);
    assert.equal(res.body.file_tree['main.ts'].content_hash, sha(MAIN));
    assert.equal(res.body.file_tree.lib.children['util.ts'].content_hash, sha(UTIL_V2));
    assert.equal(res.body.file_tree.lib.children['extra.js'].mime_type, 'text/javascript');

    const got = (await stack.request('GET', `/v1/scripts/${standaloneId}`)).body;
    assert.equal(got.version, 2);
    assert.notEqual(got.script_revision_id, before.script_revision_id);

    const v1 = await stack.request('GET', `/v1/scripts/${standaloneId}/files?version=1`);
    assert.equal(v1.status, 200);
    assert.equal(v1.body.find((f: any) => f.path === 'lib/util.ts').content, UTIL_V1);
    const latest = await stack.request('GET', `/v1/scripts/${standaloneId}/files`);
    assert.deepEqual(latest.body.map((f: any) => f.path), ['main.ts', 'lib/util.ts', 'lib/data/info.json', 'lib/extra.js']);
    const util = latest.body.find((f: any) => f.path === 'lib/util.ts');
    assert.deepEqual(util, { path: 'lib/util.ts', content: UTIL_V2, mime_type: 'text/typescript', size: Buffer.byteLength(UTIL_V2), content_hash: sha(UTIL_V2) });
  });

  it('lists scripts (newest version of each, paged) in the contract shape', async () => {
    const other = await createOk({ files: [{ path: 'main.js', content: b64('export default () => 2;\n') }] });
    const res = await stack.request('GET', '/v1/scripts?page=1&page_size=10');
    assert.equal(res.status, 200);
    assert.ok(Array.isArray(res.body));
    for (const s of res.body) assertMatchesReference('Script', s);
    assert.equal(res.body[0].script_id, other.script_id, 'newest version first');
    assert.equal(res.body.find((s: any) => s.script_id === standaloneId).version, 2);
    assert.equal(res.body.filter((s: any) => s.script_id === standaloneId).length, 1);
    const page = await stack.request('GET', '/v1/scripts?page=2&page_size=1');
    assert.equal(page.body.length, 1);
    assert.equal(page.body[0].script_id, standaloneId);
    const bad = await stack.request('GET', '/v1/scripts?page=0');
    assert.equal(bad.status, 422);
  });

  it('refuses bad uploads with 422 at the offending file, and stores nothing', async () => {
    const count = async () => (await stack.request('GET', '/v1/scripts?page_size=100')).body.length;
    const before = await count();
    const one = (file: Record<string, unknown>) => create({ files: [{ path: 'ok.ts', content: b64(MAIN) }, file] });

    for (const content of ['abc$', 'YWJ', 'YW=j', 'YWJj\n', 'YR==']) {
      await expect422(await one({ path: 'x.ts', content }), ['body', 'files', 1, 'content'], /not valid base64/);
    }
    for (const path of ['../x.ts', 'a/../../x.ts', '/etc/x.ts', 'C:/x.ts', 'a\\b.ts', '%2e%2e/x.ts', 'a//b.ts', './x.ts', 'a\u0000.ts', '']) {
      await expect422(await one({ path, content: b64(MAIN) }), ['body', 'files', 1, 'path'], /invalid/);
    }
    await expect422(await one({ path: `${'a'.repeat(260)}.ts`, content: b64(MAIN) }), ['body', 'files', 1, 'path'], /longer than 255/);
    await expect422(await one({ path: 'main.py', content: b64('print(1)') }), ['body', 'files', 1, 'path'],
      /^Skyport runs TypeScript\/JavaScript scripts; main\.py is Python$/);
    await expect422(await one({ path: 'run.sh', content: b64('echo 1') }), ['body', 'files', 1, 'path'], /run\.sh is a shell script/);
    await expect422(await one({ path: 'logo.png', content: b64('x') }), ['body', 'files', 1, 'path'], /only \.ts \.js/);
    await expect422(await one({ path: 'ok.ts', content: b64(MAIN) }), ['body', 'files', 1, 'path'], /Duplicate/);
    await expect422(await one({ path: 'ok.ts/inner.ts', content: b64(MAIN) }), ['body', 'files', 1, 'path'], /also a file/);
    await expect422(await one({ path: 'big.txt', content: b64(Buffer.alloc(1024 * 1024 + 1, 'a')) }), ['body', 'files', 1, 'content'], /limit is 1 MB/);
    await expect422(await one({ path: 'bin.txt', content: b64(Buffer.from([0xff, 0xfe, 0x00])) }), ['body', 'files', 1, 'content'], /not UTF-8/);
    await expect422(await one({ path: 'conf.json', content: b64('{nope') }), ['body', 'files', 1, 'content'], /not valid JSON/);
    await expect422(await one({ path: 'broken.ts', content: b64('export const x: number = ;\nfunction (\n') }), ['body', 'files', 1, 'content'], /broken\.ts does not compile/);
    await expect422(await one({ path: 'reads.ts', content: b64("import fs from 'node:fs';\nexport default async () => fs;\n") }), ['body', 'files', 1, 'content'], /cannot import modules/);
    await expect422(await one({ path: 'x.ts', content: MAIN, encoding: 'latin-1' }), ['body', 'files', 1, 'encoding'], /base64/);

    const many = Array.from({ length: 201 }, (_, i) => ({ path: `f${i}.txt`, content: b64('x') }));
    await expect422(await create({ files: many }), ['body', 'files'], /at most 200 files/);
    const heavy = Array.from({ length: 6 }, (_, i) => ({ path: `f${i}.txt`, content: b64(Buffer.alloc(1024 * 1024, 'a')) }));
    await expect422(await create({ files: heavy }), ['body', 'files'], /total at most 5 MB/);

    // Several bad files: each reported at its own index.
    const multi = await create({ files: [{ path: '../a.ts', content: b64(MAIN) }, { path: 'b.ts', content: '!!' }, { path: 'c.rb', content: b64('x') }] });
    assert.equal(multi.status, 422);
    assert.deepEqual(multi.body.detail.map((d: any) => d.loc), [['body', 'files', 0, 'path'], ['body', 'files', 1, 'content'], ['body', 'files', 2, 'path']]);

    const deploy = await stack.request('POST', `/v1/scripts/${standaloneId}/deploy`, { files: [{ path: '../x.ts', content: b64(MAIN) }] });
    await expect422(deploy, ['body', 'files', 0, 'path'], /invalid/);
    await expect422(await stack.request('POST', `/v1/scripts/${standaloneId}/deploy`, {}), ['body', 'files'], /required/);
    assert.equal(await count(), before);
    assert.equal((await stack.request('GET', `/v1/scripts/${standaloneId}`)).body.version, 2, 'a refused deploy adds no version');
  });

  it('answers 404 for unknown scripts, workflows and runs, and for another organization', async () => {
    for (const [method, url, body] of [
      ['GET', '/v1/scripts/s_404'], ['POST', '/v1/scripts/s_404/deploy', { files: [] }], ['POST', '/v1/scripts/s_404/run', {}],
      ['GET', '/v1/scripts/s_404/versions'], ['GET', '/v1/scripts/s_404/versions/1'], ['GET', '/v1/scripts/s_404/runs'], ['GET', '/v1/scripts/s_404/files'],
      ['GET', `/v1/scripts/${standaloneId}/versions/9`], ['GET', `/v1/scripts/${standaloneId}/files?version=9`], ['GET', `/v1/scripts/${standaloneId}/runs?version=9`],
      ['GET', '/v1/scripts/workflows/wpid_404'], ['DELETE', '/v1/scripts/wpid_404/cache'],
    ] as [string, string, unknown?][]) {
      const res = await stack.request(method, url, body);
      assert.equal(res.status, 404, `${method} ${url}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body.detail, 'string');
    }
    assert.equal((await create({ workflow_id: 'wpid_404', files: [] })).status, 404);
    assert.match((await create({ run_id: 'wr_404' })).body.detail, /Run_id wr_404 not found/);

    const other = await stack.api.services.organizations.createOrganization('script-outsider');
    const as = (method: string, url: string, body?: unknown) => stack.request(method, url, body, { 'x-api-key': other.apiKey });
    for (const [method, url, body] of [
      ['GET', `/v1/scripts/${standaloneId}`], ['POST', `/v1/scripts/${standaloneId}/deploy`, { files: [] }], ['POST', `/v1/scripts/${standaloneId}/run`, {}],
      ['GET', `/v1/scripts/${standaloneId}/versions`], ['GET', `/v1/scripts/${standaloneId}/files`], ['GET', `/v1/scripts/${standaloneId}/runs`],
      ['GET', `/v1/scripts/workflows/${wpid}`], ['DELETE', `/v1/scripts/${wpid}/cache`],
    ] as [string, string, unknown?][]) {
      assert.equal((await as(method, url, body)).status, 404, `${method} ${url} from another organization`);
    }
    assert.equal((await as('POST', '/v1/scripts', { workflow_id: wpid })).status, 404, "another organization's workflow");
    assert.deepEqual((await as('GET', '/v1/scripts')).body, []);
    assert.equal((await stack.request('GET', `/v1/scripts/${standaloneId}`)).body.version, 2);
  });

  it('refuses to run a script that belongs to no workflow', async () => {
    const res = await stack.request('POST', `/v1/scripts/${standaloneId}/run`);
    await expect422(res, ['path', 'script_id'], /scripts run as part of a workflow run/);
  });

  let workflowScriptId: string;
  let runId: string;

  it("attaches uploads to a workflow: one script per workflow, later uploads add versions", async () => {
    const first = await createOk({ workflow_id: wpid, files: [{ path: 'main.ts', content: b64(MAIN) }] });
    workflowScriptId = first.script_id;
    assert.equal(first.version, 1);
    const second = await createOk({ workflow_id: wpid, files: [{ path: 'main.ts', content: b64(MAIN.replace('1', '2')) }] });
    assert.equal(second.script_id, workflowScriptId);
    assert.equal(second.version, 2);
    assert.equal(second.file_count, 1);
    // Concurrent uploads for the same workflow still meet on one script with distinct versions.
    const racing = await Promise.all([1, 2, 3].map(() => createOk({ workflow_id: wpid, files: [] })));
    assert.deepEqual(new Set(racing.map((r) => r.script_id)), new Set([workflowScriptId]));
    assert.deepEqual(racing.map((r) => r.version).sort(), [3, 4, 5]);
  });

  it('runs a workflow script: a workflow run queued with run_with "code" and script_run naming the script', async () => {
    await expect422(await stack.request('POST', `/v1/scripts/${workflowScriptId}/run`, { parameters: 5 }), ['body', 'parameters'], /dictionary/);
    // No body and no content type, as a bare SDK call sends it.
    const res = await stack.request('POST', `/v1/scripts/${workflowScriptId}/run`, undefined, { 'x-user-agent': 'ScriptTester/1.0' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertMatchesReference('WorkflowRunResponse', res.body);
    runId = res.body.run_id;
    assert.match(runId, /^wr_\d+$/);
    assert.equal(res.body.run_with, 'code');
    assert.equal(res.body.script_id, workflowScriptId);
    assert.deepEqual(res.body.script_run, { script_id: workflowScriptId, script_revision_id: null, ai_fallback_triggered: false });
    assert.equal(res.body.run_request.workflow_id, wpid);
    assert.equal(res.body.run_request.run_with, 'code');

    const got = await stack.request('GET', `/v1/runs/${runId}`);
    assert.equal(got.status, 200);
    assertMatchesReference('WorkflowRunResponse', got.body);
    assert.ok(['created', 'queued'].includes(got.body.status), got.body.status);
    assert.equal(got.body.run_with, 'code');
    assert.deepEqual(got.body.script_run, { script_id: workflowScriptId, script_revision_id: null, ai_fallback_triggered: false });
    assert.equal((await stack.api.core.runQueue.state(runId)) !== undefined, true, 'the run was handed to the queue');

    const list = await stack.request('GET', '/v1/runs');
    const item = list.body.find((r: any) => r.run_id === runId);
    assertMatchesReference('TaskRunListItem', item);
    assert.equal(item.script_run, true);
    const agentRuns = await stack.request('GET', `/v1/agents/${wpid}/runs`);
    const wr = agentRuns.body.find((r: any) => r.workflow_run_id === runId);
    assertMatchesReference('WorkflowRun', wr);
    assert.equal(wr.script_run.script_id, workflowScriptId);

    // A run by ordinary means is no script run.
    const plain = await stack.request('POST', '/v1/run/agents', { agent_id: wpid });
    assert.equal(plain.body.script_run, null);
    assert.equal((await stack.request('GET', '/v1/runs')).body.find((r: any) => r.run_id === plain.body.run_id).script_run, false);
  });

  it('dashboard: a workflow\'s scripts with run stats, versions, runs, a version\'s code', async () => {
    // What the engine records once it executes the run: the revision it used, then the outcome.
    const revision = (await stack.request('GET', `/v1/scripts/${workflowScriptId}`)).body.script_revision_id;
    const runs = stack.api.core.repos.runs;
    await runs.transition(runId, 'running', { scriptRun: { script_id: workflowScriptId, script_revision_id: revision, ai_fallback_triggered: true } });
    await runs.transition(runId, 'completed');
    const second = (await stack.request('POST', `/v1/scripts/${workflowScriptId}/run`, { parameters: {} })).body.run_id;
    await runs.transition(second, 'failed', { failureReason: 'boom' }, ['created', 'queued']);

    const wf = await stack.request('GET', `/v1/scripts/workflows/${wpid}`);
    assert.equal(wf.status, 200);
    assert.equal(wf.body.scripts.length, 1);
    const [summary] = wf.body.scripts;
    assert.deepEqual({ ...summary, created_at: 'x', modified_at: 'x' }, {
      script_id: workflowScriptId, cache_key: 'default', cache_key_value: 'default', status: 'published', latest_version: 5, version_count: 5,
      total_runs: 2, success_rate: 0.5, is_pinned: false, latest_run_id: second, created_at: 'x', modified_at: 'x',
    });

    const versions = await stack.request('GET', `/v1/scripts/${workflowScriptId}/versions`);
    assert.equal(versions.status, 200);
    assert.deepEqual(versions.body.versions.map((v: any) => v.version), [5, 4, 3, 2, 1]);
    assert.deepEqual(versions.body.versions.map((v: any) => v.file_count), [0, 0, 0, 1, 1]);
    assert.deepEqual(versions.body.versions[0].blocks, []);
    assert.equal(versions.body.versions[0].script_revision_id, revision);

    const code = await stack.request('GET', `/v1/scripts/${workflowScriptId}/versions/2`);
    assert.deepEqual(code.body, { blocks: {}, main_script: MAIN.replace('1', '2'), script_id: workflowScriptId, version: 2 });

    const used = await stack.request('GET', `/v1/scripts/${workflowScriptId}/runs`);
    assert.equal(used.status, 200);
    assert.equal(used.body.total_count, 2);
    assert.deepEqual(used.body.status_counts, { completed: 1, failed: 1 });
    assert.equal(used.body.avg_fallbacks_per_run, 0.5);
    assert.deepEqual(used.body.runs.map((r: any) => [r.workflow_run_id, r.status, r.ai_fallback_triggered, r.script_revision_id]),
      [[second, 'failed', false, null], [runId, 'completed', true, revision]]);
    assert.equal(used.body.runs[0].failure_reason, 'boom');
    assert.match(used.body.runs[1].finished_at, NAIVE_TIME);
    const onlyV5 = await stack.request('GET', `/v1/scripts/${workflowScriptId}/runs?version=5&page_size=1`);
    assert.deepEqual(onlyV5.body.runs.map((r: any) => r.run_id), [runId]);
    assert.equal(onlyV5.body.total_count, 1);
  });

  it('clears a workflow\'s cache: its scripts are gone, the next upload starts a new script', async () => {
    const res = await stack.request('DELETE', `/v1/scripts/${wpid}/cache`);
    assert.equal(res.status, 200);
    assert.equal(res.body.deleted_count, 1);
    assert.match(res.body.message, /1 cached script/);
    assert.equal((await stack.request('GET', `/v1/scripts/${workflowScriptId}`)).status, 404);
    assert.deepEqual((await stack.request('GET', `/v1/scripts/workflows/${wpid}`)).body, { scripts: [] });
    assert.ok(!(await stack.request('GET', '/v1/scripts?page_size=100')).body.some((s: any) => s.script_id === workflowScriptId));
    // Runs keep naming the script they used.
    assert.equal((await stack.request('GET', `/v1/runs/${runId}`)).body.script_run.script_id, workflowScriptId);
    const fresh = await createOk({ workflow_id: wpid, files: [] });
    assert.notEqual(fresh.script_id, workflowScriptId);
    assert.equal(fresh.version, 1);
    assert.equal((await stack.request('DELETE', `/v1/scripts/${wpid}/cache`)).body.deleted_count, 1);
  });

  it('repository the engine codes against: race-safe find-or-create and version numbering, lists, soft delete', async () => {
    const repo = stack.api.core.repos.scripts;
    const org = stack.organizationId;
    const key = `ckv-${Date.now()}`;
    const ensured = await Promise.all([1, 2, 3, 4].map(() => repo.ensureForWorkflow(org, wpid, '{{ city }}', key)));
    assert.equal(new Set(ensured.map((s) => s.scriptId)).size, 1);
    const script = ensured[0];
    assert.deepEqual([script.cacheKey, script.cacheKeyValue, script.workflowPermanentId], ['{{ city }}', key, wpid]);
    assert.equal((await repo.findForWorkflow(org, wpid, key))?.scriptId, script.scriptId);
    assert.equal(await repo.latestRevision(script.scriptId), undefined);

    const file = toStoredFile('blocks/pause.ts', Buffer.from(MAIN));
    const revisions = await Promise.all([1, 2, 3, 4, 5].map((i) => repo.addRevision({
      scriptId: script.scriptId, organizationId: org, runId: null, files: [file], blocks: { pause: { path: file.path, run_id: null, generated_at: `t${i}` } },
    })));
    assert.deepEqual(revisions.map((r) => r.version).sort(), [1, 2, 3, 4, 5]);
    const latest = await repo.latestRevision(script.scriptId);
    assert.equal(latest?.version, 5);
    assert.deepEqual(latest?.files, [file]);
    assert.equal((await repo.getRevision(revisions[0].scriptRevisionId))?.scriptRevisionId, revisions[0].scriptRevisionId);
    assert.deepEqual((await repo.listRevisions(script.scriptId)).map((r) => r.version), [5, 4, 3, 2, 1]);
    const page = await repo.listForOrganization(org, 1, 100);
    assert.equal(page.find((p) => p.script.scriptId === script.scriptId)?.latest?.version, 5);
    const forWorkflow = await repo.listForWorkflow(org, wpid);
    const mine = forWorkflow.find((w) => w.script.scriptId === script.scriptId);
    assert.deepEqual([mine?.latest?.version, mine?.versionCount], [5, 5]);
    const standalone = await repo.createScript({ organizationId: org });
    assert.equal(standalone.workflowPermanentId, null);
    assert.equal((await repo.getScript(org, standalone.scriptId))?.scriptId, standalone.scriptId);
    assert.equal(await repo.getScript('o_other', standalone.scriptId), undefined);

    const deleted = await repo.softDeleteForWorkflow(org, wpid);
    assert.ok(deleted >= 1);
    assert.equal(await repo.getScript(org, script.scriptId), undefined);
    assert.equal(await repo.findForWorkflow(org, wpid, key), undefined);
    // A cleared cache key starts a new script; the old one keeps its revisions for the runs that name them.
    const again = await repo.ensureForWorkflow(org, wpid, '{{ city }}', key);
    assert.notEqual(again.scriptId, script.scriptId);
    assert.equal((await repo.getRevision(revisions[0].scriptRevisionId))?.scriptId, script.scriptId);
  });

  it('documents the SDK routes with the contract\'s operation ids and hides the dashboard ones', async () => {
    const doc = (await stack.api.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.equal(doc.paths['/v1/scripts'].get.operationId, 'get_scripts_v1_scripts_get');
    assert.equal(doc.paths['/v1/scripts'].post.operationId, 'create_script_v1_scripts_post');
    assert.equal(doc.paths['/v1/scripts/{script_id}'].get.operationId, 'get_script_v1_scripts__script_id__get');
    assert.equal(doc.paths['/v1/scripts/{script_id}/deploy'].post.operationId, 'deploy_script_v1_scripts__script_id__deploy_post');
    assert.equal(doc.paths['/v1/scripts/{script_id}/run'].post.operationId, 'run_script_v1_scripts__script_id__run_post');
    assert.deepEqual(doc.paths['/v1/scripts'].get.tags, ['Scripts']);
    assert.equal(doc.paths['/v1/scripts/workflows/{workflow_permanent_id}'], undefined);
    assert.equal(doc.paths['/v1/scripts/{script_id}/versions'], undefined);
  });
});
