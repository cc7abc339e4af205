// Issue 12, part 4: session browsers die with their worker. A worker killed with SIGKILL runs no
// exit handler; its browsers (each a Chromium process tree with a DevTools port) must not keep
// running. The watchdog beside each browser kills the tree as the worker dies; a worker starting
// later kills any browser of its data folder whose session the database no longer owns.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findSessionBrowsers } from '../../src/browser/session-browser-reaper.ts';
import { startStack, type TestStack } from '../support/stack.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FAST_LOCKS = { JOB_LOCK_MS: '2000', LLM_KEY: '' };

/** Running (a zombie waiting for its parent to reap it counts as gone). */
const alive = (pid: number) => {
  try { return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
};
async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) { if (await cond()) return true; await new Promise((r) => setTimeout(r, 100)); }
  return cond();
}
/** Every process (Chromium and its helpers) running with a user-data dir of this session. */
function sessionProcesses(sessionsDir: string, id: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', '--', `--user-data-dir=${sessionsDir}/${id}-`]).toString().split('\n').filter(Boolean).map(Number);
  } catch { return []; }
}

describe('session browsers do not outlive their worker', () => {
  let stack: TestStack;
  let sessionsDir: string;
  const children: ChildProcess[] = [];
  const strays: number[] = [];
  before(async () => {
    stack = await startStack({ env: FAST_LOCKS });
    sessionsDir = path.join(stack.config.dataDir, 'scratch', 'browser-sessions');
  });
  after(async () => {
    for (const pid of [...children.map((c) => c.pid!), ...strays]) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    await stack.close();
  });

  it('a worker killed with SIGKILL takes its session browser (every process of it) along within seconds', async () => {
    const worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: ROOT, env: { ...process.env, ...stack.config.env, ...FAST_LOCKS }, stdio: 'ignore',
    });
    children.push(worker);
    const created = await stack.request('POST', '/v1/browser_sessions', {});
    assert.equal(created.status, 200);
    const id = created.body.browser_session_id;
    let session: any;
    assert.ok(await waitFor(async () => {
      session = (await stack.request('GET', `/v1/browser_sessions/${id}`)).body;
      return session.status === 'running';
    }, 60_000), 'the session started');
    const pids = sessionProcesses(sessionsDir, id);
    assert.ok(pids.length >= 2, `Chromium and its helpers run (${pids.length})`);

    // The raw DevTools port answers on loopback only.
    const port = Number(new URL(session.browser_address).port);
    assert.ok((await fetch(`http://127.0.0.1:${port}/json/version`)).ok);
    const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      await assert.rejects(fetch(`http://${external.address}:${port}/json/version`, { signal: AbortSignal.timeout(2000) }),
        'the DevTools port is not reachable on a non-loopback address');
    }

    process.kill(worker.pid!, 'SIGKILL'); // the worker only: no tree kill, no exit handler
    const gone = await waitFor(() => pids.every((p) => !alive(p)) && sessionProcesses(sessionsDir, id).length === 0, 5_000);
    assert.ok(gone, `browser processes left after the worker died: ${sessionProcesses(sessionsDir, id).join(', ')}`);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/json/version`, { signal: AbortSignal.timeout(2000) }), 'its DevTools port is closed');
  });

  it('a starting worker kills browsers of its data folder whose session the database does not own', async () => {
    await mkdir(sessionsDir, { recursive: true });
    // Stand-ins for Chromiums left behind (no watchdog): one of an unknown session, one of a session
    // the database says ended.
    const ended = await stack.request('POST', '/v1/browser_sessions', {});
    await stack.request('POST', `/v1/browser_sessions/${ended.body.browser_session_id}/close`);
    // Left by a worker that is gone: not children of this process (the in-process worker's own
    // browsers are never reaped), so started through a shell that exits at once.
    const orphan = (id: string) => Number(execFileSync('sh', ['-c', '"$0" -e "setInterval(() => {}, 1000)" -- "$1" >/dev/null 2>&1 & echo $!',
      process.execPath, `--user-data-dir=${sessionsDir}/${id}-AbC123`]).toString().trim());
    const unknown = orphan('pbs_000000000000000001');
    const closed = orphan(ended.body.browser_session_id);
    strays.push(unknown, closed);
    assert.ok(alive(unknown) && alive(closed));
    const dirsOf = async () => [...(await findSessionBrowsers(sessionsDir)).keys()].map((d) => path.basename(d));
    assert.ok(await waitFor(async () => (await dirsOf()).filter((d) => d.endsWith('-AbC123')).length === 2, 5_000), 'both stand-ins are found');

    await stack.startWorker(FAST_LOCKS);
    assert.ok(await waitFor(() => !alive(unknown), 5_000), 'the unknown session\'s browser was killed');
    assert.ok(await waitFor(() => !alive(closed), 5_000), 'the ended session\'s browser was killed');
  });
});
