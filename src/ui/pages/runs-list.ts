import type { RunRow } from '../../db/repositories/runs.repo.ts';
import { RUN_STATUSES, RUN_TYPES } from '../../domain/run-status.ts';
import type { RunListFilters, RunListPage } from '../../services/viewer/types.ts';
import { duration, runTitle, statusBadge, usd, when } from '../format.ts';
import { html, query, type Html } from '../html.ts';
import { page, type PageContext } from './layout.ts';

const day = (d: Date | undefined) => (d ? d.toISOString().slice(0, 10) : '');

export function runsListPage(ctx: PageContext, f: RunListFilters, result: RunListPage): Html {
  const base = { status: f.status, type: f.type, workflow: f.workflow, tag: f.tag, q: f.search, from: day(f.from), to: day(f.before ? new Date(f.before.getTime() - 86_400_000) : undefined) };
  const select = (name: string, values: readonly string[], current?: string) => html`<select name="${name}" id="f-${name}"><option value="">any</option>${values.map((v) => html`<option${v === current ? html` selected` : ''}>${v}</option>`)}</select>`;
  return page('Runs', html`<h1>Runs</h1>
<form class="filters" method="get" action="/runs">
<label>Run ID or title <input name="q" value="${f.search ?? ''}" placeholder="tsk_… / wr_…"></label>
<label>Status ${select('status', RUN_STATUSES, f.status)}</label>
<label>Type ${select('type', RUN_TYPES, f.type)}</label>
<label>Workflow <input name="workflow" value="${f.workflow ?? ''}" placeholder="wpid_…"></label>
<label>Tag <input name="tag" value="${f.tag ?? ''}" placeholder="key:value"></label>
<label>From <input type="date" name="from" value="${base.from}"></label>
<label>To <input type="date" name="to" value="${base.to}"></label>
<button type="submit">Filter</button> <a href="/runs">Clear</a>
</form>
${result.runs.length === 0 ? html`<p class="empty">No runs match.</p>` : html`<table class="runs">
<thead><tr><th>Run</th><th>Status</th><th>Type</th><th>Title</th><th>Workflow</th><th>Started</th><th>Finished</th><th>Duration</th><th>Steps</th><th>Cost</th></tr></thead>
<tbody>${result.runs.map(runRow)}</tbody></table>`}
<nav class="pager">
${f.page > 1 ? html`<a rel="prev" href="/runs${query({ ...base, page: f.page - 1 })}">← Newer</a>` : ''}
<span>Page ${f.page}</span>
${result.hasMore ? html`<a rel="next" href="/runs${query({ ...base, page: f.page + 1 })}">Older →</a>` : ''}
</nav>`, ctx);
}

function runRow(r: RunRow): Html {
  return html`<tr data-run-id="${r.runId}">
<td><a href="/runs/${r.runId}"><code>${r.runId}</code></a></td>
<td>${statusBadge(r.status)}</td><td>${r.runType}</td><td class="title" title="${runTitle(r) ?? ''}">${runTitle(r) ?? ''}</td>
<td>${r.workflowPermanentId ? html`<a href="/workflows/${r.workflowPermanentId}"><code>${r.workflowPermanentId}</code></a>` : ''}</td>
<td>${when(r.startedAt)}</td><td>${when(r.finishedAt)}</td><td>${r.startedAt ? duration(r.startedAt, r.finishedAt) : '—'}</td>
<td class="num">${r.stepCount}</td><td class="num">${usd(r.costUsd)}</td></tr>`;
}
