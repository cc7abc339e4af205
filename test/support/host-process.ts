// A Skyport process (src/api.ts or src/worker.ts) as if on a machine of its own: its data folder and
// temporary folder are a private tmpfs in a mount namespace of its own (`unshare -m`, root only), so
// nothing it writes there can be read by another process, and nothing another process wrote there
// is visible to it. The network stays shared: every host reaches Postgres, Redis, S3 and the
// fixture sites on 127.0.0.1. Its JSON log lines are kept for assertions.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Whether this machine lets the tests give a process a private mount namespace. */
export function canIsolateHosts(): boolean {
  try { execFileSync('unshare', ['-m', 'true'], { stdio: 'ignore' }); return true; } catch { return false; }
}

export interface HostProcess {
  name: string;
  child: ChildProcess;
  /** The host's private folder (data folder and TMPDIR), as its own processes see it. */
  dir: string;
  logs: Array<Record<string, unknown>>;
  output(): string;
  /** Lists a folder inside the host's private mount, seen through /proc/<pid>/root. */
  list(relative: string): Promise<string[]>;
  stop(): Promise<void>;
}

export function startHostProcess(name: string, entry: 'src/api.ts' | 'src/worker.ts', dir: string, env: NodeJS.ProcessEnv): HostProcess {
  const script = 'mount -t tmpfs -o mode=0700 tmpfs "$HOST_DIR" && mkdir -p "$HOST_DIR/tmp" && exec "$@"';
  const child = spawn('unshare', ['-m', 'sh', '-c', script, 'sh', process.execPath, '--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...env, HOST_DIR: dir, SKYPORT_DATA_DIR: path.join(dir, 'data'), TMPDIR: path.join(dir, 'tmp') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let text = '';
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) { try { logs.push(JSON.parse(line)); } catch { /* a console line */ } }
  });
  child.stderr!.on('data', (chunk: Buffer) => { text += chunk; });
  return {
    name, child, dir, logs,
    output: () => text,
    async list(relative) {
      const seen = path.join(`/proc/${child.pid}/root`, dir, relative);
      return (await readdir(seen, { recursive: true }).catch((err) => { if (err.code === 'ENOENT') return []; throw err; })).map(String);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => killTree(child.pid!), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function killTree(pid: number) {
  const children = (() => { try { return execFileSync('pgrep', ['-P', String(pid)]).toString().split('\n').filter(Boolean).map(Number); } catch { return []; } })();
  try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  for (const c of children) killTree(c);
}
