import type { Browser, BrowserContext } from 'playwright-core';
import { connectOverCdp, launchChromium } from './launch.ts';

// Run videos are for seeing what happened, not pixel-perfect replay: half the viewport's pixels
// keeps the encoder (one ffmpeg per recorded run) at a fraction of the memory of full size.
const VIDEO_SIZE = { width: 800, height: 450 };

export interface RunContextOptions {
  extraHttpHeaders?: Record<string, string> | null;
  userAgent?: string | null;
  /** Folder the context's video is written to; omitted → no recording. */
  videoDir?: string;
  downloadsDir?: string;
  /** Forward proxy every request of the context goes through (the worker's outbound-policy proxy). */
  proxyServer?: string;
}

/** Our own Chromium's context, one on a remote browser (`browser_address`), or a session browser's. */
export type ContextKind = 'local' | 'cdp' | 'session';

export interface BrowserLease {
  context: BrowserContext;
  /** Closes the context (and the remote connection for CDP runs); returns the video file if any. */
  release(): Promise<string | undefined>;
}

/**
 * One warm Chromium per worker process; every run gets its own context (own cookies, storage,
 * video). A crashed browser is relaunched on the next request.
 */
export class BrowserPool {
  private browser: Promise<Browser> | undefined;
  private readonly open: Record<ContextKind, number> = { local: 0, cdp: 0, session: 0 };

  constructor(private readonly executablePath: string) {}

  private launch(): Promise<Browser> {
    if (!this.browser) {
      this.browser = (async () => {
        // Playwright's launch gives Chromium a fresh, empty temporary profile every time.
        // /dev/shm is small in containers; Chromium falls back to /tmp instead of crashing tabs.
        const b = await launchChromium({ executablePath: this.executablePath, extraArgs: ['--disable-dev-shm-usage'] });
        b.on('disconnected', () => { this.browser = undefined; });
        return b;
      })();
      this.browser.catch(() => { this.browser = undefined; });
    }
    return this.browser;
  }

  async warm(): Promise<void> { await this.launch(); }

  async newContext(opts: RunContextOptions): Promise<BrowserLease> {
    const browser = await this.launch();
    const context = await browser.newContext({
      extraHTTPHeaders: opts.extraHttpHeaders ?? undefined,
      userAgent: opts.userAgent ?? undefined,
      recordVideo: opts.videoDir ? { dir: opts.videoDir, size: VIDEO_SIZE } : undefined,
      viewport: { width: 1280, height: 720 },
      acceptDownloads: true,
      // Playwright adds `<-loopback>` for Chromium, so loopback goes through the proxy too.
      proxy: opts.proxyServer ? { server: opts.proxyServer } : undefined,
    });
    return this.counted('local', { context, release: () => closeWithVideo(context) });
  }

  /** Runs with `browser_address` drive a remote browser; the CDP headers go to that endpoint only. */
  async connect(address: string, cdpHeaders: Record<string, string> | null | undefined, opts: RunContextOptions): Promise<BrowserLease> {
    const browser = await connectOverCdp(address, cdpHeaders ?? undefined);
    const context = await browser.newContext({
      extraHTTPHeaders: opts.extraHttpHeaders ?? undefined,
      userAgent: opts.userAgent ?? undefined,
      viewport: { width: 1280, height: 720 },
      acceptDownloads: true,
    });
    return this.counted('cdp', {
      context,
      release: async () => { await context.close().catch(() => {}); await browser.close().catch(() => {}); return undefined; },
    });
  }

  /**
   * Runs in a persistent browser session drive that browser's own default context, so cookies,
   * storage and open tabs carry from one run to the next. Releasing only disconnects: the context
   * and the browser stay for the next run (no video: the context was not created by us).
   */
  async attach(address: string, opts: Pick<RunContextOptions, 'extraHttpHeaders'>): Promise<BrowserLease> {
    const browser = await connectOverCdp(address);
    const context = browser.contexts()[0];
    if (!context) { await browser.close().catch(() => {}); throw new Error('the session browser has no default context'); }
    // Per connection: gone once this run disconnects.
    if (opts.extraHttpHeaders) await context.setExtraHTTPHeaders(opts.extraHttpHeaders);
    return this.counted('session', { context, release: async () => { await browser.close().catch(() => {}); return undefined; } });
  }

  /** Contexts leased and not yet released, by kind (for metrics). */
  openContexts(): Record<ContextKind, number> { return { ...this.open }; }

  /** Counts a lease until its first release (callers may release twice on abort paths). */
  private counted(kind: ContextKind, lease: BrowserLease): BrowserLease {
    this.open[kind] += 1;
    let released = false;
    return {
      context: lease.context,
      release: () => {
        if (!released) { released = true; this.open[kind] -= 1; }
        return lease.release();
      },
    };
  }

  async close(): Promise<void> {
    const b = this.browser; this.browser = undefined;
    if (b) await (await b).close().catch(() => {});
  }
}

async function closeWithVideo(context: BrowserContext): Promise<string | undefined> {
  const videos = context.pages().map((p) => p.video()).filter((v) => v !== null);
  await context.close().catch(() => {});
  for (const v of videos) {
    const file = await v!.path().catch(() => undefined);
    if (file) return file;
  }
  return undefined;
}
