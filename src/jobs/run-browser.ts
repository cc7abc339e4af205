import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { PageSession } from '../browser/session.ts';
import type { BrowserLease } from '../browser/pool.ts';
import type { RunRow } from '../db/repositories/runs.repo.ts';
import { sessionEndedReason } from '../domain/browser-sessions.ts';
import type { RunBrowser, RunRecorder } from '../engine/ports.ts';
import { seedBrowserState, type StoredBrowserState } from '../engine/workflow/browser-state.ts';
import type { WorkerDeps } from './worker-deps.ts';
import { enforceOutboundPolicy, type BrowserOutboundGuard } from '../net/browser-routing.ts';
import { assertOutboundUrl } from '../net/outbound.ts';
import { sharedOutboundProxy } from '../net/browser-proxy.ts';

export interface OpenRunBrowser extends RunBrowser {
  /** Final screenshot, closes the browser, and files the video and downloads as artifacts. */
  finish(recorder: RunRecorder, opts: { finalScreenshot: boolean }): Promise<void>;
  /** Closes at once (cancel, timeout): pending browser calls fail and the engine unwinds. */
  abort(): Promise<void>;
}

/**
 * Opens the run's browser: its own context, local and recorded, or remote over CDP with
 * `browser_address`; or, with `browser_session_id`, the session browser's existing context (the
 * run claimed the session before it started; see session-claim.ts). A `browser_profile_id` seeds a
 * fresh context with the profile's state. A PageSession tracks it: the newest tab is the active page,
 * dialogs are accepted and kept for the agent's next prompt, and downloads (from any tab, by any
 * action) are saved to one folder.
 */
export async function openRunBrowser(deps: WorkerDeps, run: RunRow): Promise<OpenRunBrowser> {
  const request = run.request as Record<string, unknown>;
  await mkdir(deps.scratchDir, { recursive: true });
  const scratch = await mkdtemp(path.join(deps.scratchDir, `${run.runId}-`));
  const downloadsDir = path.join(scratch, 'downloads');
  const ctxOpts = {
    extraHttpHeaders: request.extra_http_headers as Record<string, string> | null,
    userAgent: run.userAgent,
    videoDir: path.join(scratch, 'video'),
    downloadsDir,
  };
  let lease: BrowserLease | undefined;
  let outbound: BrowserOutboundGuard | undefined;
  try {
    // A remote browser's address is user input the worker connects to.
    if (!run.browserSessionId && request.browser_address) await assertOutboundUrl(String(request.browser_address).replace(/^ws/i, 'http'), 'browser_address');
    lease = run.browserSessionId ? await attachToSession(deps, run.browserSessionId, ctxOpts)
      : request.browser_address
        ? await deps.browsers.connect(request.browser_address as string, request.cdp_connect_headers as Record<string, string> | null, ctxOpts)
        // Our own browser: its traffic goes through the worker's policy proxy (every redirect hop,
        // WebSockets, the address really connected to).
        : await deps.browsers.newContext({ ...ctxOpts, proxyServer: (await sharedOutboundProxy()).server });
    // Every request the run's pages make passes the outbound policy (docs/outbound-policy.md): our
    // own contexts through the worker's policy proxy (above); contexts of browsers we did not
    // launch (sessions, browser_address) through Playwright routing.
    if (run.browserSessionId || request.browser_address) outbound = await enforceOutboundPolicy(lease.context);
    if (run.browserProfileId && !run.browserSessionId) await seedFromProfile(deps, run, lease);
  } catch (err) {
    await lease?.release().catch(() => {});
    await rm(scratch, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
  const opened: BrowserLease = lease;
  const { context } = opened;
  // A session run continues where the last one left off: on the session's current tab.
  const startPage = run.browserSessionId ? context.pages().filter((p) => !p.isClosed()).at(-1) : undefined;
  const session = await PageSession.open(context, { downloadDir: downloadsDir, page: startPage ?? await context.newPage() });
  const engineScratch = path.join(scratch, 'engine');
  await mkdir(engineScratch, { recursive: true });
  let released = false;
  const release = async () => {
    if (released) return undefined;
    released = true; session.detach();
    // A session's context outlives this run: leave it without our route.
    if (run.browserSessionId) await outbound?.dispose();
    return opened.release();
  };

  return {
    context,
    session,
    page: () => session.page,
    downloadsDir,
    scratchDir: engineScratch,
    async finish(recorder, opts) {
      try {
        const page = session.page;
        if (opts.finalScreenshot && !page.isClosed()) {
          const shot = await page.screenshot({ type: 'png', timeout: 10_000 }).catch(() => undefined);
          if (shot) await recorder.saveArtifact('screenshot_final', shot, { ext: 'png' });
        }
        const downloads = await settleWithin(session, 30_000);
        const video = await release();
        if (video) await recorder.saveArtifactFile('recording', video, { name: 'recording.webm' });
        for (const d of downloads) {
          if (d.path) await recorder.saveArtifactFile('download', d.path, { name: d.fileName });
        }
        // Files blocks wrote there themselves (print_page's PDF, http_request's saved body) are downloads too.
        const known = new Set(downloads.map((d) => d.fileName)); // saved above, or failed to save
        const written = await readdir(downloadsDir, { withFileTypes: true }).catch(() => []);
        for (const entry of written) {
          const file = path.join(downloadsDir, entry.name);
          if (entry.isFile() && !known.has(entry.name)) await recorder.saveArtifactFile('download', file, { name: entry.name });
        }
      } finally {
        await rm(scratch, { recursive: true, force: true }).catch(() => {});
      }
    },
    async abort() { await release().catch(() => {}); },
  };
}

async function attachToSession(deps: WorkerDeps, sessionId: string, opts: { extraHttpHeaders?: Record<string, string> | null }): Promise<BrowserLease> {
  const session = await deps.repos.browserSessions.getById(sessionId);
  if (!session || session.status !== 'running' || !session.browserAddress) throw new Error(sessionEndedReason(sessionId, session?.status ?? 'deleted'));
  try {
    return await deps.browsers.attach(session.browserAddress, opts);
  } catch (err) {
    // Most likely the session was closed just now; say so rather than print a connection error.
    const now = await deps.repos.browserSessions.getById(sessionId);
    if (!now || now.status !== 'running' || !now.browserAddress) throw new Error(`Browser session ${sessionId} was closed as this run was starting; create a new browser session and run again.`);
    throw new Error(`Could not connect to browser session ${sessionId} at ${session.browserAddress}: ${(err as Error).message.split('\n')[0]}`);
  }
}

async function seedFromProfile(deps: WorkerDeps, run: RunRow, lease: BrowserLease): Promise<void> {
  const profile = await deps.repos.browserProfiles.get(run.organizationId, run.browserProfileId!);
  if (!profile) throw new Error(`Browser profile ${run.browserProfileId} was deleted before this run started.`);
  await seedBrowserState(lease.context, profile.state as StoredBrowserState | null);
}

/** Downloads still being written get a bounded wait: a stalled one must not hold the run open. */
async function settleWithin(session: PageSession, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
  await Promise.race([session.settleDownloads(), timeout]);
  clearTimeout(timer);
  return session.downloads.filter((d) => d.path);
}
