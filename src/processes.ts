// The two process roles. `api.ts`, `worker.ts` and `all.ts` are thin entries over these.
import type { FastifyInstance } from 'fastify';
import { BrowserPool } from './browser/pool.ts';
import { linkSystemFfmpeg } from './browser/playwright-ffmpeg.ts';
import type { Config } from './config/index.ts';
import { buildCore, scratchDirOf, type Core } from './composition.ts';
import { buildApp } from './http/app.ts';
import { buildAppServices } from './http/build-services.ts';
import type { AppServices } from './http/services.ts';
import { startRunWorker, type RunWorkerHandle } from './jobs/run-worker.ts';
import { startBrowserSessionWorker } from './jobs/browser-session-worker.ts';
import { startWebhookWorker, type WebhookWorkerHandle } from './jobs/webhook-worker.ts';
import { startSchedulesInWorker, type ScheduleWorkerHandle } from './jobs/schedule-worker.ts';
import { llmStatusFromEnv } from './llm-status.ts';
import { createLlmClient, parseLlmEnv } from './llm/index.ts';
import { llmOtpExtractor } from './engine/otp/llm-otp-extractor.ts';
import { checkScriptSource } from './engine/scripts/script-sandbox.ts';

export interface ApiProcess { app: FastifyInstance; core: Core; services: AppServices; apiKey: string; organizationId: string; close(): Promise<void> }

export async function createApi(config: Config, opts: { migrate?: boolean } = {}): Promise<ApiProcess> {
  const core = await buildCore(config, { name: 'api', migrate: opts.migrate ?? true });
  const llm = llmStatusFromEnv(config.env);
  // Pushed OTP content the deterministic parser cannot read goes to the (secondary) model, when one is configured.
  const llmClient = llm.configured ? createLlmClient(parseLlmEnv(config.env), core.logger.child({ module: 'llm' })) : undefined;
  const services = buildAppServices(core, {
    llmProblems: () => llm.problems,
    otpExtractor: llmClient?.configured ? llmOtpExtractor(llmClient) : undefined,
    // Uploaded script code is compiled (never run) by the engine's sandbox before it is stored.
    checkScriptSource,
    probes: [
      { name: 'database', check: async () => { await core.repos.runs.countRunning('none'); } },
      { name: 'redis', check: async () => { await core.runQueue.state('health-probe'); } },
    ],
  });
  const app = await buildApp(services, { logger: core.logger, bodyLimitBytes: config.bodyLimitBytes });
  const { apiKey, organizationId } = await services.organizations.ensureLocalOrganization();
  return { app, core, services, apiKey, organizationId, async close() { await app.close(); await core.close(); } };
}

export interface WorkerProcess { core: Core; handle: RunWorkerHandle; webhookWorker: WebhookWorkerHandle; scheduleWorker: ScheduleWorkerHandle; browsers: BrowserPool; close(drainMs?: number): Promise<void> }

export async function createWorker(config: Config, opts: { migrate?: boolean } = {}): Promise<WorkerProcess> {
  const core = await buildCore(config, { name: 'worker', migrate: opts.migrate ?? true });
  if (!linkSystemFfmpeg()) core.logger.warn('no ffmpeg at /usr/bin/ffmpeg: runs will have no video recording');
  const browsers = new BrowserPool(config.chromiumPath);
  await browsers.warm();
  // One LLM client per worker; without a usable one, runs fail with a reason that says what to set.
  const llm = createLlmClient(parseLlmEnv(config.env), core.logger.child({ module: 'llm' }));
  const handle = await startRunWorker({ ...core, browsers, llm, scratchDir: scratchDirOf(config) });
  // Persistent browser sessions: one Chromium per session, held by this process while it lives.
  const sessionWorker = await startBrowserSessionWorker({ ...core, scratchDir: scratchDirOf(config) });
  // Deliveries are worker work: the API only records and enqueues them.
  const webhookWorker = startWebhookWorker(core);
  // Schedules fire in workers: the clock's jobs, plus the latest slot missed while no worker was up.
  const scheduleWorker = await startSchedulesInWorker(core);
  return {
    core, handle, webhookWorker, scheduleWorker, browsers,
    async close(drainMs = 25_000) { await scheduleWorker.close(); await handle.drain(drainMs); await sessionWorker.close(); await webhookWorker.close(); await browsers.close(); await core.close(); },
  };
}

