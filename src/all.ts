// Local mode: API and worker in one process (`npm run up`).
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from './config/index.ts';
import { reportLlmSettings } from './llm-status.ts';
import { createProcessMetrics } from './metrics/index.ts';
import { createApi, createWorker } from './processes.ts';

const config = loadConfig();
// One process, one set of process metrics: the API's /metrics also shows the worker's runs and model calls.
const metrics = config.metricsToken ? createProcessMetrics() : undefined;
const api = await createApi(config, { metrics });
const worker = await createWorker(config, { migrate: false, metrics });
reportLlmSettings(api.core.logger, config.env);
await api.app.listen({ port: config.port, host: config.host });
// `npm run down` finds this process by its pid file.
const pidFile = path.join(config.dataDir, 'skyport.pid');
writeFileSync(pidFile, `${process.pid}\n`);

const localServices = (config.env.SKYPORT_LOCAL_SERVICES ?? '').split(' ').filter(Boolean).join(' and ');
console.log(`\nSkyport is serving on http://localhost:${config.port}  (Swagger UI: http://localhost:${config.port}/docs)`);
console.log(`API key (also in ${config.dataDir}/api_key): ${api.apiKey}`);
console.log(`Your runs: ${config.appUrl}/runs (sign in with the API key)`);
console.log(`Stop: Ctrl-C stops the server${localServices ? `; npm run down also stops ${localServices}` : ''}.\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping: finishing runs in progress (up to DRAIN_TIMEOUT_MS), then closing…');
  await api.app.close();
  await worker.close(Number(config.env.DRAIN_TIMEOUT_MS ?? 25_000));
  await api.core.close();
  rmSync(pidFile, { force: true });
  console.log(localServices ? `Skyport stopped. ${localServices} still run under ${config.dataDir}: npm run down stops them.` : 'Skyport stopped.');
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
