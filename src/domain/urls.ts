import { validationError } from './errors.ts';
import { activePolicy, checkHost } from './outbound-policy.ts';

/**
 * Skyvern accepts `example.com` and means `https://example.com`; anything that still does not
 * parse as an http(s) URL with a host is a 422 naming the field.
 */
export function normalizeHttpUrl(value: string, loc: (string | number)[]): string {
  const trimmed = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let parsed: URL;
  try { parsed = new URL(withScheme); } catch { throw validationError(loc, `Invalid URL: ${value}`, 'url_parsing'); }
  if (!['http:', 'https:'].includes(parsed.protocol)) throw validationError(loc, `URL scheme must be http or https: ${value}`, 'url_scheme');
  if (!parsed.hostname) throw validationError(loc, `URL has no host: ${value}`, 'url_parsing');
  // The outbound policy without DNS (names are judged again on every connection): metadata names,
  // deny-listed hosts and refused IP literals in any spelling (`[::ffff:169.254.169.254]`, `2852039166`).
  const decision = checkHost(activePolicy(), parsed.hostname, String(loc[loc.length - 1] ?? 'url'));
  if (!decision.ok) throw validationError(loc, decision.reason, 'value_error');
  return parsed.href;
}

/** A CDP address: http(s) or ws(s) with a host. */
export function validateBrowserAddress(value: string, loc: (string | number)[]): string {
  let parsed: URL;
  try { parsed = new URL(value); } catch { throw validationError(loc, `Invalid browser_address: ${value}`, 'url_parsing'); }
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol) || !parsed.hostname) {
    throw validationError(loc, 'browser_address must be an http(s) or ws(s) URL with a host', 'value_error');
  }
  return value;
}

/** Header values of `cdp_connect_headers` are credentials: echoed back masked. */
export function maskHeaderValues(headers: Record<string, string> | null | undefined): Record<string, string> | null | undefined {
  if (!headers) return headers;
  return Object.fromEntries(Object.keys(headers).map((k) => [k, '****']));
}
