import type { RunRow } from '../../db/repositories/runs.repo.ts';
import type { WorkflowRow } from '../../db/repositories/workflows.repo.ts';
import { duration, statusBadge, when } from '../format.ts';
import { html, type Html } from '../html.ts';
import { page, type PageContext } from './layout.ts';

export interface ScheduleLine { id: string; name: string | null; cron: string; timezone: string; enabled: boolean; nextRuns: string[] }

export function workflowsPage(ctx: PageContext, rows: Array<{ workflow: WorkflowRow; lastRun?: RunRow }>): Html {
  return page('Workflows', html`<h1>Workflows</h1>
${rows.length ? html`<table class="workflows"><thead><tr><th>Title</th><th>ID</th><th>Version</th><th>Last run</th><th>Updated</th></tr></thead><tbody>
${rows.map(({ workflow: w, lastRun }) => html`<tr><td><a href="/workflows/${w.workflowPermanentId}">${w.title}</a></td><td><code>${w.workflowPermanentId}</code></td><td class="num">${w.version}</td>
<td>${lastRun ? html`<a href="/runs/${lastRun.runId}">${statusBadge(lastRun.status)}</a> <small>${when(lastRun.createdAt)}</small>` : '—'}</td><td>${when(w.modifiedAt)}</td></tr>`)}
</tbody></table>` : html`<p class="empty">No workflows yet.</p>`}`, ctx);
}

export function workflowPage(ctx: PageContext, versions: WorkflowRow[], runs: RunRow[], schedules: ScheduleLine[]): Html {
  const latest = versions[versions.length - 1]!;
  return page(latest.title, html`<h1>${latest.title}</h1><p><code>${latest.workflowPermanentId}</code> · version ${latest.version}</p>
<section><h2>Last runs</h2>${runs.length ? html`<table class="runs"><thead><tr><th>Run</th><th>Status</th><th>Started</th><th>Duration</th><th>Steps</th></tr></thead><tbody>
${runs.map((r) => html`<tr><td><a href="/runs/${r.runId}"><code>${r.runId}</code></a></td><td>${statusBadge(r.status)}</td><td>${when(r.startedAt)}</td><td>${r.startedAt ? duration(r.startedAt, r.finishedAt) : '—'}</td><td class="num">${r.stepCount}</td></tr>`)}
</tbody></table><p><a href="/runs?workflow=${latest.workflowPermanentId}">All runs of this workflow →</a></p>` : html`<p class="empty">Never run.</p>`}</section>
<section><h2>Schedules</h2>${schedules.length ? html`<table><thead><tr><th>Schedule</th><th>Cron</th><th>Time zone</th><th>Enabled</th><th>Next fire times</th></tr></thead><tbody>
${schedules.map((s) => html`<tr><td>${s.name ?? s.id}</td><td><code>${s.cron}</code></td><td>${s.timezone}</td><td>${s.enabled ? 'yes' : 'no'}</td><td>${s.enabled ? s.nextRuns.slice(0, 3).map((t) => html`<div>${t.replace('T', ' ').slice(0, 16)} UTC</div>`) : '—'}</td></tr>`)}
</tbody></table>` : html`<p class="empty">No schedules.</p>`}</section>
<section><h2>Versions</h2><table><thead><tr><th>Version</th><th>ID</th><th>Created</th></tr></thead><tbody>
${[...versions].reverse().map((v) => html`<tr><td class="num">${v.version}</td><td><code>${v.workflowId}</code></td><td>${when(v.createdAt)}</td></tr>`)}
</tbody></table></section>`, ctx);
}
