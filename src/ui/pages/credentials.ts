import type { CredentialRow } from '../../db/repositories/credentials.repo.ts';
import { when } from '../format.ts';
import { html, type Html } from '../html.ts';
import { page, type PageContext } from './layout.ts';

/** Names and kinds only: the viewer never shows a credential's values, not even masked ones. */
export function credentialsPage(ctx: PageContext, rows: CredentialRow[]): Html {
  return page('Credentials', html`<h1>Credentials</h1>
${rows.length ? html`<table class="credentials"><thead><tr><th>Name</th><th>Type</th><th>ID</th><th>Created</th></tr></thead><tbody>
${rows.map((c) => html`<tr><td>${c.name}</td><td>${c.credentialType}</td><td><code>${c.credentialId}</code></td><td>${when(c.createdAt)}</td></tr>`)}
</tbody></table>` : html`<p class="empty">No credentials stored.</p>`}`, ctx);
}
