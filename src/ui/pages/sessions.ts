import type { BrowserSessionResponse } from '../../contracts/browser-sessions.ts';
import { html, type Html } from '../html.ts';
import { actionButton, notice, page, type PageContext } from './layout.ts';

const fmt = (t: string | null | undefined) => (t ? `${t.replace('T', ' ').slice(0, 19)} UTC` : '—');

export function sessionsPage(ctx: PageContext, sessions: BrowserSessionResponse[], message?: string): Html {
  return page('Browser sessions', html`<h1>Browser sessions</h1>${notice(message)}
<p>${actionButton(ctx, '/browser-sessions', 'Open a browser session')}</p>
${sessions.length ? html`<table class="sessions"><thead><tr><th>Session</th><th>Status</th><th>Started</th><th>Timeout</th><th>Address</th><th></th></tr></thead><tbody>
${sessions.map((s) => html`<tr><td><a href="/browser-session/${s.browser_session_id}"><code>${s.browser_session_id}</code></a></td><td>${s.status ?? ''}</td><td>${fmt(s.started_at)}</td><td>${s.timeout ?? '—'} min</td>
<td>${s.browser_address ? html`<code>${s.browser_address}</code>` : '—'}</td><td>${actionButton(ctx, `/browser-session/${s.browser_session_id}/close`, 'Close', { danger: true })}</td></tr>`)}
</tbody></table>` : html`<p class="empty">No open browser sessions.</p>`}`, ctx);
}

export function sessionPage(ctx: PageContext, s: BrowserSessionResponse, message?: string): Html {
  const open = !s.completed_at;
  return page(s.browser_session_id, html`<h1>Browser session <code>${s.browser_session_id}</code></h1>${notice(message)}
<dl class="facts"><dt>Status</dt><dd>${s.status ?? ''}</dd><dt>Started</dt><dd>${fmt(s.started_at)}</dd><dt>Ended</dt><dd>${fmt(s.completed_at)}</dd>
<dt>Timeout</dt><dd>${s.timeout ?? '—'} min</dd><dt>CDP address</dt><dd>${s.browser_address ? html`<code>${s.browser_address}</code>` : '—'}</dd></dl>
${open ? actionButton(ctx, `/browser-session/${s.browser_session_id}/close`, 'Close session', { danger: true }) : ''}
<p><a href="/browser-sessions">All sessions</a></p>`, ctx);
}
