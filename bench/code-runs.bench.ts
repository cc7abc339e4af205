// Code runs against the agent and against a hand-written Playwright script of the same steps:
// one workflow (a membership form with five fields, then the three-page checkout wizard) on the
// fixture sites, through the real stack (API, worker, Postgres, Redis, Chromium). The agent run
// talks to the scripted model answering after BENCH_MODEL_LATENCY_MS (default 1,500 ms); the code
// runs replay the script the agent run produced. Run time is the run's own created_at → finished_at
// (queueing, a fresh browser context with its video recording, steps, step records). The
// hand-written script is timed two ways: as a standalone script (launch Chromium, steps, close —
// what `node script.ts` costs, the comparison the target means) and in an already running
// Chromium (context, steps, close: the floor).
import type { Page } from 'playwright-core';
import { launchChromium, defaultChromiumPath } from '../src/browser/index.ts';
import { serveFixtures } from '../test/fixtures/sites/server.ts';
import { startStack } from '../test/support/stack.ts';
import { act, click, complete, parseCall, type, verdict } from '../test/e2e/agent/support/scripted-agent.ts';
import { CODE_SIGNUP_PARAMETERS, codeSignupBlock, codeSignupBrain } from '../test/e2e/workflows/support/code-signup.ts';
import { startWorkflowLlm } from '../test/e2e/workflows/support/scripted-workflow-llm.ts';
import { percentile, printTable } from './support/table.ts';

const LATENCY_MS = Number(process.env.BENCH_MODEL_LATENCY_MS ?? 1500);
const CODE_RUNS = Number(process.env.BENCH_CODE_RUNS ?? 8);
const PERSON = { full_name: 'Ada Lovelace', email: 'ada@example.com', country: 'Canada' };

const YAML = `
title: Signup and checkout
workflow_definition:${CODE_SIGNUP_PARAMETERS}
  blocks:${codeSignupBlock('{{ site_url }}/code-signup.html', '[bench-signup]')}
    - block_type: navigation
      label: checkout
      url: "{{ site_url }}/cart.html"
      navigation_goal: "Buy 2 Blue Widgets and 1 Red Gadget, ship to {{ full_name }}, 12 Engine Row, London 12345. [bench-checkout]"
`;

const [model, site] = await Promise.all([startWorkflowLlm(() => ({ llm_response: 'unused' }), { latencyMs: LATENCY_MS }), serveFixtures()]);
model.on('[bench-signup]', codeSignupBrain);
model.on('[bench-checkout]', (call) => {
  const { page } = call;
  const order = /Order number: (SKY-\d+)/.exec(page.text)?.[1];
  if (call.kind === 'check') return verdict(!!order);
  if (page.has('# Your cart')) return act('cart', type(page.find('Quantity of Blue Widget'), '2'), type(page.find('Quantity of Red Gadget'), '1'), click(page.find('Proceed to shipping')));
  if (page.has('# Shipping details')) {
    return act('ship', type(page.find('Recipient name'), PERSON.full_name), type(page.find('Street address'), '12 Engine Row'),
      type(page.find('City'), 'London'), type(page.find('ZIP code'), '12345'), click(page.find('Place order')));
  }
  return act('done', complete(null, `Order number: ${order}`));
});
const stack = await startStack({ worker: true, env: { ...model.env, LOG_LEVEL: 'silent' } });

const created = await stack.request('POST', '/v1/agents', { yaml_definition: YAML });
const wpid = created.body.workflow_permanent_id as string;
const parameters = { site_url: site.baseUrl, ...PERSON };

async function timedRun(runWith: 'agent' | 'code') {
  const from = model.llm.calls.length;
  const res = await stack.request('POST', '/v1/run/workflows', { workflow_id: wpid, run_with: runWith, parameters });
  const done = await stack.waitForTerminal(res.body.run_id, 300_000);
  if (done.status !== 'completed') throw new Error(`${runWith} run ${done.run_id} ${done.status}: ${done.failure_reason}`);
  const calls = model.llm.calls.slice(from).filter((req) => { try { return !!parseCall(req); } catch { return false; } }).length;
  return { ms: Date.parse(`${done.finished_at}Z`) - Date.parse(`${done.created_at}Z`), calls, fallback: done.script_run?.ai_fallback_triggered ?? null };
}

// The same steps written by hand, as a Playwright user would.
async function handWritten(page: Page) {
  await page.goto(`${site.baseUrl}/code-signup.html`);
  await page.getByLabel('Full name').fill(PERSON.full_name);
  await page.getByLabel('Email').fill(PERSON.email);
  await page.getByLabel('Country').selectOption({ label: PERSON.country });
  await page.getByRole('radio', { name: 'Pro' }).check();
  await page.getByRole('checkbox', { name: 'I agree to the terms' }).check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText(`Welcome, ${PERSON.full_name}! Your Pro membership is active.`).waitFor();
  await page.goto(`${site.baseUrl}/cart.html`);
  await page.getByLabel('Quantity of Blue Widget').fill('2');
  await page.getByLabel('Quantity of Red Gadget').fill('1');
  await page.getByRole('button', { name: 'Proceed to shipping' }).click();
  await page.getByLabel('Recipient name').fill(PERSON.full_name);
  await page.getByLabel('Street address').fill('12 Engine Row');
  await page.getByLabel('City').fill('London');
  await page.getByLabel('ZIP code').fill('12345');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.getByText(/Order number: SKY-\d+/).waitFor();
}

const agent = await timedRun('agent');
const code: Array<{ ms: number; calls: number; fallback: boolean | null }> = [];
for (let i = 0; i < CODE_RUNS; i++) code.push(await timedRun('code'));

const hand: number[] = [];
for (let i = 0; i < CODE_RUNS; i++) {
  const started = performance.now();
  const own = await launchChromium({ executablePath: defaultChromiumPath() });
  const context = await own.newContext({ viewport: { width: 1280, height: 800 } });
  await handWritten(await context.newPage());
  await own.close();
  hand.push(performance.now() - started);
}
const browser = await launchChromium({ executablePath: defaultChromiumPath() });
const warm: number[] = [];
for (let i = 0; i < CODE_RUNS; i++) {
  const started = performance.now();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await handWritten(await context.newPage());
  await context.close();
  warm.push(performance.now() - started);
}
await browser.close();

const codeMs = code.map((c) => c.ms);
const row = (name: string, values: number[], calls: number | string) => ({
  way: name, runs: values.length, 'p50': `${(percentile(values, 50) / 1000).toFixed(2)} s`, 'p95': `${(percentile(values, 95) / 1000).toFixed(2)} s`, 'model calls per run': calls,
});
printTable(`One workflow (form + 3-step wizard): agent at ${LATENCY_MS} ms model latency vs code run vs hand-written Playwright`, [
  row('agent run (run_with: agent)', [agent.ms], agent.calls),
  row('code run (run_with: code)', codeMs, [...new Set(code.map((c) => c.calls))].join('/')),
  row('hand-written Playwright script (launch, steps, close)', hand, 0),
  row('hand-written steps in a running Chromium (floor)', warm, 0),
]);
printTable('Ratios (targets: code ≤ 1.2 × hand-written, agent ≥ 10 × code)', [{
  'code p50 / hand-written script p50': (percentile(codeMs, 50) / percentile(hand, 50)).toFixed(2),
  'code p50 / floor p50': (percentile(codeMs, 50) / percentile(warm, 50)).toFixed(2),
  'agent / code p50': (agent.ms / percentile(codeMs, 50)).toFixed(1),
  'AI fallbacks in code runs': code.filter((c) => c.fallback).length,
}]);

await stack.close();
await model.close();
await site.close();
