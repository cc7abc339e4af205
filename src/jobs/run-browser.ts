import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
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

/** Opens the run's own browser context: local and recorded, or remote over CDP with `browser_address`. */
export async function openRunBrowser(deps: WorkerDeps, run: RunRow): Promise<OpenRunBrowser> {
  const request = run.request as Record<string, unknown>;
  await mkdir(deps.scratchDir, { recursive: true });
  const scratch = await mkdtemp(path.join(deps.scratchDir, `${run.runId}-`));
  const downloadsDir = path.join(scratch, 'downloads');
  await mkdir(downloadsDir, { recursive: true });
  const ctxOpts = {
    extraHttpHeaders: request.extra_http_headers as Record<string, string> | null,
    userAgent: run.userAgent,
    videoDir: path.join(scratch, 'video'),
    downloadsDir,
  };
  const lease: BrowserLease = request.browser_address
    ? await deps.browsers.connect(request.browser_address as string, request.cdp_connect_headers as Record<string, string> | null, ctxOpts)
    : await deps.browsers.newContext(ctxOpts);
  const { context } = lease;
  let active: Page = await context.newPage();
  const downloads: Promise<unknown>[] = [];
  const watch = (p: Page) => {
    p.on('download', (d) => { downloads.push(d.saveAs(path.join(downloadsDir, d.suggestedFilename())).catch(() => {})); });
  };
  watch(active);
  // A link that opens a new tab moves the run to it, the way a person would follow it.
  context.on('page', (p) => { active = p; watch(p); });
  let released = false;
  const release = async () => { if (released) return undefined; released = true; return lease.release(); };

  const currentPage = () => (active.isClosed() ? context.pages().at(-1) ?? active : active);
  return {
    context,
    page: currentPage,
    downloadsDir,
    async finish(recorder, opts) {
      try {
        const page = currentPage();
        if (opts.finalScreenshot && !page.isClosed()) {
          const shot = await page.screenshot({ type: 'png', timeout: 10_000 }).catch(() => undefined);
          if (shot) await recorder.saveArtifact('screenshot_final', shot, { ext: 'png' });
        }
        await Promise.all(downloads);
        const video = await release();
        if (video) await recorder.saveArtifactFile('recording', video, { name: 'recording.webm' });
        for (const name of await readdir(downloadsDir)) {
          await recorder.saveArtifactFile('download', path.join(downloadsDir, name), { name });
        }
      } finally {
        await rm(scratch, { recursive: true, force: true }).catch(() => {});
      }
    },
    async abort() { await release().catch(() => {}); },
  };
}
