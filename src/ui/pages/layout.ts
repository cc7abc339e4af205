// The frame every signed-in page shares: navigation, sign-out, the stylesheet and the one script.
import { html, type Html } from '../html.ts';

export interface PageContext { csrfToken: string; path: string }

const NAV: Array<[string, string]> = [['/runs', 'Runs'], ['/workflows', 'Workflows'], ['/browser-sessions', 'Browser sessions'], ['/credentials', 'Credentials']];

export function page(title: string, body: Html, ctx?: PageContext): Html {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Skyport</title><link rel="stylesheet" href="/ui/assets/viewer.css"><script src="/ui/assets/viewer.js" defer></script></head>
<body>
<header class="top"><a class="brand" href="/runs">Skyport</a>
${ctx ? html`<nav>${NAV.map(([href, label]) => html`<a href="${href}" class="${ctx.path.startsWith(href) ? 'active' : ''}">${label}</a>`)}</nav>
<form method="post" action="/logout" class="signout"><input type="hidden" name="csrf" value="${ctx.csrfToken}"><button type="submit">Sign out</button></form>` : ''}
</header>
<main>${body}</main>
</body></html>`;
}

/** A POST button carrying the session's CSRF token. */
export function actionButton(ctx: PageContext, action: string, label: string, opts: { danger?: boolean; confirm?: string } = {}): Html {
  return html`<form method="post" action="${action}" class="inline"${opts.confirm ? html` data-confirm="${opts.confirm}"` : ''}>
<input type="hidden" name="csrf" value="${ctx.csrfToken}"><button type="submit" class="${opts.danger ? 'danger' : ''}">${label}</button></form>`;
}

export function notice(message: string | undefined, kind: 'ok' | 'error' = 'ok'): Html {
  return message ? html`<p class="notice notice-${kind}" role="status">${message}</p>` : html``;
}
