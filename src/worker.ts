import { loadConfig } from './config/index.ts';
import { reportLlmSettings } from './llm-status.ts';
import { createWorker } from './processes.ts';

const config = loadConfig();
const worker = await createWorker(config);
reportLlmSettings(worker.core.logger, config.env);
worker.core.logger.info({ concurrency: config.workerConcurrency }, 'worker started');
// SIGTERM drains: in-flight runs get time to finish, then are handed back to the queue.
const stop = async () => { await worker.close(Number(config.env.DRAIN_TIMEOUT_MS ?? 25_000)); process.exit(0); };
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
