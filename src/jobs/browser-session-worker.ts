// The worker side of persistent browser sessions: takes session jobs (each stays active while its
// browser lives, up to BROWSER_SESSIONS_PER_WORKER at once), listens for close/capture messages
// for the sessions it holds, reconciles abandoned ones, and on shutdown ends its sessions cleanly.
import { Worker } from 'bullmq';
import { BROWSER_SESSION_JOB, type BrowserSessionJobData } from '../contracts/jobs.ts';
import { BROWSER_SESSIONS_QUEUE } from '../queue/browser-session-queue.ts';
import { createRedis } from '../queue/connection.ts';
import { subscribeSessionControl, type SessionControlMessage } from '../queue/session-control.ts';
import type { ServiceDeps } from '../services/deps.ts';
import { reconcileBrowserSessions } from './browser-session-reconciler.ts';
import { runBrowserSession, type HeldSession } from './browser-session.job.ts';
import { startPeriodic } from './periodic.ts';
import path from 'node:path';
import { reapSessionBrowsers } from '../browser/session-browser-reaper.ts';

export interface BrowserSessionWorkerHandle { close(): Promise<void> }

export async function startBrowserSessionWorker(deps: ServiceDeps & { scratchDir: string; hostId: string }): Promise<BrowserSessionWorkerHandle> {
  const { config, logger } = deps;
  const log = logger.child({ module: 'browser-sessions' });
  const held = new Map<string, HeldSession>();
  const shutdown = new AbortController();

  const subscriber = createRedis(config.redisUrl, 'subscriber');
  await subscribeSessionControl(subscriber, config.queuePrefix, (msg) => void onControl(msg));
  async function onControl(msg: SessionControlMessage) {
    const session = held.get(msg.browserSessionId);
    if (!session) return; // another worker holds it
    if (msg.kind === 'close') { session.end('closed'); return; }
    const answer = await session.captureState().then((state) => ({ state }), (err: Error) => ({ error: err.message }));
    await deps.sessionControl.reply(msg.replyId, answer).catch((err) => log.warn({ err: (err as Error).message }, 'capture reply failed'));
  }

  const connection = createRedis(config.redisUrl, 'worker');
  const worker = new Worker<BrowserSessionJobData>(BROWSER_SESSIONS_QUEUE, async (job) => {
    if (job.name === BROWSER_SESSION_JOB) await runBrowserSession(job.data.browserSessionId, deps, held, shutdown.signal);
  }, {
    connection, prefix: config.queuePrefix, concurrency: config.browserSessions.perWorker,
    lockDuration: config.jobLockMs,
    // A session lives in its worker's memory: a stalled job is never handed to another worker
    // (it would find the row running and do nothing); the lease reconciler ends such sessions.
    maxStalledCount: 0,
  });
  worker.on('error', (err) => log.warn({ err: err.message }, 'browser session worker error'));

  // Browsers of this data folder whose session no live worker owns any more (a worker killed before
  // its watchdog could act): killed at start and on every reconcile. Sessions this worker holds, and
  // sessions another worker is starting or keeps leased, are left alone.
  const reap = async () => {
    const reaped = await reapSessionBrowsers(path.join(deps.scratchDir, 'browser-sessions'), async (id) => {
      if (held.has(id)) return true;
      const row = await deps.repos.browserSessions.getById(id);
      if (!row) return false;
      if (row.status === 'created') return true;
      return row.status === 'running' && !!row.leaseExpiresAt && row.leaseExpiresAt.getTime() > Date.now();
    });
    if (reaped.length) log.warn({ sessions: reaped.map((r) => r.sessionId), processes: reaped.reduce((n, r) => n + r.pids.length, 0) }, 'killed browsers left by a dead worker');
  };
  await reap().catch((err) => log.warn({ err: (err as Error).message }, 'session browser reaper failed'));

  const reconciler = startPeriodic(async () => {
    const { abandoned, requeued, expired } = await reconcileBrowserSessions(deps);
    if (abandoned || requeued || expired) log.info({ abandoned, requeued, expired }, 'browser sessions reconciled');
    await reap();
  }, config.reconcileIntervalMs, (err) => log.warn({ err: err.message }, 'browser session reconcile failed'));

  return {
    async close() {
      reconciler.stop();
      // Stop taking new sessions, end the held ones (each saves its state if asked and stops its
      // browser), then wait for their jobs to finish.
      const closing = worker.close();
      shutdown.abort();
      await closing;
      subscriber.disconnect();
      connection.disconnect();
    },
  };
}
