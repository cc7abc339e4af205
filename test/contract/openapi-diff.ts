// Compares our OpenAPI document with Skyvern's, operation by operation, and lists every place
// where ours accepts less or promises less than the contract (a "narrowing").
type Json = any;

export function resolver(doc: Json) {
  const resolve = (schema: Json, seen = new Set<string>()): Json => {
    if (!schema || typeof schema !== 'object') return schema;
    if (schema.$ref) {
      if (seen.has(schema.$ref)) return {};
      const target = schema.$ref.replace('#/', '').split('/').reduce((o: Json, k: string) => o?.[k], doc);
      return resolve(target, new Set([...seen, schema.$ref]));
    }
    return schema;
  };
  return resolve;
}

/** The object branch of a schema (unwrapping `anyOf [X, null]`), with its properties and required list. */
export function objectShape(schema: Json, resolve: (s: Json) => Json): { properties: Record<string, Json>; required: string[] } | undefined {
  const s = resolve(schema);
  if (!s) return undefined;
  if (s.properties) return { properties: s.properties, required: s.required ?? [] };
  for (const branch of s.anyOf ?? s.oneOf ?? s.allOf ?? []) {
    const shape = objectShape(branch, resolve);
    if (shape) return shape;
  }
  return undefined;
}

export function enumValues(schema: Json, resolve: (s: Json) => Json): string[] | undefined {
  const s = resolve(schema);
  if (!s) return undefined;
  if (Array.isArray(s.enum)) return s.enum;
  for (const branch of s.anyOf ?? s.oneOf ?? []) {
    const values = enumValues(branch, resolve);
    if (values) return values;
  }
  if (s.items) return enumValues(s.items, resolve);
  return undefined;
}

const fastifyPathToOpenApi = (p: string) => p.replace(/:([A-Za-z_]+)/g, '{$1}');

export interface Narrowing { operation: string; problem: string }

export function diffOperations(ours: Json, theirs: Json): { compared: string[]; missingInReference: string[]; problems: Narrowing[] } {
  const rOurs = resolver(ours); const rTheirs = resolver(theirs);
  const problems: Narrowing[] = []; const compared: string[] = []; const missingInReference: string[] = [];
  for (const [rawPath, item] of Object.entries<Json>(ours.paths ?? {})) {
    const path = fastifyPathToOpenApi(rawPath);
    for (const [method, op] of Object.entries<Json>(item)) {
      const name = `${method.toUpperCase()} ${path}`;
      const ref = theirs.paths?.[path]?.[method];
      if (!ref) { missingInReference.push(name); continue; }
      compared.push(name);
      const add = (problem: string) => problems.push({ operation: name, problem });
      if (op.operationId !== ref.operationId) add(`operationId ${op.operationId} != ${ref.operationId}`);

      const ourParams = new Set((op.parameters ?? []).map((p: Json) => `${p.in}:${p.name}`));
      for (const p of ref.parameters ?? []) {
        if (p.in === 'header') continue; // headers (x-api-key, x-user-agent…) are read by plugins, not declared per route
        if (!ourParams.has(`${p.in}:${p.name}`)) add(`missing ${p.in} parameter ${p.name}`);
        const theirEnum = enumValues(p.schema, rTheirs);
        const ourParam = (op.parameters ?? []).find((q: Json) => q.name === p.name && q.in === p.in);
        const ourEnum = ourParam && enumValues(ourParam.schema, rOurs);
        if (theirEnum && ourEnum) for (const v of theirEnum) if (!ourEnum.includes(v)) add(`parameter ${p.name} lacks enum value ${v}`);
      }

      const refBody = ref.requestBody?.content?.['application/json']?.schema;
      if (refBody && op.requestBody?.required && !ref.requestBody?.required) add('request body required by us only');
      if (refBody) {
        const theirShape = objectShape(refBody, rTheirs);
        const ourShape = objectShape(op.requestBody?.content?.['application/json']?.schema, rOurs);
        if (theirShape && !ourShape) add('request body not declared');
        if (theirShape && ourShape) {
          for (const [field, schema] of Object.entries<Json>(theirShape.properties)) {
            if (!(field in ourShape.properties)) { add(`request field ${field} not accepted`); continue; }
            const theirEnum = enumValues(schema, rTheirs); const ourEnum = enumValues(ourShape.properties[field], rOurs);
            if (theirEnum && ourEnum) for (const v of theirEnum) if (!ourEnum.includes(v)) add(`request field ${field} lacks enum value ${v}`);
          }
          for (const field of ourShape.required) if (!theirShape.required.includes(field)) add(`request field ${field} required by us only`);
        }
      }

      const refResp = ref.responses?.['200']?.content?.['application/json']?.schema;
      const ourResp = op.responses?.['200']?.content?.['application/json']?.schema;
      const theirOut = refResp && objectShape(rTheirs(refResp).items ?? refResp, rTheirs);
      const ourOut = ourResp && objectShape(rOurs(ourResp).items ?? ourResp, rOurs);
      if (theirOut && ourOut) {
        for (const field of theirOut.required) if (!(field in ourOut.properties)) add(`response lacks required field ${field}`);
        for (const [field, schema] of Object.entries<Json>(theirOut.properties)) {
          if (!(field in ourOut.properties)) { add(`response lacks field ${field}`); continue; }
          const theirEnum = enumValues(schema, rTheirs); const ourEnum = enumValues(ourOut.properties[field], rOurs);
          if (theirEnum && ourEnum) for (const v of theirEnum) if (!ourEnum.includes(v)) add(`response field ${field} lacks enum value ${v}`);
        }
      }
    }
  }
  return { compared, missingInReference, problems };
}
