// Keeping secrets out of an http_request block's recorded output. Skyvern masks the values of the
// run's secret parameters; handlers here do not see which values are secret, so we mask what is
// secret by position instead: credential-bearing headers, and the response fields the block names
// in `secret_response_paths`.

export const MASK = '*****';

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token)$|token|secret|password|api[-_]?key/i;

export function maskHeaders(headers: Record<string, string> | null | undefined): Record<string, string> | null {
  if (!headers) return headers ?? null;
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, SECRET_HEADER.test(name) ? MASK : value]));
}

/** Secrets that appear verbatim elsewhere (e.g. a token echoed in a body) are masked too. */
export function secretHeaderValues(headers: Record<string, string> | null | undefined): string[] {
  return Object.entries(headers ?? {})
    .filter(([name, value]) => SECRET_HEADER.test(name) && value.length >= 6)
    .flatMap(([, value]) => {
      const bare = value.replace(/^(bearer|basic|token)\s+/i, '');
      return bare !== value && bare.length >= 6 ? [value, bare] : [value];
    });
}

/** Replaces every occurrence of any secret in the strings of `value` (deep copy). */
export function maskValues<T>(value: T, secrets: string[]): T {
  if (secrets.length === 0) return value;
  const sorted = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return sorted.reduce((text, secret) => text.split(secret).join(MASK), node);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(value) as T;
}

/**
 * Masks the value at each dotted path (`data.token`, `items.0.key`) of a parsed JSON body, in place.
 * Returns the paths that did not lead to a non-empty string; Skyvern then redacts the whole body.
 */
export function maskSecretPaths(body: unknown, paths: string[]): { unresolved: string[]; secrets: string[] } {
  const unresolved: string[] = [];
  const secrets: string[] = [];
  for (const rawPath of new Set(paths.map((p) => p.trim()).filter(Boolean))) {
    const keys = rawPath.split('.');
    let parent: unknown = null;
    let node: unknown = body;
    for (const key of keys) {
      parent = node;
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
    const last = keys.at(-1)!;
    if (typeof node === 'string' && node !== '' && parent && typeof parent === 'object') {
      secrets.push(node);
      (parent as Record<string, unknown>)[last] = MASK;
    } else {
      unresolved.push(rawPath);
    }
  }
  return { unresolved, secrets };
}

export const REDACTED_BODY = '<response body redacted: secret_response_paths did not fully resolve>';
