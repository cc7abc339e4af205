// `http_request`: one outbound HTTP call. The output records both sides of the exchange (Skyvern's
// keys, §2.6 of the API notes); a non-2xx answer fails the block but keeps that output so later
// blocks and the user can see what the server said.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BlockYamlOf } from '../../../../domain/workflow/index.ts';
import type { BlockHandler, BlockRunContext } from '../block-handler.ts';
import { fileNameFrom, fileSourceOptions, loadFile, MAX_FILE_BYTES, readBodyCapped } from './file-source.ts';
import { maskHeaders, maskSecretPaths, maskValues, REDACTED_BODY, secretHeaderValues } from './http-masking.ts';
import { canceled, completed, errorMessage, failed } from './results.ts';
import { outboundFetch, refusalIn } from '../../../../net/outbound.ts';

type HttpRequestBlock = BlockYamlOf<'http_request'>;

const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

class RequestTimeout extends Error {}

export const httpRequestBlock: BlockHandler<HttpRequestBlock> = async (ctx) => {
  const { block } = ctx;
  const method = (block.method || 'GET').toUpperCase();
  const url = block.url?.trim();
  if (!url) return failed('URL is required for HTTP request');
  if (!/^https?:$/.test(safeUrl(url)?.protocol ?? '')) return failed(`Invalid URL format: ${url}`);
  if (block.secret_response_paths?.length && block.save_response_as_file) {
    return failed('secret_response_paths cannot be combined with save_response_as_file');
  }
  const timeoutMs = block.timeout && block.timeout > 0 ? block.timeout * 1000 : ctx.settings.httpRequestDefaultTimeoutMs;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new RequestTimeout()), timeoutMs);
  const secrets = secretHeaderValues(block.headers);

  try {
    // The outbound policy checks every hop of the redirect chain, at connect time too.
    const response = await outboundFetch(url, {
      method,
      headers: requestHeaders(block),
      body: await requestBody(ctx, method),
      signal: AbortSignal.any([ctx.signal, timeout.signal]),
    }, { label: 'http_request', followRedirects: block.follow_redirects !== false });
    if (block.save_response_as_file) return await saveResponse(ctx, response, url);

    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => { responseHeaders[name] = value; });
    let responseBody = parseBody(await readBodyCapped(response, MAX_RESPONSE_BYTES, url), response.headers.get('content-type'));
    let ok = response.status >= 200 && response.status < 300;
    let failureReason: string | null = null;
    if (block.secret_response_paths?.length) {
      const { unresolved, secrets: found } = maskSecretPaths(responseBody, block.secret_response_paths);
      secrets.push(...found);
      if (unresolved.length > 0) {
        responseBody = REDACTED_BODY;
        if (ok) failureReason = `secret_response_paths did not resolve to a non-empty string: ${unresolved.join(', ')}`;
        ok = false;
      }
    }
    const output = maskValues({
      status_code: response.status,
      response_headers: maskHeaders(responseHeaders),
      response_body: responseBody,
      request_method: method,
      request_url: url,
      request_headers: maskHeaders(block.headers),
      request_body: block.body ?? null,
      // Skyvern's older aliases, kept so `{{ x_output.body }}` keeps working.
      headers: maskHeaders(responseHeaders),
      body: responseBody,
      url,
    }, secrets);
    if (ok) return completed(output);
    const shown = typeof output.response_body === 'string' ? output.response_body : JSON.stringify(output.response_body);
    return failed(failureReason ?? `HTTP ${response.status}: ${truncate(shown ?? '', 500)}`, output);
  } catch (error) {
    if (ctx.signal.aborted) return canceled(ctx.signal);
    if (timeout.signal.aborted) {
      return failed(`Request timed out after ${timeoutMs / 1000} seconds`, { error: 'Request timed out', error_type: 'timeout' });
    }
    const refusal = refusalIn(error);
    if (refusal) return failed(refusal.message, { error: refusal.message, error_type: 'outbound_policy' });
    const message = maskValues(describeFetchError(error), secrets);
    return failed(`HTTP request failed: ${message}`, { error: message, error_type: 'unknown' });
  } finally {
    clearTimeout(timer);
  }
};

function requestHeaders(block: HttpRequestBlock): Record<string, string> {
  const headers: Record<string, string> = { ...(block.headers ?? {}) };
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  const sendsBody = block.body != null && !['GET', 'HEAD'].includes((block.method || 'GET').toUpperCase());
  if (sendsBody && !hasType && !block.files) headers['Content-Type'] = 'application/json';
  // multipart sets its own Content-Type with the boundary
  if (block.files) for (const h of Object.keys(headers)) if (h.toLowerCase() === 'content-type') delete headers[h];
  return headers;
}

/**
 * `body` is sent as JSON unless the headers ask for a form (Skyvern sends a dict as a form when no
 * JSON content type is given; we default to JSON, which is what nearly every API wants).
 * `files` maps form fields to files (URLs or run files) and turns the request into multipart.
 */
async function requestBody(ctx: BlockRunContext<HttpRequestBlock>, method: string): Promise<BodyInit | undefined> {
  const { body, files, headers } = ctx.block;
  if (method === 'GET' || method === 'HEAD') return undefined;
  if (files && Object.keys(files).length > 0) {
    const form = new FormData();
    const options = fileSourceOptions(ctx);
    for (const [field, ref] of Object.entries(files)) {
      const file = await loadFile(ref, { ...options, maxBytes: MAX_FILE_BYTES });
      form.append(field, new Blob([new Uint8Array(file.data)]), file.name);
    }
    for (const [key, value] of Object.entries(body ?? {})) form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
    return form;
  }
  if (body == null) return undefined;
  const type = Object.entries(headers ?? {}).find(([h]) => h.toLowerCase() === 'content-type')?.[1] ?? '';
  if (/application\/x-www-form-urlencoded/i.test(type)) {
    return new URLSearchParams(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  }
  return JSON.stringify(body);
}

/** JSON bodies come back parsed (as Skyvern's aiohttp `response.json()`), anything else as text. */
function parseBody(raw: Buffer, contentType: string | null): unknown {
  const text = raw.toString('utf8');
  if (/json/i.test(contentType ?? '')) {
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** `save_response_as_file`: the body goes to the run's downloads folder, the output describes the file. */
async function saveResponse(ctx: BlockRunContext<HttpRequestBlock>, response: Response, url: string) {
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    return failed(`HTTP ${response.status}`, { error: `HTTP ${response.status}`, error_type: 'http_error' });
  }
  const data = await readBodyCapped(response, MAX_FILE_BYTES, url);
  const name = path.basename(ctx.block.download_filename?.trim() || fileNameFrom(response.headers.get('content-disposition'), url));
  const { downloadsDir } = await ctx.browser();
  const filePath = path.join(downloadsDir, name);
  await writeFile(filePath, data);
  return completed({ file_path: filePath, file_name: name, file_size: data.length });
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** undici hides the useful part ("ECONNREFUSED 127.0.0.1:1") in `cause`. */
function describeFetchError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${errorMessage(error)}${cause}`;
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

