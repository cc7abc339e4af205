// One run: what was asked, what happened (status, reason, output, files, video), the workflow's
// blocks, and step by step what the agent saw, thought, did and what it cost. The part inside
// #run is redrawn live while the run is active (viewer.js asks /runs/:id/fragment on each event).
import type { StepRow } from '../../db/repositories/steps.repo.ts';
import type { WorkflowRunBlockRow } from '../../db/repositories/workflow-run-blocks.repo.ts';
import { isTerminal } from '../../domain/run-status.ts';
import type { RunDetail, StepArtifact } from '../../services/viewer/types.ts';
import { duration, json, maskSecrets, runTitle, statusBadge, tokens, usd, when } from '../format.ts';
import { html, type Html } from '../html.ts';
import { actionButton, notice, page, type PageContext } from './layout.ts';

/** Signed artifact links are absolute (SKYVERN_BASE_URL); the viewer is on this server, so use the path. */
const local = (url: string) => { try { const u = new URL(url); return `${u.pathname}${u.search}`; } catch { return url; } };

export function runDetailPage(ctx: PageContext, d: RunDetail, message?: { text: string; kind: 'ok' | 'error' }): Html {
  return page(runTitle(d.run) ?? d.run.runId, html`${notice(message?.text, message?.kind)}${runFragment(ctx, d)}`, ctx);
}

export function runFragment(ctx: PageContext, d: RunDetail): Html {
  const { run } = d;
  const terminal = isTerminal(run.status);
  // What the caller sent, without the server's own bookkeeping (`_skyport`), secrets masked.
  const { _skyport: _, ...sent } = (run.request ?? {}) as Record<string, unknown>;
  const request = maskSecrets(sent);
  // Steps outside any block (task runs; workflow steps whose block row is gone).
  const loose = d.steps.filter((s) => !s.step.blockRunId || !d.blocks.some((b) => b.workflowRunBlockId === s.step.blockRunId));
  const latest = d.media.screenshotUrls[0];
  return html`<div id="run" data-run-id="${run.runId}" data-terminal="${String(terminal)}">
<div class="run-head">
<h1>${runTitle(run) ?? run.runId}</h1>
<div class="run-status">${statusBadge(run.status)} <span class="run-type">${run.runType}</span> <code>${run.runId}</code>
${terminal ? '' : html`<span class="live-dot" title="updates live">live</span>`}</div>
<div class="actions">
${terminal ? '' : actionButton(ctx, `/runs/${run.runId}/cancel`, 'Cancel run', { danger: true, confirm: 'Cancel this run?' })}
${run.webhookUrl && terminal ? actionButton(ctx, `/runs/${run.runId}/retry-webhook`, 'Retry webhook') : ''}
${terminal ? actionButton(ctx, `/runs/${run.runId}/rerun`, 'Re-run') : ''}
</div></div>
${run.failureReason ? html`<p class="failure" role="alert"><strong>Failure reason:</strong> ${run.failureReason}</p>` : ''}
<dl class="facts">
<dt>Created</dt><dd>${when(run.createdAt)}</dd><dt>Started</dt><dd>${when(run.startedAt)}</dd><dt>Finished</dt><dd>${when(run.finishedAt)}</dd>
<dt>Duration</dt><dd>${run.startedAt ? duration(run.startedAt, run.finishedAt) : '—'}</dd>
<dt>Steps</dt><dd class="step-count">${run.stepCount}</dd><dt>Tokens</dt><dd>${tokens(run.inputTokens, run.outputTokens)}</dd><dt>Cost</dt><dd>${usd(run.costUsd)}</dd>
${run.workflowPermanentId ? html`<dt>Workflow</dt><dd><a href="/workflows/${run.workflowPermanentId}"><code>${run.workflowPermanentId}</code></a></dd>` : ''}
${run.browserSessionId ? html`<dt>Browser session</dt><dd><a href="/browser-session/${run.browserSessionId}"><code>${run.browserSessionId}</code></a></dd>` : ''}
${run.attempts > 1 ? html`<dt>Attempts</dt><dd>${run.attempts}</dd>` : ''}
</dl>
<div class="columns">
<section class="col-main">
${latest ? html`<figure class="latest"><img src="${local(latest)}" alt="Latest screenshot of the run's page"><figcaption>Latest screenshot</figcaption></figure>` : ''}
${d.blocks.length ? blocksSection(d.blocks, d) : ''}
${loose.length || !d.blocks.length ? stepsSection(loose) : ''}
</section>
<aside class="col-side">
<details open data-key="request"><summary>Request</summary><pre>${json(request)}</pre></details>
<details open data-key="output"><summary>Output</summary><pre class="output">${json(run.output)}</pre></details>
${d.media.downloadedFiles.length ? html`<section><h2>Downloaded files</h2><ul class="files">${d.media.downloadedFiles.map((f) => html`<li><a href="${local(f.url)}">${f.filename ?? f.artifact_id}</a> ${f.file_size !== null ? html`<small>${f.file_size.toLocaleString('en-US')} bytes</small>` : ''}</li>`)}</ul></section>` : ''}
${d.media.recordingUrl ? html`<section><h2>Video</h2><video controls preload="metadata" src="${local(d.media.recordingUrl)}"></video></section>` : ''}
${webhookSection(d)}
</aside></div></div>`;
}

function blocksSection(blocks: WorkflowRunBlockRow[], d: RunDetail): Html {
  return html`<section><h2>Blocks</h2><ol class="blocks">${blocks.map((b) => {
    const steps = d.steps.filter((s) => s.step.blockRunId === b.workflowRunBlockId);
    return html`<li class="block" data-block="${b.label}"><div class="block-head">${statusBadge(b.status)} <strong>${b.label}</strong> <span class="muted">${b.blockType}</span>
<span class="muted">${b.finishedAt ? duration(b.createdAt, b.finishedAt) : ''}</span></div>
${b.failureReason ? html`<p class="failure">${b.failureReason}</p>` : ''}
${b.output !== null && b.output !== undefined ? html`<details data-key="block-${b.workflowRunBlockId}"><summary>Block output</summary><pre>${json(b.output)}</pre></details>` : ''}
${steps.length ? stepsSection(steps, false) : ''}</li>`;
  })}</ol></section>`;
}

function stepsSection(steps: RunDetail['steps'], heading = true): Html {
  if (!steps.length) return heading ? html`<section><h2>Steps</h2><p class="empty">No steps yet.</p></section>` : html``;
  return html`<section>${heading ? html`<h2>Steps</h2>` : ''}<ol class="steps">${steps.map(({ step, artifacts }) => stepItem(step, artifacts))}</ol></section>`;
}

interface StepOutput {
  url?: string; thoughts?: string; error?: string;
  actions_and_results?: Array<[Record<string, unknown>, Array<Record<string, unknown>>]>;
  check?: { user_goal_achieved?: boolean; thoughts?: string };
}

function stepItem(step: StepRow, artifacts: StepArtifact[]): Html {
  const out = (step.output ?? {}) as StepOutput;
  const shots = artifacts.filter((a) => a.type === 'screenshot_action');
  const before = shots[0];
  const after = shots.length > 1 ? shots[shots.length - 1] : undefined;
  const lazy = (type: string, label: string) => artifacts.filter((a) => a.type === type).map((a, i) =>
    html`<details class="lazy" data-key="${a.artifactId}" data-src="${local(a.url)}"><summary>${label}${i ? ` ${i + 1}` : ''}</summary><pre>Loading…</pre><a href="${local(a.url)}" target="_blank" rel="noopener">open</a></details>`);
  return html`<li class="step" data-step-id="${step.stepId}" data-step-status="${step.status}">
<div class="step-head"><strong>Step ${step.order + 1}</strong>${step.retryIndex ? html` <span class="muted">retry ${step.retryIndex}</span>` : ''} ${statusBadge(step.status)}
<span class="muted">${tokens(step.inputTokens, step.outputTokens)} · ${usd(step.costUsd)}</span>${out.url ? html` <span class="url">${out.url}</span>` : ''}</div>
${before || after ? html`<div class="shots">${before ? html`<figure><img loading="lazy" src="${local(before.url)}" alt="Page before step ${step.order + 1}"><figcaption>Before</figcaption></figure>` : ''}
${after ? html`<figure><img loading="lazy" src="${local(after.url)}" alt="Page after step ${step.order + 1}"><figcaption>After</figcaption></figure>` : ''}</div>` : ''}
${out.thoughts ? html`<p class="thoughts"><strong>Model:</strong> ${out.thoughts}</p>` : ''}
${out.error ? html`<p class="failure">${out.error}</p>` : ''}
${out.actions_and_results?.length ? html`<ol class="actions">${out.actions_and_results.map(([action, results]) => actionItem(action, results?.[0]))}</ol>` : ''}
${out.check ? html`<p class="check">Goal check: <strong>${out.check.user_goal_achieved ? 'achieved' : 'not yet'}</strong>${out.check.thoughts ? html` — ${out.check.thoughts}` : ''}</p>` : ''}
${lazy('visible_elements_tree_in_prompt', 'Page listing')}${lazy('llm_request', 'Prompt')}${lazy('llm_response', 'Response')}
</li>`;
}

function actionItem(action: Record<string, unknown>, result: Record<string, unknown> | undefined): Html {
  const type = String(action.action_type ?? 'action');
  const target = action.element_id ? ` [${String(action.element_id)}]` : '';
  const detail = ['text', 'url', 'option', 'is_checked', 'keys', 'direction', 'seconds', 'reason', 'evidence', 'data'].filter((k) => action[k] !== undefined)
    .map((k) => `${k}: ${typeof action[k] === 'string' ? action[k] : JSON.stringify(action[k])}`).join(', ');
  const ok = result?.success !== false && !result?.skipped;
  const why = result?.skipped ? `skipped: ${String(result.skipped)}` : result?.exception_message ? String(result.exception_message) : '';
  return html`<li class="action ${ok ? 'ok' : 'failed'}"><code>${type}${target}</code>${detail ? html` <span class="detail">${detail}</span>` : ''}
<span class="result">${ok ? '→ ok' : html`→ <strong>FAILED</strong> ${why}`}</span>
${action.reasoning ? html`<div class="reasoning">${String(action.reasoning)}</div>` : ''}</li>`;
}

function webhookSection(d: RunDetail): Html {
  if (!d.run.webhookUrl && !d.deliveries.length) return html``;
  return html`<section><h2>Webhook</h2>
${d.run.webhookFailureReason ? html`<p class="failure">${d.run.webhookFailureReason}</p>` : ''}
${d.deliveries.length ? html`<ul class="deliveries">${d.deliveries.map((del) => html`<li><strong>${del.status}</strong> · ${del.attempt_count} attempt${del.attempt_count === 1 ? '' : 's'}
<ol>${del.attempts.map((a) => html`<li>${a.outcome} ${a.status_code ?? ''} <small>${a.error ?? ''}</small></li>`)}</ol></li>`)}</ul>` : html`<p class="empty">No delivery yet.</p>`}
</section>`;
}
