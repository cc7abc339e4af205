// Session browsers left behind by a worker that died: Chromium processes whose `--user-data-dir`
// lies in this data folder's session folder but whose session the database no longer gives to a
// live worker (gone, ended, or running on a lease that ran out). Found through /proc (Linux), killed,
// and their user-data dir removed. The watchdog in debuggable-chromium.ts normally gets there first.
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** pids by user-data dir, for the Chromium processes whose user-data dir is directly under `sessionsDir`. */
export async function findSessionBrowsers(sessionsDir: string): Promise<Map<string, number[]>> {
  const prefix = `--user-data-dir=${path.resolve(sessionsDir)}/`;
  const found = new Map<string, number[]>();
  let entries: string[];
  try { entries = await readdir('/proc'); } catch { return found; }
  await Promise.all(entries.filter((e) => /^\d+$/.test(e)).map(async (e) => {
    let cmdline: string;
    try { cmdline = await readFile(`/proc/${e}/cmdline`, 'utf8'); } catch { return; }
    const arg = cmdline.split('\0').find((a) => a.startsWith(prefix));
    if (!arg) return;
    const dir = arg.slice('--user-data-dir='.length);
    if (path.dirname(dir) !== path.resolve(sessionsDir)) return;
    const pid = Number(e);
    if (pid === process.pid) return;
    found.set(dir, [...(found.get(dir) ?? []), pid]);
  }));
  return found;
}

async function parentOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch { return undefined; }
}

/** The session a user-data dir belongs to: the folder is `<sessionId>-<random>` (mkdtemp). */
export function sessionIdOfDir(dir: string): string {
  const name = path.basename(dir);
  return name.slice(0, name.lastIndexOf('-'));
}

export async function reapSessionBrowsers(
  sessionsDir: string,
  stillOwned: (sessionId: string) => Promise<boolean>,
): Promise<{ sessionId: string; pids: number[] }[]> {
  const reaped: { sessionId: string; pids: number[] }[] = [];
  for (const [dir, pids] of await findSessionBrowsers(sessionsDir)) {
    const sessionId = sessionIdOfDir(dir);
    // A browser this process launched is never an orphan (it may be ending, state being saved).
    if ((await Promise.all(pids.map(parentOf))).includes(process.pid)) continue;
    if (await stillOwned(sessionId)) continue;
    for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    reaped.push({ sessionId, pids });
  }
  return reaped;
}
