// How values read on the viewer's pages.
import { html, type Html } from './html.ts';

export function duration(from: Date | null | undefined, to: Date | null | undefined): string {
  if (!from) return '—';
  const ms = (to ?? new Date()).getTime() - from.getTime();
  if (ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const when = (d: Date | null | undefined): string => (d ? d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '—');

export const usd = (n: number | null | undefined): string => (n ? `$${n < 0.01 ? n.toFixed(4) : n.toFixed(2)}` : '$0');

export const tokens = (input: number, output: number): string => `${input.toLocaleString('en-US')} in / ${output.toLocaleString('en-US')} out`;

export function statusBadge(status: string): Html {
  return html`<span class="status status-${status}" data-status="${status}">${status}</span>`;
}

/** Pretty JSON for <pre> blocks. */
export const json = (value: unknown): string => JSON.stringify(value, null, 2) ?? 'null';

const SECRET_KEY = /pass(word)?|secret|token|api[_-]?key|authorization|cookie|otp|totp|private|credential_value|card|cvv/i;

/**
 * A run's request as shown on its page: values under names that look like secrets, and every header
 * value, are masked (requests may carry them in parameters or headers; the viewer never shows them).
 */
export function maskSecrets(value: unknown, key = '', inHeaders = false): unknown {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v, key, inHeaders));
  if (value && typeof value === 'object') {
    const headers = /headers$/i.test(key);
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskSecrets(v, k, headers)]));
  }
  if (value === null || value === undefined || value === '') return value;
  if (inHeaders || SECRET_KEY.test(key)) return '••••••';
  return value;
}

/** What a run is called on a page: its title, else the start of its prompt or goal. */
export function runTitle(run: { title: string | null; request: unknown }): string | undefined {
  if (run.title) return run.title;
  const r = (run.request ?? {}) as Record<string, unknown>;
  const text = [r.prompt, r.navigation_goal, r.data_extraction_goal].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (!text) return undefined;
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}
