export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: { title: 'Skyport API', version: '0.1.0', description: "Self-hosted server speaking Skyvern's HTTP API." },
  components: {
    securitySchemes: { ApiKeyHeader: { type: 'apiKey' as const, in: 'header' as const, name: 'x-api-key' } },
  },
  security: [{ ApiKeyHeader: [] }],
};

type OpenApiDoc = { paths?: Record<string, Record<string, { requestBody?: { required?: boolean; content?: Record<string, { schema?: { required?: string[] } }> } }>> };

/**
 * @fastify/swagger marks every declared body as required. A body whose schema requires no field
 * is optional (the SDK sends none on `retry_run_webhook`), as Skyvern's document says.
 */
export function markOptionalBodies(input: { openapiObject: Partial<OpenApiDoc> }): OpenApiDoc {
  const doc = input.openapiObject as OpenApiDoc;
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item)) {
      const schema = op.requestBody?.content?.['application/json']?.schema;
      if (op.requestBody && schema && !(schema.required?.length)) op.requestBody.required = false;
    }
  }
  return doc;
}
