// skyvern-2.0: a planner splits the task into mini-goals; each runs through the step loop on the
// same browser (navigate) or is read off the page (extract); after each, the planner looks at the
// page and the record again and decides: next mini-goal, done (with the output), or impossible.
// A failed mini-goal does not end the run: the planner sees the failure and tries another way.
//
// The finished plan, whatever the outcome, is handed to `env.savePlan`, which records it as a
// workflow (plan-workflow.ts): published when the request asked `publish_workflow`.
import { llmFailureOutcome, runAgentLoop, REACH_MAX_STEPS } from '../agent/agent-loop.ts';
import { hasSchema } from '../agent/decide.ts';
import { extractData } from '../agent/extraction.ts';
import type { CallRecord } from '../agent/llm-call.ts';
import { freshView, perceiveFor, type PageView } from '../agent/perceive.ts';
import { planNext, type PlanDecision } from '../agent/plan.ts';
import type { PlanRecord } from '../agent/prompts/plan-prompt.ts';
import { ArtifactBatch, UsageTally, type AgentOutcome, type AgentRuntime } from '../agent/types.ts';
import { userDefinedErrors } from '../agent/user-errors.ts';
import type { TaskInput } from './task-input.ts';

const MAX_PLAN_ROUNDS = 20;

export async function runTaskV2(input: TaskInput, rt: AgentRuntime): Promise<AgentOutcome> {
  const done: PlanRecord[] = [];
  let outcome: AgentOutcome;
  try {
    outcome = await planAndRun(input, rt, done);
  } catch (error) {
    outcome = llmFailureOutcome(error, rt.env.signal);
  }
  // A canceled, timed-out or handed-back run has a partial plan: not worth publishing (a handed-back one runs again).
  if (!rt.env.signal.aborted) await savePlan(input, rt, done);
  return outcome;
}

async function savePlan(input: TaskInput, rt: AgentRuntime, goals: PlanRecord[]): Promise<void> {
  if (!rt.env.savePlan) return;
  const { request } = input;
  try {
    await rt.env.savePlan({
      prompt: request.prompt, url: request.url ?? null, goals,
      dataExtractionSchema: request.data_extraction_schema ?? null, errorCodeMapping: request.error_code_mapping ?? null,
    });
  } catch (error) {
    // The run's own result stands; a plan that could not be recorded is the lesser loss.
    rt.env.logger.warn({ err: error }, 'could not save the plan as a workflow');
  }
}

async function planAndRun(input: TaskInput, rt: AgentRuntime, done: PlanRecord[]): Promise<AgentOutcome> {
  const task = input.request.prompt;
  const schema = input.request.data_extraction_schema;
  const errorCodes = input.request.error_code_mapping;
  let view = await perceiveFor(rt);
  let emptyPlans = 0;

  for (let round = 1; round <= MAX_PLAN_ROUNDS; round++) {
    rt.env.signal.throwIfAborted();
    if (rt.budget.used >= rt.budget.max) return outOfSteps(rt, done);
    view = await freshView(rt, view);
    const plan = await withRunLevelRecord(rt, (rec) => planNext(rt, rec, { task, errorCodes, done, view, round, maxRounds: MAX_PLAN_ROUNDS }));
    rt.env.logger.info({ round, achieved: plan.achieved, terminate: plan.terminate, next: plan.next?.goal }, 'plan');
    // The planner thought for a while: what comes next sees the page as it is now.
    view = await freshView(rt, view);
    if (plan.achieved) return finish(rt, task, schema, done, view, plan);
    if (plan.terminate) {
      const reason = plan.terminationReason ?? plan.thoughts ?? 'The planner found the task impossible.';
      return { status: 'terminated', reason, errors: userDefinedErrors(undefined, errorCodes, reason) };
    }
    if (!plan.next) {
      if (++emptyPlans >= 2) return { status: 'failed', kind: 'llm', errors: [], reason: 'The planner neither finished the task nor proposed a next mini-goal (twice).' };
      continue;
    }
    emptyPlans = 0;
    const { goal, kind } = plan.next;
    if (kind === 'extract') {
      const result = await extractionStep(rt, goal, task, view);
      done.push({ goal, kind, status: result.ok ? 'completed' : 'failed', reason: result.ok ? undefined : result.error, data: result.value });
      continue;
    }
    const loop = await runAgentLoop(rt, { goal, parentGoal: task, errorCodes }, view);
    view = loop.view;
    const o = loop.outcome;
    done.push({ goal, kind, status: o.status, reason: o.status === 'completed' ? undefined : o.reason, data: o.status === 'completed' ? o.output : undefined });
    if (o.status === 'failed' && (o.kind === 'max_steps' || o.kind === 'captcha' || o.kind === 'llm')) return o;
  }
  return { status: 'failed', kind: 'max_steps', errors: [], reason: `The planner did not finish the task within ${MAX_PLAN_ROUNDS} planning rounds.` };
}

/** The final output: validated against data_extraction_schema when one was given. */
async function finish(rt: AgentRuntime, task: string, schema: unknown, done: PlanRecord[], view: PageView, plan: PlanDecision): Promise<AgentOutcome> {
  const collected = done.filter((d) => d.data !== undefined && d.data !== null).map((d) => ({ goal: d.goal, data: d.data }));
  if (!hasSchema(schema)) {
    const output = plan.output ?? (collected.length === 1 ? collected[0]!.data : collected.length ? collected : null);
    return { status: 'completed', output, errors: [] };
  }
  const result = await withRunLevelRecord(rt, (rec) => extractData(rt, rec, { goal: task, schema, earlier: collected.length ? collected : undefined, view }));
  if (result.ok) return { status: 'completed', output: result.value, errors: [] };
  return { status: 'failed', kind: 'extraction', output: result.value, errors: [], reason: `The task was achieved, but the final output did not match data_extraction_schema after a retry: ${result.error}` };
}

/** An "extract" mini-goal is one step: it reads the page, it does not act on it. */
async function extractionStep(rt: AgentRuntime, goal: string, task: string, view: PageView) {
  const stepId = await rt.env.recorder.startStep(rt.budget.used, { blockRunId: rt.blockRunId });
  rt.budget.used++;
  const rec: CallRecord = { artifacts: new ArtifactBatch(rt.env, stepId), usage: new UsageTally() };
  rec.artifacts.save('visible_elements_tree_in_prompt', view.text, 'txt');
  rec.artifacts.save('screenshot_action', view.shot, 'png');
  try {
    const result = await extractData(rt, rec, { goal, parentGoal: task, view });
    await rec.artifacts.flush();
    await rt.env.recorder.finishStep(stepId, { status: 'completed', output: rt.secrets.redactValue({ url: view.scan.url, extract: goal, valid: result.ok, data: result.value }), usage: rec.usage.toJSON() });
    return result;
  } catch (error) {
    await rec.artifacts.flush();
    await rt.env.recorder.finishStep(stepId, { status: 'failed', output: { error: (error as Error).message }, usage: rec.usage.toJSON() });
    throw error;
  }
}

/** Planner and final-output calls belong to the run, not to a step: artifacts without a step, usage on the run. */
async function withRunLevelRecord<T>(rt: AgentRuntime, fn: (rec: CallRecord) => Promise<T>): Promise<T> {
  const rec: CallRecord = { artifacts: new ArtifactBatch(rt.env, undefined), usage: new UsageTally() };
  try {
    return await fn(rec);
  } finally {
    await rec.artifacts.flush();
    await rt.env.recorder.addUsage(rec.usage.toJSON());
  }
}

function outOfSteps(rt: AgentRuntime, done: PlanRecord[]): AgentOutcome {
  const last = done.at(-1);
  const why = last ? `the last mini-goal "${last.goal}" ended ${last.status}${last.reason ? ` (${last.reason})` : ''}` : 'no mini-goal was finished';
  return {
    status: 'failed', kind: 'max_steps', errors: [REACH_MAX_STEPS],
    reason: `Reached the maximum steps (${rt.budget.max}). Possible failure reasons: ${why}. Raise max_steps or make the prompt more specific.`,
  };
}
