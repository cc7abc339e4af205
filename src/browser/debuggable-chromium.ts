// A Chromium of its own for a persistent browser session: a separate process with a fresh
// user-data dir and its DevTools (CDP) endpoint open, so runs on any worker and users' own
// Playwright scripts can attach to it. Playwright's launch() talks over a pipe instead, which
// nothing else could join.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CHROMIUM_ARGS } from './launch.ts';

export interface DebuggableChromium {
  /** The DevTools port Chromium chose; it listens on 127.0.0.1 only. */
  port: number;
  pid: number;
  /** Resolves when the process has exited, for whatever reason. */
  exited: Promise<void>;
  /** SIGTERM, then SIGKILL if it lingers; resolves once it is gone. */
  stop(): Promise<void>;
}

export interface DebuggableChromiumOptions {
  executablePath: string;
  userDataDir: string;
  /** Every request of the browser (any client's) goes through this forward proxy, loopback included. */
  proxyServer?: string;
  startupTimeoutMs?: number;
}

const STOP_GRACE_MS = 3_000;
const LISTENING = /DevTools listening on ws:\/\/[^\s/]+:(\d+)\//;
// Every live session browser, so a worker that exits abruptly does not leave them running.
const live = new Set<number>();
process.once('exit', () => { for (const pid of live) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } } });

/**
 * `--remote-debugging-port=0` lets Chromium pick a free port, which it prints on stderr and writes
 * to `DevToolsActivePort` in the user-data dir; whichever shows up first is used.
 */
export async function launchDebuggableChromium(opts: DebuggableChromiumOptions): Promise<DebuggableChromium> {
  const child = spawn(opts.executablePath, [
    ...CHROMIUM_ARGS, '--headless', '--disable-dev-shm-usage', '--password-store=basic',
    '--remote-debugging-port=0', `--user-data-dir=${opts.userDataDir}`,
    // `<-loopback>` removes Chromium's implicit bypass, so loopback addresses are judged too.
    ...(opts.proxyServer ? [`--proxy-server=${opts.proxyServer}`, '--proxy-bypass-list=<-loopback>'] : []),
    'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const pid = child.pid;
  if (pid === undefined) throw new Error('Chromium did not start');
  live.add(pid);
  const watchdog = startWatchdog(pid, opts.userDataDir);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { live.delete(pid); watchdog.stdin?.end(); resolve(); }));
  const stop = () => stopGroup(child, pid, exited);
  try {
    const port = await waitForPort(child, opts.userDataDir, exited, opts.startupTimeoutMs ?? 20_000);
    return { port, pid, exited, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The browser must not outlive its worker, even one killed with SIGKILL (no exit handler runs):
 * a tiny shell holds the read end of a pipe whose write end only this process has. When the
 * process dies, however it dies, the kernel closes the pipe; the shell sees end-of-file and kills
 * Chromium's process group and anything still running with its user-data dir (Chromium's helpers).
 * Detached and unreferenced, so it neither shares the worker's fate by signal nor keeps it alive.
 */
function startWatchdog(pid: number, userDataDir: string): ChildProcess {
  const script = 'cat >/dev/null; kill -KILL -- "-$1" 2>/dev/null; pkill -KILL -f -- "--user-data-dir=$2" 2>/dev/null; exit 0';
  const dog = spawn('sh', ['-c', script, 'skyport-browser-watchdog', String(pid), userDataDir], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  dog.on('error', () => { /* no sh: the exit handler and the start-up reaper still apply */ });
  dog.stdin!.on('error', () => {});
  dog.unref();
  (dog.stdin as unknown as { unref?: () => void }).unref?.();
  return dog;
}

function waitForPort(child: ChildProcess, userDataDir: string, exited: Promise<void>, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let stderrTail = '';
    let done = false;
    const finish = (err: Error | null, port?: number) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      clearTimeout(timer);
      if (err) reject(err); else resolve(port!);
    };
    // stderr is read for the whole life of the process: a full pipe would block Chromium.
    child.stderr!.on('data', (chunk: Buffer) => {
      if (done) return;
      stderrTail = (stderrTail + chunk.toString()).slice(-4000);
      const m = LISTENING.exec(stderrTail);
      if (m) finish(null, Number(m[1]));
    });
    const poll = setInterval(() => {
      readFile(path.join(userDataDir, 'DevToolsActivePort'), 'utf8').then((text) => {
        const port = Number(text.split('\n')[0]);
        if (port > 0) finish(null, port);
      }, () => { /* not written yet */ });
    }, 100);
    const timer = setTimeout(() => finish(new Error(`Chromium did not open its DevTools port within ${timeoutMs} ms: ${stderrTail.slice(-500)}`)), timeoutMs);
    void exited.then(() => finish(new Error(`Chromium exited while starting: ${stderrTail.slice(-500)}`)));
  });
}

async function stopGroup(child: ChildProcess, pid: number, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const signal = (sig: NodeJS.Signals) => { try { process.kill(-pid, sig); } catch { /* already gone */ } };
  signal('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'late'>((r) => { timer = setTimeout(() => r('late'), STOP_GRACE_MS); });
  if ((await Promise.race([exited, grace])) === 'late') { signal('SIGKILL'); await exited; }
  clearTimeout(timer);
}
