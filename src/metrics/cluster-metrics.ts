// Counts that must be true for the whole deployment, whichever process is scraped: read from
// Postgres and Redis at scrape time, so they survive restarts and agree across instances.
import { Counter, Gauge, Registry } from 'prom-client';
import { isTerminal } from '../domain/run-status.ts';
import type { QueueSnapshot } from '../queue/queue-stats.ts';

export interface ClusterSources {
  runCounts(): Promise<{ runType: string; status: string; count: number }[]>;
  openSessionCounts(): Promise<{ status: string; count: number }[]>;
  queues(): Promise<QueueSnapshot[]>;
}

export interface ClusterMetrics {
  registry: Registry;
  /** Reads the sources into the metrics; a scrape awaits it before rendering. */
  refresh(): Promise<void>;
}

export function createClusterMetrics(sources: ClusterSources): ClusterMetrics {
  const registry = new Registry();
  const registers = [registry];
  // Counters whose value is a count of rows: a run row is never deleted, so they only grow.
  const created = new Counter({ name: 'skyport_runs_created_total', help: 'Runs ever created, by run type (from Postgres)', labelNames: ['run_type'], registers });
  const finished = new Counter({ name: 'skyport_runs_finished_total', help: 'Runs that reached a terminal status, by run type and status (from Postgres)', labelNames: ['run_type', 'status'], registers });
  const active = new Gauge({ name: 'skyport_runs_active', help: 'Runs not yet finished, by run type and status: created, queued, running, paused (from Postgres)', labelNames: ['run_type', 'status'], registers });
  const sessions = new Gauge({ name: 'skyport_browser_sessions', help: 'Browser sessions not ended, by status: created (waiting for a worker), running (from Postgres)', labelNames: ['status'], registers });
  const jobs = new Gauge({ name: 'skyport_queue_jobs', help: 'BullMQ jobs by queue and state (from Redis)', labelNames: ['queue', 'state'], registers });
  const oldest = new Gauge({ name: 'skyport_queue_oldest_waiting_seconds', help: 'Age of the oldest job waiting for a worker, by queue; 0 when none waits (from Redis)', labelNames: ['queue'], registers });
  const up = new Gauge({ name: 'skyport_cluster_stats_up', help: '1 when the last scrape read this source (postgres, redis), 0 when it failed and its series were left out', labelNames: ['source'], registers });

  async function readPostgres() {
    const [runs, open] = await Promise.all([sources.runCounts(), sources.openSessionCounts()]);
    created.reset(); finished.reset(); active.reset(); sessions.reset();
    for (const { runType, status, count } of runs) {
      created.inc({ run_type: runType }, count);
      if (isTerminal(status)) finished.inc({ run_type: runType, status }, count);
      else active.set({ run_type: runType, status }, count);
    }
    for (const { status, count } of open) sessions.set({ status }, count);
  }

  async function readRedis() {
    const snapshots = await sources.queues();
    jobs.reset(); oldest.reset();
    for (const s of snapshots) {
      for (const [state, n] of Object.entries(s.counts)) jobs.set({ queue: s.queue, state }, n);
      oldest.set({ queue: s.queue }, s.oldestWaitingSeconds);
    }
  }

  // Series from a source that could not be read are dropped rather than left at stale values.
  const guarded = (source: string, read: () => Promise<void>, clear: () => void) => read()
    .then(() => { up.set({ source }, 1); })
    .catch(() => { clear(); up.set({ source }, 0); });

  // Concurrent scrapes share one read instead of interleaving resets.
  let inFlight: Promise<void> | undefined;
  return {
    registry,
    refresh() {
      inFlight ??= Promise.all([
        guarded('postgres', readPostgres, () => { created.reset(); finished.reset(); active.reset(); sessions.reset(); }),
        guarded('redis', readRedis, () => { jobs.reset(); oldest.reset(); }),
      ]).then(() => {}).finally(() => { inFlight = undefined; });
      return inFlight;
    },
  };
}
