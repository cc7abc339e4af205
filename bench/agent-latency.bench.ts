// The agent with a model that takes time: every fixture task (the classic fixture sites and the
// live ones that change while the model thinks) run through POST /v1/run/tasks on the real stack
// (API, worker, Postgres, Redis, Chromium), the scripted model answering over HTTP after 0 ms and
// after BENCH_MODEL_LATENCY_MS (default 1,500 ms). Prints per task: LLM calls by kind against the
// replies the task needs, prompt tokens by kind (≈chars/4, system prompt included), wall time,
// and duplicate submissions (accepted server records beyond the first; must be 0). Also the
// page-listing size of every page the tasks start on.
import { scanPage, serializePage } from '../src/browser/index.ts';
import { startBrowserHarness } from '../test/support/browser.ts';
import { startAgentHarness } from '../test/e2e/agent/support/scripted-agent.ts';
import { LIVE_SCENARIOS } from '../test/e2e/agent/support/live-scenarios.ts';
import { SCENARIOS } from './support/agent-scenarios.ts';
import { printTable } from './support/table.ts';

const LATENCIES = [0, Number(process.env.BENCH_MODEL_LATENCY_MS ?? 1500)];
const tokens = (value: unknown) => Math.ceil(JSON.stringify(value ?? '').length / 4);

interface Task { name: string; path: string; prompt: string; neededReplies: number; schema?: unknown; site?: string; brain: Parameters<Awaited<ReturnType<typeof startAgentHarness>>['agent']['on']>[1] }
const TASKS: Task[] = [
  ...SCENARIOS.map((s) => ({ ...s, prompt: `${s.prompt} [${s.name}]` })),
  ...LIVE_SCENARIOS,
];

// 1. What the model is shown of each start page.
const browser = await startBrowserHarness();
const pageRows = [];
for (const task of TASKS) {
  const session = await browser.openSession(task.path);
  await new Promise((r) => setTimeout(r, 300)); // live pages fill in after load
  const text = serializePage(await scanPage(session.page));
  pageRows.push({ page: task.path, chars: text.length, 'tokens (≈chars/4)': Math.round(text.length / 4), elements: (text.match(/(?<=^|\s)\[(?:f\d+)?e\d+\] /g) ?? []).length });
  await session.context.close();
}
await browser.close();
printTable('Page listing of each task\'s start page', pageRows);

// 2. Each task at each model latency.
for (const latencyMs of LATENCIES) {
  const harness = await startAgentHarness({ LOG_LEVEL: 'silent' }, { latencyMs });
  const rows: Record<string, string | number>[] = [];
  const totals = { calls: 0, needed: 0, action: 0, check: 0, extract: 0, duplicates: 0, wallMs: 0, completed: 0 };
  for (const task of TASKS) {
    const marker = `[${task.name}]`;
    harness.agent.on(marker, task.brain);
    const started = performance.now();
    const run = await harness.runTask({ prompt: task.prompt, url: `${harness.site.baseUrl}${task.path}`, ...(task.schema ? { data_extraction_schema: task.schema } : {}) });
    const wallMs = performance.now() - started;
    const calls = harness.agent.callsFor(marker);
    const byKind = (kind: string) => calls.filter((c) => c.kind === kind);
    const promptTokens = (kind: string) => byKind(kind).reduce((sum, c) => sum + tokens(c.req.messages), 0);
    const accepted = task.site ? harness.site.submissions.filter((r) => r.site === task.site && r.accepted).length : undefined;
    const duplicates = accepted === undefined ? undefined : Math.max(0, accepted - 1);
    rows.push({
      task: task.name, status: run.status, 'LLM calls': calls.length, needed: task.neededReplies,
      'calls / needed': (calls.length / task.neededReplies).toFixed(2),
      'action / check / extract calls': `${byKind('action').length} / ${byKind('check').length} / ${byKind('extract').length}`,
      'prompt tokens action / check / extract': `${promptTokens('action')} / ${promptTokens('check')} / ${promptTokens('extract')}`,
      'wall time': `${(wallMs / 1000).toFixed(1)} s`, 'duplicate submissions': duplicates ?? '—',
    });
    totals.calls += calls.length; totals.needed += task.neededReplies; totals.wallMs += wallMs;
    totals.action += promptTokens('action'); totals.check += promptTokens('check'); totals.extract += promptTokens('extract');
    totals.duplicates += duplicates ?? 0; totals.completed += run.status === 'completed' ? 1 : 0;
  }
  rows.push({
    task: `all ${TASKS.length}`, status: `${totals.completed} completed`, 'LLM calls': totals.calls, needed: totals.needed,
    'calls / needed': (totals.calls / totals.needed).toFixed(2), 'action / check / extract calls': '',
    'prompt tokens action / check / extract': `${totals.action} / ${totals.check} / ${totals.extract} (${totals.action + totals.check + totals.extract})`,
    'wall time': `${(totals.wallMs / 1000).toFixed(1)} s`, 'duplicate submissions': totals.duplicates,
  });
  printTable(`Fixture tasks with the model answering after ${latencyMs} ms (target: calls ≤ 1.2 × needed, 0 duplicates)`, rows);
  await harness.close();
}
