// The two process roles. `api.ts`, `worker.ts` and `all.ts` are thin entries over these.
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { BrowserPool } from './browser/pool.ts';
import type { Config } from './config/index.ts';
import { buildCore, scratchDirOf, type Core } from './composition.ts';
import { buildApp } from './http/app.ts';
import { buildAppServices } from './http/build-services.ts';
import type { AppServices } from './http/services.ts';
import type { RunWorkerHandle } from './jobs/run-worker.ts';
import type { WebhookWorkerHandle } from './jobs/webhook-worker.ts';
import type { ScheduleWorkerHandle } from './jobs/schedule-worker.ts';
import { llmStatusFromEnv } from './llm-status.ts';
import { createLlmClient, parseLlmEnv } from './llm/index.ts';
import { llmOtpExtractor } from './engine/otp/llm-otp-extractor.ts';
import { runViewerService } from './services/viewer/run-viewer.service.ts';
import { viewerSessions } from './services/viewer/viewer-sessions.ts';
import type { ViewerDeps } from './ui/types.ts';
import type { ScriptSourceChecker as AppServicesScriptChecker } from './services/scripts/script-uploads.ts';
import { createProcessMetrics, exposeMetrics, metricsRoute, serveWorkerMetrics, type ProcessMetrics } from './metrics/index.ts';

// The worker's modules (engine, browser, job processors: playwright-core, nodemailer, templating…)
// and the script compiler are imported when first needed, so an API-only process never loads them.
const workerModules = () => Promise.all([
  import('./browser/pool.ts'), import('./browser/playwright-ffmpeg.ts'), import('./jobs/run-worker.ts'),
  import('./jobs/browser-session-worker.ts'), import('./jobs/webhook-worker.ts'), import('./jobs/schedule-worker.ts'),
]);
const checkScriptSource: AppServicesScriptChecker = async (source, fileName) => (await import('./engine/scripts/script-sandbox.ts')).checkScriptSource(source, fileName);

/** The run viewer's parts: its reads and actions, sign-in sessions, and the live events of runs. */
function viewerDeps(config: Config, core: Core, services: AppServices): ViewerDeps {
  return {
    viewer: runViewerService(core, { runs: services.runs, workflowRuns: services.workflowRuns }),
    sessions: viewerSessions({ serverSecret: core.serverSecret, organizations: services.organizations }),
    runEvents: core.runEvents,
    services,
    secureCookies: config.appUrl.startsWith('https:'),
  };
}

export interface ApiProcess { app: FastifyInstance; core: Core; services: AppServices; apiKey: string; organizationId: string; close(): Promise<void> }

/** Off (nothing recorded) without METRICS_TOKEN; `all.ts` hands both roles one, so one /metrics shows both. */
const metricsFor = (config: Config, given?: ProcessMetrics) => (config.metricsToken ? given ?? createProcessMetrics() : undefined);

export async function createApi(config: Config, opts: { migrate?: boolean; metrics?: ProcessMetrics } = {}): Promise<ApiProcess> {
  const metrics = metricsFor(config, opts.metrics);
  const core = await buildCore(config, { name: 'api', migrate: opts.migrate ?? true, telemetry: metrics });
  const llm = llmStatusFromEnv(config.env);
  // Pushed OTP content the deterministic parser cannot read goes to the (secondary) model, when one is configured.
  const llmClient = llm.configured ? createLlmClient(parseLlmEnv(config.env), core.logger.child({ module: 'llm' }), metrics?.llmCall) : undefined;
  const services = buildAppServices(core, {
    llmProblems: () => llm.problems,
    otpExtractor: llmClient?.configured ? llmOtpExtractor(llmClient) : undefined,
    // Uploaded script code is compiled (never run) by the engine's sandbox before it is stored.
    checkScriptSource,
    probes: [
      { name: 'database', check: async () => { await core.repos.runs.countRunning('none'); } },
      { name: 'redis', check: async () => { await core.runQueue.state('health-probe'); } },
      { name: 'artifacts', check: async () => { await core.artifactStore.ping?.(); } },
    ],
  });
  const exposed = exposeMetrics({ token: config.metricsToken, redisUrl: config.redisUrl, queuePrefix: config.queuePrefix }, core.repos.stats, metrics);
  // Unregistered without a token, so /metrics is a plain 404.
  const extraRoutes = config.metricsToken ? [metricsRoute(exposed.endpoint)] : [];
  const app = await buildApp(services, { logger: core.logger, bodyLimitBytes: config.bodyLimitBytes, extraRoutes, viewer: viewerDeps(config, core, services) });
  const { apiKey, organizationId } = await services.organizations.ensureLocalOrganization();
  return { app, core, services, apiKey, organizationId, async close() { await app.close(); await exposed.close(); await core.close(); } };
}

export interface WorkerProcess {
  core: Core; handle: RunWorkerHandle; webhookWorker: WebhookWorkerHandle; scheduleWorker: ScheduleWorkerHandle; browsers: BrowserPool;
  /** Port of the worker's own /metrics server (WORKER_METRICS_PORT), when it has one. */
  metricsPort?: number;
  close(drainMs?: number): Promise<void>;
}

export async function createWorker(config: Config, opts: { migrate?: boolean; metrics?: ProcessMetrics } = {}): Promise<WorkerProcess> {
  const metrics = metricsFor(config, opts.metrics);
  const [{ BrowserPool }, { linkSystemFfmpeg }, { startRunWorker }, { startBrowserSessionWorker }, { startWebhookWorker }, { startSchedulesInWorker }] = await workerModules();
  const core = await buildCore(config, { name: 'worker', migrate: opts.migrate ?? true, telemetry: metrics });
  if (!linkSystemFfmpeg()) core.logger.warn('no ffmpeg at /usr/bin/ffmpeg: runs will have no video recording');
  const browsers = new BrowserPool(config.chromiumPath);
  await browsers.warm();
  const unwatchBrowsers = metrics?.watchBrowserContexts(() => browsers.openContexts());
  // One LLM client per worker; without a usable one, runs fail with a reason that says what to set.
  const llm = createLlmClient(parseLlmEnv(config.env), core.logger.child({ module: 'llm' }), metrics?.llmCall);
  // Names this process's own run queue; runs in the browser sessions it holds are sent there.
  const hostId = randomBytes(6).toString('hex');
  const handle = await startRunWorker({ ...core, browsers, llm, scratchDir: scratchDirOf(config), hostId, telemetry: metrics?.runs });
  // Persistent browser sessions: one Chromium per session, held by this process while it lives.
  const sessionWorker = await startBrowserSessionWorker({ ...core, scratchDir: scratchDirOf(config), hostId });
  // Deliveries are worker work: the API only records and enqueues them.
  const webhookWorker = startWebhookWorker(core);
  // Schedules fire in workers: the clock's jobs, plus the latest slot missed while no worker was up.
  const scheduleWorker = await startSchedulesInWorker(core);
  // A worker-only process has no API to be scraped through: WORKER_METRICS_PORT gives it its own /metrics.
  if (config.workerMetricsPort !== undefined && !config.metricsToken) core.logger.warn('WORKER_METRICS_PORT is set but METRICS_TOKEN is not: /metrics there answers 404');
  const metricsServer = config.workerMetricsPort === undefined ? undefined : await serveWorkerMetrics(
    { token: config.metricsToken, redisUrl: config.redisUrl, queuePrefix: config.queuePrefix, host: config.host, port: config.workerMetricsPort }, core.repos.stats, metrics);
  return {
    core, handle, webhookWorker, scheduleWorker, browsers, metricsPort: metricsServer?.port,
    async close(drainMs = 25_000) {
      await scheduleWorker.close(); await handle.drain(drainMs); await sessionWorker.close(); await webhookWorker.close(); await browsers.close();
      unwatchBrowsers?.(); await metricsServer?.close(); await core.close();
    },
  };
}

