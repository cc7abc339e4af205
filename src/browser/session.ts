import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { BrowserContext, Dialog, Download, Page } from 'playwright-core';
import { NetworkActivity } from './network-activity.ts';

export interface DialogRecord {
  type: string;
  message: string;
  /** Prompt dialogs: the default answer, which is what we accept with. */
  defaultValue?: string;
  url: string;
  at: Date;
}

export interface DownloadRecord {
  fileName: string;
  /** Absolute path of the saved file (empty when saving failed). */
  path: string;
  url: string;
  at: Date;
  error?: string;
}

interface DownloadWaiter {
  started: boolean;
  onStart(): void;
  onSaved(record: DownloadRecord): void;
}

export interface PageSessionOptions {
  /** Folder where downloads are saved; created if missing. */
  downloadDir: string;
  /** Start from this page instead of opening a new one. */
  page?: Page;
}

/**
 * One browsing session as the agent sees it: a context whose newest tab is the "active" page.
 * Dialogs are accepted automatically (an unanswered dialog blocks the page) and recorded so the
 * agent can tell the LLM about them; downloads are saved to a folder and listed.
 */
export class PageSession {
  readonly context: BrowserContext;
  readonly downloadDir: string;
  /** Requests in flight and state-changing requests sent, across the context's pages and frames. */
  readonly network: NetworkActivity;
  private activePage: Page;
  private readonly openPages: Page[] = [];
  private readonly dialogLog: DialogRecord[] = [];
  private unreportedDialogs: DialogRecord[] = [];
  private readonly downloadLog: DownloadRecord[] = [];
  private readonly pendingSaves = new Set<Promise<void>>();
  private downloadWaiters: DownloadWaiter[] = [];
  private readonly onNewPage = (page: Page) => this.adopt(page, true);

  private constructor(context: BrowserContext, page: Page, downloadDir: string) {
    this.context = context;
    this.network = new NetworkActivity(context);
    this.activePage = page;
    this.downloadDir = downloadDir;
  }

  static async open(context: BrowserContext, options: PageSessionOptions): Promise<PageSession> {
    await mkdir(options.downloadDir, { recursive: true });
    const page = options.page ?? context.pages()[0] ?? (await context.newPage());
    const session = new PageSession(context, page, options.downloadDir);
    for (const existing of context.pages()) session.adopt(existing, false);
    session.adopt(page, true);
    context.on('page', session.onNewPage);
    return session;
  }

  /** The page actions and scans should target: the most recently opened tab that is still open. */
  get page(): Page {
    // The 'close' event may not have been delivered yet when a caller asks right after closing.
    if (this.activePage.isClosed()) {
      const open = this.openPages.filter((p) => !p.isClosed());
      if (open.length > 0) this.activePage = open[open.length - 1]!;
    }
    return this.activePage;
  }

  get pages(): readonly Page[] {
    return this.openPages;
  }

  switchTo(page: Page): void {
    this.adopt(page, true);
  }

  /** Every dialog seen so far. */
  get dialogs(): readonly DialogRecord[] {
    return this.dialogLog;
  }

  /** Dialogs not yet reported to the LLM; calling this marks them reported. */
  takeNewDialogs(): DialogRecord[] {
    const fresh = this.unreportedDialogs;
    this.unreportedDialogs = [];
    return fresh;
  }

  get downloads(): readonly DownloadRecord[] {
    return this.downloadLog;
  }

  /** Waits for downloads that have started but not finished saving. */
  async settleDownloads(): Promise<readonly DownloadRecord[]> {
    while (this.pendingSaves.size > 0) await Promise.allSettled([...this.pendingSaves]);
    return this.downloadLog;
  }

  /**
   * Resolves with the next download once it is saved (register before triggering it).
   * Fails if none starts within startTimeoutMs, or if saving takes longer than saveTimeoutMs.
   */
  waitForNextDownload(startTimeoutMs: number, saveTimeoutMs = 120_000): Promise<DownloadRecord> {
    return new Promise((resolve, reject) => {
      const fail = (message: string) => () => {
        this.downloadWaiters = this.downloadWaiters.filter((w) => w !== waiter);
        reject(new Error(message));
      };
      let timer = setTimeout(fail(`no download started within ${startTimeoutMs} ms`), startTimeoutMs);
      const waiter: DownloadWaiter = {
        started: false,
        onStart: () => {
          clearTimeout(timer);
          timer = setTimeout(fail(`download did not finish within ${saveTimeoutMs} ms`), saveTimeoutMs);
        },
        onSaved: (record) => {
          clearTimeout(timer);
          resolve(record);
        },
      };
      this.downloadWaiters.push(waiter);
    });
  }

  /** Stops listening to the context (does not close it). */
  detach(): void {
    this.context.off('page', this.onNewPage);
    this.network.detach();
  }

  private adopt(page: Page, makeActive: boolean): void {
    if (!this.openPages.includes(page)) {
      this.openPages.push(page);
      page.on('dialog', (dialog) => void this.handleDialog(page, dialog));
      page.on('download', (download) => this.trackDownload(download));
      page.on('close', () => this.forget(page));
    }
    if (makeActive && !page.isClosed()) this.activePage = page;
  }

  private forget(page: Page): void {
    const index = this.openPages.indexOf(page);
    if (index !== -1) this.openPages.splice(index, 1);
    const fallback = this.openPages.at(-1);
    if (this.activePage === page && fallback) this.activePage = fallback;
  }

  private async handleDialog(page: Page, dialog: Dialog): Promise<void> {
    const record: DialogRecord = { type: dialog.type(), message: dialog.message(), url: page.url(), at: new Date() };
    if (dialog.type() === 'prompt') record.defaultValue = dialog.defaultValue();
    this.dialogLog.push(record);
    this.unreportedDialogs.push(record);
    // Accepting is the choice that lets a task proceed (confirm "OK", prompt with its default).
    await dialog.accept(dialog.type() === 'prompt' ? dialog.defaultValue() : undefined).catch(() => undefined);
  }

  private trackDownload(download: Download): void {
    // The first waiter still waiting for a start claims this download.
    const claimant = this.downloadWaiters.find((w) => !w.started);
    if (claimant) {
      claimant.started = true;
      claimant.onStart();
    }
    const save = this.saveDownload(download, claimant).finally(() => this.pendingSaves.delete(save));
    this.pendingSaves.add(save);
  }

  private async saveDownload(download: Download, claimant: DownloadWaiter | undefined): Promise<void> {
    const fileName = this.uniqueFileName(download.suggestedFilename());
    const record: DownloadRecord = { fileName, path: join(this.downloadDir, fileName), url: download.url(), at: new Date() };
    // Reserve the name now so two concurrent downloads of "report.csv" do not collide.
    this.downloadLog.push(record);
    try {
      await download.saveAs(record.path);
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
      record.path = '';
    }
    if (claimant) {
      this.downloadWaiters = this.downloadWaiters.filter((w) => w !== claimant);
      claimant.onSaved(record);
    }
  }

  private uniqueFileName(suggested: string): string {
    const safe = basename(suggested).replace(/[^\w.\- ()]+/g, '_').slice(0, 150) || 'download';
    const taken = (name: string) => this.downloadLog.some((d) => d.fileName === name) || existsSync(join(this.downloadDir, name));
    if (!taken(safe)) return safe;
    const ext = extname(safe);
    const stem = safe.slice(0, safe.length - ext.length);
    for (let n = 2; ; n++) {
      const candidate = `${stem} (${n})${ext}`;
      if (!taken(candidate)) return candidate;
    }
  }
}
