// One persistent browser session, start to end, inside one BullMQ job that stays active for the
// session's whole life. The worker launches a dedicated Chromium (fresh user-data dir, CDP port
// open), seeds it from a profile, records `browser_address`, renews a lease while it lives, and
// when the session is closed, times out, or the worker shuts down: saves the state when asked to,
// stops the browser and ends the row.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { advertisedHost, httpAddress, startCdpGateway, type CdpGateway } from '../browser/cdp-gateway.ts';
import { launchDebuggableChromium, type DebuggableChromium } from '../browser/debuggable-chromium.ts';
import { connectOverCdp } from '../browser/launch.ts';
import { sharedOutboundProxy } from '../net/browser-proxy.ts';
import { describeNavigationError, refusedNavigation } from '../net/browser-routing.ts';
import type { BrowserSessionRow } from '../db/repositories/browser-sessions.repo.ts';
import { sessionTimeoutDue, type SessionStatus } from '../domain/browser-sessions.ts';
import type { Logger } from '../log/logger.ts';
import type { ServiceDeps } from '../services/deps.ts';

export type EndReason = 'closed' | 'timeout' | 'crashed' | 'shutdown';

/** What the worker keeps for each session it holds: how to end it and how to read its state. */
export interface HeldSession {
  end(reason: EndReason): void;
  captureState(): Promise<unknown>;
}

export type SessionJobDeps = Pick<ServiceDeps, 'config' | 'logger' | 'repos' | 'sessionHosts'> & { scratchDir: string; hostId: string };

const URL_OPEN_TIMEOUT_MS = 15_000;
const CAPTURE_TIMEOUT_MS = 20_000;
const END_STATUS: Record<EndReason, SessionStatus> = { closed: 'completed', shutdown: 'completed', timeout: 'timeout', crashed: 'failed' };

interface SessionBrowser { chromium: DebuggableChromium; gateway?: CdpGateway; observer: Browser; address: string }

/**
 * Runs the session until it ends. `held` is the worker's registry, so control messages reach it;
 * `shutdown` aborts when the worker stops (a session still starting then ends as soon as it is up).
 */
export async function runBrowserSession(sessionId: string, deps: SessionJobDeps, held: Map<string, HeldSession>, shutdown: AbortSignal): Promise<void> {
  const repo = deps.repos.browserSessions;
  const log = deps.logger.child({ browser_session_id: sessionId });
  const row = await repo.getById(sessionId);
  // Closed before a worker took it; or started by a worker that died (the reconciler ends those).
  if (!row || row.status !== 'created') return;

  // Every session gets a fresh user-data dir, removed when it ends.
  const sessionsDir = path.join(deps.scratchDir, 'browser-sessions');
  await mkdir(sessionsDir, { recursive: true });
  const dir = await mkdtemp(path.join(sessionsDir, `${sessionId}-`));
  let browser: SessionBrowser | undefined;
  let reason: EndReason = 'crashed';
  try {
    browser = await startBrowser(deps, row, dir, log);
    const leaseMs = deps.config.jobLockMs * 2;
    const running = await repo.markRunning(sessionId, { browserAddress: browser.address, leaseExpiresAt: new Date(Date.now() + leaseMs) });
    if (!running) { reason = 'closed'; return; }
    // Runs in this session will execute here, next to its browser (run-worker.ts).
    await deps.sessionHosts.register(sessionId, deps.hostId, leaseMs).catch((err) => log.warn({ err: (err as Error).message }, 'session host not recorded; its runs may execute on another worker'));
    log.info({ browser_address: browser.address }, 'browser session running');
    reason = await liveUntilEnd(deps, running, browser, { held, shutdown, leaseMs }, log);
  } catch (err) {
    log.error({ err }, 'browser session failed');
  } finally {
    held.delete(sessionId);
    await teardown(deps, sessionId, browser, dir, reason, log);
  }
}

async function startBrowser(deps: SessionJobDeps, row: BrowserSessionRow, dir: string, log: Logger): Promise<SessionBrowser> {
  const settings = deps.config.browserSessions;
  // The worker's policy proxy judges everything the session's browser fetches, whoever drives it
  // (runs, or users' own Playwright over CDP): every redirect hop, WebSockets, the address connected to.
  const proxyServer = (await sharedOutboundProxy()).server;
  const chromium = await launchDebuggableChromium({ executablePath: deps.config.chromiumPath, userDataDir: dir, proxyServer });
  let gateway: CdpGateway | undefined;
  try {
    // The worker's own connection lives as long as the session: it sees every origin any client
    // visits, which is what a later storage-state capture needs to find their localStorage.
    const observer = await connectOverCdp(`http://127.0.0.1:${chromium.port}`);
    const context = observer.contexts()[0]!;
    if (row.browserProfileId) {
      const profile = await deps.repos.browserProfiles.get(row.organizationId, row.browserProfileId);
      if (profile?.state) await context.setStorageState(profile.state as Parameters<typeof context.setStorageState>[0]);
      else log.warn({ browser_profile_id: row.browserProfileId }, 'browser profile gone; session starts blank');
    }
    const url = (row.request as { url?: string | null }).url;
    if (url) {
      const page = context.pages()[0] ?? (await context.newPage());
      // The policy proxy judges the start URL with DNS (the API could only check its spelling).
      const refused = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: URL_OPEN_TIMEOUT_MS })
        .then((response) => refusedNavigation(response), (err) => describeNavigationError(page, err, url));
      if (refused) log.warn({ url, reason: refused }, 'session start url did not load');
    }
    // Chromium listens on 127.0.0.1 only; another host (or fixed ports) needs the forwarder.
    const direct = settings.bindHost === '127.0.0.1' && !settings.ports;
    // Reachable from other hosts, the port answers only under a secret of this session's.
    const token = randomBytes(24).toString('base64url');
    if (!direct) gateway = await startCdpGateway({ targetPort: chromium.port, host: settings.bindHost, ports: settings.ports, token });
    const host = direct ? settings.advertisedHost ?? '127.0.0.1' : advertisedHost(settings.bindHost, settings.advertisedHost);
    const address = httpAddress(host, gateway?.port ?? chromium.port) + (gateway ? `/${token}` : '');
    return { chromium, gateway, observer, address };
  } catch (err) {
    await gateway?.close().catch(() => {});
    await chromium.stop();
    throw err;
  }
}

/** Keeps the lease fresh and resolves with why the session ends. */
function liveUntilEnd(deps: SessionJobDeps, row: BrowserSessionRow, browser: SessionBrowser, opts: { held: Map<string, HeldSession>; shutdown: AbortSignal; leaseMs: number }, log: Logger): Promise<EndReason> {
  const { held, shutdown, leaseMs } = opts;
  const { config } = deps;
  return new Promise<EndReason>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    let ended = false;
    const end = (reason: EndReason) => {
      if (ended) return;
      ended = true;
      for (const t of timers) { clearInterval(t); clearTimeout(t); }
      log.info({ reason }, 'browser session ending');
      resolve(reason);
    };
    held.set(row.browserSessionId, {
      end,
      captureState: () => withTimeout(browser.observer.contexts()[0]!.storageState(), CAPTURE_TIMEOUT_MS, 'capturing the browser state'),
    });
    void browser.chromium.exited.then(() => end('crashed'));
    if (shutdown.aborted) end('shutdown');
    shutdown.addEventListener('abort', () => end('shutdown'), { once: true });
    let heldByRun = false;
    const checkDeadline = () => {
      if (sessionTimeoutDue({ startedAt: row.startedAt!, timeoutMinutes: row.timeoutMinutes, held: heldByRun }, Date.now(), config.minuteMs, config.browserSessions.maxTimeoutMinutes)) end('timeout');
    };
    const tick = async () => {
      const renewed = await deps.repos.browserSessions.renewLease(row.browserSessionId, new Date(Date.now() + leaseMs)).catch((err) => {
        log.warn({ err: (err as Error).message }, 'session lease renewal failed');
        return 'unknown' as const;
      });
      if (renewed === 'unknown') return;
      // No longer running: the API ended it (its close message may have been missed) or it was reaped.
      if (!renewed) { end('closed'); return; }
      await deps.sessionHosts.register(row.browserSessionId, deps.hostId, leaseMs).catch(() => {});
      heldByRun = renewed.held;
      checkDeadline();
    };
    if (ended) return;
    timers.push(setInterval(() => void tick(), Math.max(500, Math.min(leaseMs / 3, 10_000))));
    // The precise moment the timeout is due; while a run holds the session, the lease ticks re-check.
    const dueInMs = row.startedAt!.getTime() + row.timeoutMinutes * config.minuteMs - Date.now();
    timers.push(setTimeout(() => void tick(), Math.max(0, dueInMs) + 50));
  });
}

async function teardown(deps: SessionJobDeps, sessionId: string, browser: SessionBrowser | undefined, dir: string, reason: EndReason, log: Logger): Promise<void> {
  const repo = deps.repos.browserSessions;
  try {
    // Runs waiting for the session must not claim a browser about to go away.
    await repo.markEnding(sessionId);
    const latest = await repo.getById(sessionId);
    // Read at the end, so a PATCH of generate_browser_profile made while it lived counts.
    const keepState = latest && (latest.generateBrowserProfile || latest.browserProfileId) && browser && reason !== 'crashed';
    if (keepState) {
      const state = await withTimeout(browser.observer.contexts()[0]!.storageState(), CAPTURE_TIMEOUT_MS, 'capturing the browser state')
        .catch((err) => { log.warn({ err: (err as Error).message }, 'session state not saved'); return undefined; });
      if (state) await repo.saveState(sessionId, state);
    }
  } finally {
    await browser?.observer.close().catch(() => {});
    await browser?.gateway?.close().catch(() => {});
    await browser?.chromium.stop().catch(() => {});
    await rm(dir, { recursive: true, force: true }).catch(() => {});
    await deps.sessionHosts.forget(sessionId).catch(() => {});
    await repo.end(sessionId, END_STATUS[reason]).catch((err) => log.warn({ err: (err as Error).message }, 'session end not recorded; the reconciler ends it'));
    log.info({ reason }, 'browser session ended');
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
