import { loadConfig } from './config/index.ts';
import { reportLlmSettings } from './llm-status.ts';
import { createApi } from './processes.ts';

const config = loadConfig();
const api = await createApi(config);
reportLlmSettings(api.core.logger, config.env);
await api.app.listen({ port: config.port, host: config.host });
api.core.logger.info({ port: config.port }, 'api listening');
console.log(`Skyport API on http://localhost:${config.port}  (docs: /docs)\nAPI key: ${api.apiKey}`);
const stop = async () => { await api.close(); process.exit(0); };
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
