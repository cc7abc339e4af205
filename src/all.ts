// Local mode: API and worker in one process (`npm run up`).
import { loadConfig } from './config/index.ts';
import { createApi, createWorker } from './processes.ts';

const config = loadConfig();
const api = await createApi(config);
const worker = await createWorker(config, { migrate: false });
await api.app.listen({ port: config.port, host: config.host });
console.log(`\nSkyport is serving on http://localhost:${config.port}  (Swagger UI: http://localhost:${config.port}/docs)`);
console.log(`API key (also in ${config.dataDir}/api_key): ${api.apiKey}\n`);
const stop = async () => { await api.app.close(); await worker.close(Number(config.env.DRAIN_TIMEOUT_MS ?? 25_000)); await api.core.close(); process.exit(0); };
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
