import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { PageSession } from '../browser/session.ts';
import type { BrowserLease } from '../browser/pool.ts';
import type { RunRow } from '../db/repositories/runs.repo.ts';
import type { RunBrowser, RunRecorder } from '../engine/ports.ts';
import type { WorkerDeps } from './worker-deps.ts';

export interface OpenRunBrowser extends RunBrowser {
  /** Final screenshot, closes the browser, and files the video and downloads as artifacts. */
  finish(recorder: RunRecorder, opts: { finalScreenshot: boolean }): Promise<void>;
  /** Closes at once (cancel, timeout): pending browser calls fail and the engine unwinds. */
  abort(): Promise<void>;
}

/**
 * Opens the run's own browser context: local and recorded, or remote over CDP with `browser_address`.
 * A PageSession tracks it: the newest tab is the active page, dialogs are accepted and kept for the
 * agent's next prompt, and downloads (from any tab, by any action) are saved to one folder.
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
  let lease: BrowserLease;
  try {
    lease = request.browser_address
      ? await deps.browsers.connect(request.browser_address as string, request.cdp_connect_headers as Record<string, string> | null, ctxOpts)
      : await deps.browsers.newContext(ctxOpts);
  } catch (err) {
    await rm(scratch, { recursive: true, force: true }).catch(() => {});
    throw err;
  }
  const { context } = lease;
  const session = await PageSession.open(context, { downloadDir: downloadsDir, page: await context.newPage() });
  const engineScratch = path.join(scratch, 'engine');
  await mkdir(engineScratch, { recursive: true });
  let released = false;
  const release = async () => { if (released) return undefined; released = true; session.detach(); return lease.release(); };

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
      } finally {
        await rm(scratch, { recursive: true, force: true }).catch(() => {});
      }
    },
    async abort() { await release().catch(() => {}); },
  };
}

/** Downloads still being written get a bounded wait: a stalled one must not hold the run open. */
async function settleWithin(session: PageSession, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
  await Promise.race([session.settleDownloads(), timeout]);
  clearTimeout(timer);
  return session.downloads.filter((d) => d.path);
}
