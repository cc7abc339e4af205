// The agent's own cost, with the model taken out: real Chromium on the fixture sites, the real
// engine (scan, screenshot, actions, prompts, checker), and an instant scripted model in-process.
// Prints: per-step time outside the LLM, serialized page size per fixture page, and prompt tokens
// per run. Tokens are estimated as characters / 4 (no tokenizer is installed). Each model call
// takes BENCH_LLM_MS (default 300 ms), which is subtracted from the step's time.
// A step's time is its share of the critical path: from its start to the next step's start (the
// last one: to the run's end), so work a step leaves running in the background still counts when
// something waits for it. With DATABASE_URL set (`npm run bench`), steps and artifacts are written
// through the worker's recorder (Postgres rows, artifact files); otherwise they are dropped.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { scanPage, serializePage } from '../src/browser/index.ts';
import { startBrowserHarness } from '../test/support/browser.ts';
import { executeTask } from '../src/engine/task/execute-task.ts';
import type { EngineEnv, RunRecorder } from '../src/engine/ports.ts';
import type { LlmClient, LlmRequest, LlmResult } from '../src/llm/index.ts';
import { parseCall } from '../test/e2e/agent/support/scripted-agent.ts';
import { SCENARIOS, type Scenario } from './support/agent-scenarios.ts';
import { openDbRecorders } from './support/db-recorder.ts';
import { percentile, printTable } from './support/table.ts';

const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
// A real model takes seconds; the agent overlaps background work (artifact screenshots) with it.
// A modest simulated latency keeps that overlap realistic without making the bench slow.
const LLM_MS = Number(process.env.BENCH_LLM_MS ?? 300);
const tokens = (chars: number) => Math.round(chars / 4);
const harness = await startBrowserHarness();
const dbRecorders = process.env.DATABASE_URL ? await openDbRecorders(process.env.DATABASE_URL) : undefined;

interface StepSample { scenario: string; wallMs: number; llmMs: number; scanMs: number; screenshotMs: number; actionsMs: number; actions: number }
/** Browser time of each executed action, by type (from the step records). */
const actionMs = new Map<string, number[]>();

interface RunSample { scenario: string; status: string; steps: number; calls: Record<string, number>; promptTokens: number; maxPromptTokens: number }

/** An LlmClient answering from the scenario's script, timing itself so its time can be taken out. */
function scriptedClient(scenario: Scenario, clock: { llmMs: number }, calls: LlmRequest[]): LlmClient {
  return {
    configured: true, problems: [], supportsVision: false,
    async complete(req): Promise<LlmResult> {
      const started = performance.now();
      calls.push(req);
      const call = parseCall({ messages: [{ role: 'system', content: req.system }, { role: 'user', content: req.prompt }], model: 'bench', body: {}, path: '', headers: {} });
      const json = await scenario.brain(call);
      await new Promise((resolve) => setTimeout(resolve, LLM_MS));
      clock.llmMs += performance.now() - started;
      const text = JSON.stringify(json);
      return { text, json, usage: { inputTokens: tokens((req.system ?? '').length + req.prompt.length), outputTokens: tokens(text.length) }, costUsd: 0, model: 'bench', llmKey: 'BENCH', latencyMs: 0 };
    },
  };
}

async function runScenario(scenario: Scenario): Promise<{ steps: StepSample[]; run: RunSample }> {
  const session = await harness.openSession(scenario.path);
  const scratchDir = await mkdtemp(path.join(os.tmpdir(), 'skyport-bench-'));
  const clock = { llmMs: 0 };
  const calls: LlmRequest[] = [];
  const real = dbRecorders ? await dbRecorders.newRun() : undefined;
  // Step starts in order (time and LLM clock), and what each step's record said.
  const starts: Array<{ id: string; t0: number; llm0: number }> = [];
  const records = new Map<string, { scanMs: number; screenshotMs: number; actionsMs: number; actions: number }>();
  const recorder: RunRecorder = {
    async startStep(order, opts) {
      const t0 = performance.now();
      const llm0 = clock.llmMs;
      const id = real ? await real.startStep(order, opts) : `s${order}_${starts.length}`;
      starts.push({ id, t0, llm0 });
      return id;
    },
    async finishStep(id, record) {
      for (const [action, [result]] of ((record.output as any)?.actions_and_results ?? []) as Array<[any, any[]]>) {
        if (result?.ms === undefined) continue;
        actionMs.set(action.action_type, [...(actionMs.get(action.action_type) ?? []), result.ms]);
      }
      const t = (record.output as any)?.timings ?? {};
      records.set(id, { scanMs: t.scan_ms ?? 0, screenshotMs: t.screenshot_ms ?? 0, actionsMs: t.actions_ms ?? 0,
        actions: Math.max(1, ((record.output as any)?.actions_and_results ?? []).length) });
      if (real) await real.finishStep(id, record);
    },
    async saveArtifact(...args) { return real ? real.saveArtifact(...args) : 'a'; },
    async saveArtifactFile(...args) { return real ? real.saveArtifactFile(...args) : 'a'; },
    async addUsage(usage) { if (real) await real.addUsage(usage); },
  };
  const env: EngineEnv = {
    browser: { context: session.context, session, page: () => session.page, downloadsDir: session.downloadDir, scratchDir },
    recorder, signal: new AbortController().signal, logger: pino({ level: 'silent' }),
  };
  const request = { prompt: scenario.prompt, ...(scenario.schema ? { data_extraction_schema: scenario.schema as Record<string, unknown> } : {}) };
  const outcome = await executeTask({ runId: 'bench', organizationId: 'bench', request, maxSteps: 10 }, env, scriptedClient(scenario, clock, calls));
  const end = { t0: performance.now(), llm0: clock.llmMs };
  const steps = starts.map((start, i): StepSample => {
    const next = starts[i + 1] ?? end;
    const rec = records.get(start.id) ?? { scanMs: 0, screenshotMs: 0, actionsMs: 0, actions: 1 };
    return { scenario: scenario.name, wallMs: next.t0 - start.t0, llmMs: next.llm0 - start.llm0, ...rec };
  });
  await session.context.close();
  await rm(scratchDir, { recursive: true, force: true });
  const sizes = calls.map((c) => tokens((c.system ?? '').length + c.prompt.length));
  const byPurpose: Record<string, number> = {};
  for (const c of calls) byPurpose[c.purpose] = (byPurpose[c.purpose] ?? 0) + 1;
  return {
    steps,
    run: { scenario: scenario.name, status: outcome.status, steps: steps.length, calls: byPurpose, promptTokens: sizes.reduce((a, b) => a + b, 0), maxPromptTokens: Math.max(...sizes) },
  };
}

// 1. Serialized page size per fixture page (what the action prompt carries).
const pageRows = [];
for (const scenario of SCENARIOS) {
  const session = await harness.openSession(scenario.path);
  const text = serializePage(await scanPage(session.page));
  pageRows.push({ page: scenario.path, chars: text.length, 'tokens (≈chars/4)': tokens(text.length), elements: (text.match(/(?<=^|\s)\[(?:f\d+)?e\d+\] /g) ?? []).length });
  await session.context.close();
}
printTable('Serialized page per fixture page (target: form ≤ 2,000 tokens)', pageRows);

// 2. Scripted runs: per-step time outside the LLM, and prompt tokens per run.
const allSteps: StepSample[] = [];
const runs: RunSample[] = [];
for (let i = 0; i < REPEAT; i++) {
  for (const scenario of SCENARIOS) {
    const { steps, run } = await runScenario(scenario);
    if (i > 0) allSteps.push(...steps); // the first round warms Chromium and the JIT
    if (i === 0) runs.push(run);
  }
}
const outside = allSteps.map((s) => s.wallMs - s.llmMs);
const col = (f: (s: StepSample) => number) => allSteps.map(f);
const recorderName = dbRecorders ? 'steps and artifacts written to Postgres and disk' : 'in-memory recorder (set DATABASE_URL to include the writes)';
printTable(`Per step outside the LLM (${allSteps.length} steps, ${REPEAT - 1} measured rounds, model latency ${LLM_MS} ms subtracted, ${recorderName}; target p50 ≤ 250 ms)`, [
  { measure: 'whole step minus LLM time (actions + look at the page again + bookkeeping and writes)', p50: `${percentile(outside, 50).toFixed(0)} ms`, p95: `${percentile(outside, 95).toFixed(0)} ms` },
  { measure: 'scan (the page the step acted on)', p50: `${percentile(col((s) => s.scanMs), 50).toFixed(0)} ms`, p95: `${percentile(col((s) => s.scanMs), 95).toFixed(0)} ms` },
  { measure: 'screenshot (overlaps the scan)', p50: `${percentile(col((s) => s.screenshotMs), 50).toFixed(0)} ms`, p95: `${percentile(col((s) => s.screenshotMs), 95).toFixed(0)} ms` },
  { measure: `actions (a step runs ${(allSteps.reduce((a, s) => a + s.actions, 0) / allSteps.length).toFixed(1)} actions on average)`, p50: `${percentile(col((s) => s.actionsMs), 50).toFixed(0)} ms`, p95: `${percentile(col((s) => s.actionsMs), 95).toFixed(0)} ms` },
  { measure: 'one action (step action time / actions in it)', p50: `${percentile(col((s) => s.actionsMs / s.actions), 50).toFixed(0)} ms`, p95: `${percentile(col((s) => s.actionsMs / s.actions), 95).toFixed(0)} ms` },
  { measure: 'step outside the LLM, actions excluded (perception + agent bookkeeping)', p50: `${percentile(allSteps.map((s) => s.wallMs - s.llmMs - s.actionsMs), 50).toFixed(0)} ms`, p95: `${percentile(allSteps.map((s) => s.wallMs - s.llmMs - s.actionsMs), 95).toFixed(0)} ms` },
]);
printTable('Browser time per action, by type (all rounds)', [...actionMs.entries()].map(([type, values]) => ({
  action: type, count: values.length, p50: `${percentile(values, 50).toFixed(0)} ms`, p95: `${percentile(values, 95).toFixed(0)} ms`,
})));
printTable('Prompt tokens per scripted run (skyvern-1.0, ≈chars/4, system prompt included)', runs.map((r) => ({
  run: r.scenario, status: r.status, steps: r.steps,
  'LLM calls': Object.entries(r.calls).map(([k, v]) => `${k} ${v}`).join(', '),
  'prompt tokens (total)': r.promptTokens, 'largest prompt': r.maxPromptTokens,
})));
await harness.close();
await dbRecorders?.close();
