import { html, type Html } from '../html.ts';
import { page } from './layout.ts';

export function loginPage(opts: { error?: string; next?: string }): Html {
  return page('Sign in', html`<section class="login">
<h1>Sign in to the run viewer</h1>
<p>Paste an API key of your organization (the one in <code>.data/api_key</code>, or <code>SKYVERN_API_KEY</code>). You only see that organization's runs.</p>
${opts.error ? html`<p class="notice notice-error" role="alert">${opts.error}</p>` : ''}
<form method="post" action="/login">
<label for="api_key">API key</label>
<input id="api_key" name="api_key" type="password" autocomplete="off" required autofocus>
<input type="hidden" name="next" value="${opts.next ?? '/runs'}">
<button type="submit">Sign in</button>
</form></section>`);
}
