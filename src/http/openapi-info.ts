export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: { title: 'Skyport API', version: '0.1.0', description: "Self-hosted server speaking Skyvern's HTTP API." },
  components: {
    securitySchemes: { ApiKeyHeader: { type: 'apiKey' as const, in: 'header' as const, name: 'x-api-key' } },
  },
  security: [{ ApiKeyHeader: [] }],
};
