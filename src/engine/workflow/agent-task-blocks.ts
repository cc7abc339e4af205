// The TaskBlockExecutor on the real browser agent (engine/agent + engine/task): each task-like
// block becomes one agent task on the run's shared browser. Navigation-style blocks run the step
// loop; extraction reads the current page in one step; task_v2 runs the skyvern-2.0 planner.
import type { TaskRunRequest } from '../../contracts/runs.ts';
import { runAgentLoop } from '../agent/agent-loop.ts';
import { extractData } from '../agent/extraction.ts';
import { perceiveFor } from '../agent/perceive.ts';
import { ArtifactBatch, UsageTally, type AgentOutcome, type AgentRuntime } from '../agent/types.ts';
import { NO_LLM_REASON } from '../task/execute-task.ts';
import { buildRuntime } from '../task/runtime.ts';
import { gotoStartPage, NavigationFailed } from '../task/start-page.ts';
import { runTaskV2 } from '../task/task-v2.ts';
import type { TaskInput } from '../task/task-input.ts';
import type { TaskBlockExecutor, TaskBlockRequest, TaskBlockResult } from './task-block-port.ts';
import { runWithScript } from '../scripts/run-with-script.ts';

/** The words the agent works from: the block's goals, criteria and payload, as Skyvern's prompt carries them. */
export function goalText(req: TaskBlockRequest): string {
  const parts: string[] = [];
  if (req.blockType === 'validation') {
    parts.push('Only inspect the current page; do not change it.');
    if (req.completeCriterion) parts.push(`Complete if: ${req.completeCriterion}`);
    if (req.terminateCriterion) parts.push(`Terminate if: ${req.terminateCriterion}`);
    if (!req.completeCriterion && !req.terminateCriterion) parts.push('Complete if the page looks as expected.');
  } else {
    if (req.navigationGoal) parts.push(req.navigationGoal);
    if (req.blockType === 'action') parts.push('Take exactly one action toward this goal, then complete.');
    if (req.dataExtractionGoal) parts.push(`${req.navigationGoal ? 'Then extract' : 'Extract'}: ${req.dataExtractionGoal}`);
    if (req.completeCriterion) parts.push(`The goal is complete when: ${req.completeCriterion}`);
    if (req.terminateCriterion) parts.push(`Terminate when: ${req.terminateCriterion}`);
    if (req.completeOnDownload) parts.push('The goal is complete as soon as a file download has started.');
  }
  if (req.navigationPayload && Object.keys(req.navigationPayload).length) {
    parts.push(`Information to use (JSON): ${JSON.stringify(req.navigationPayload)}`);
  }
  return parts.join('\n\n');
}

function taskInput(req: TaskBlockRequest, goal: string): TaskInput {
  const request: TaskRunRequest = {
    prompt: req.blockType === 'task_v2' ? (req.prompt ?? goal) : goal,
    url: req.url, engine: req.blockType === 'task_v2' ? 'skyvern-2.0' : 'skyvern-1.0',
    data_extraction_schema: (req.dataSchema ?? null) as TaskRunRequest['data_extraction_schema'],
    error_code_mapping: req.errorCodeMapping, totp_identifier: req.totpIdentifier, model: req.model,
  };
  return { runId: req.taskId, organizationId: '', request, maxSteps: req.maxSteps, secrets: req.secrets };
}

function toResult(outcome: AgentOutcome): TaskBlockResult {
  switch (outcome.status) {
    case 'completed': return { status: 'completed', extractedInformation: outcome.output ?? null, failureReason: null, errors: outcome.errors };
    case 'terminated': return { status: 'terminated', extractedInformation: null, failureReason: outcome.reason, errors: outcome.errors };
    case 'failed': return { status: 'failed', extractedInformation: outcome.output ?? null, failureReason: outcome.reason, errors: outcome.errors };
  }
}

/** An extraction block reads the page it finds: one step, no actions. */
async function extractOnce(rt: AgentRuntime, req: TaskBlockRequest): Promise<AgentOutcome> {
  const stepId = await rt.env.recorder.startStep(rt.budget.used, { blockRunId: req.blockRunId });
  rt.budget.used++;
  const rec = { artifacts: new ArtifactBatch(rt.env, stepId), usage: new UsageTally() };
  try {
    const view = await perceiveFor(rt);
    const result = await extractData(rt, rec, { goal: req.dataExtractionGoal ?? req.navigationGoal ?? 'Extract the data on the page', schema: req.dataSchema, view });
    await rec.artifacts.flush();
    await rt.env.recorder.finishStep(stepId, {
      status: 'completed', usage: rec.usage.toJSON(),
      output: rt.secrets.redactValue({ url: view.scan.url, actions_and_results: [[{ action_type: 'extract', reasoning: req.dataExtractionGoal }, [{ success: result.ok }]]], data: result.value }),
    });
    if (result.ok) return { status: 'completed', output: result.value, errors: [] };
    return { status: 'failed', kind: 'extraction', output: result.value, errors: [], reason: `The extracted data did not match data_schema after a retry: ${result.error}` };
  } catch (error) {
    await rec.artifacts.flush();
    await rt.env.recorder.finishStep(stepId, { status: rt.env.signal.aborted ? 'canceled' : 'failed', output: { error: (error as Error).message }, usage: rec.usage.toJSON() });
    throw error;
  }
}

export const agentTaskBlocks: TaskBlockExecutor = async (req, env) => {
  const code = req.code;
  /** `broke`: the cached script's failure the agent would have taken over from. */
  const noLlm = (broke?: string): TaskBlockResult => {
    const detail = env.llm.problems.length ? ` Problems found: ${env.llm.problems.join('; ')}.` : '';
    const fallback = broke ? `${broke.replace(/\.?\s*$/, '.')} The AI fallback could not take over: ` : '';
    return { status: 'failed', extractedInformation: null, failureReason: fallback + NO_LLM_REASON + detail, errors: [] };
  };
  // A cached module needs no model (unless it extracts); everything else does.
  if (!env.llm.configured && !code?.script) return noLlm();
  const goal = goalText(req);
  const input = taskInput(req, goal);
  const verificationCode = env.verificationCodeFor?.({ taskId: req.taskId, totpUrl: req.totpVerificationUrl, totpIdentifier: req.totpIdentifier });
  const engineEnv = { browser: env.browser, recorder: env.recorder, signal: env.signal, logger: env.logger, verificationCode };
  try {
    await gotoStartPage(input, engineEnv);
  } catch (error) {
    if (error instanceof NavigationFailed && !env.signal.aborted) return { status: 'failed', extractedInformation: null, failureReason: error.message, errors: [] };
    throw error;
  }
  const rt = await buildRuntime(input, engineEnv, env.llm);
  rt.blockRunId = req.blockRunId;

  const ran = await runWithScript(rt, {
    label: req.label, code, llmConfigured: env.llm.configured,
    extraction: { goal: req.dataExtractionGoal, schema: req.dataSchema },
    runAgent: (note) => runAgent(rt, req, input, note),
  });
  switch (ran.by) {
    case 'script':
      if (ran.ok) return { status: 'completed', extractedInformation: ran.value, failureReason: null, errors: [], code: { ranWith: 'script' } };
      if (ran.canceled) return { status: 'canceled', extractedInformation: null, failureReason: ran.failure, errors: [] };
      return { status: 'failed', extractedInformation: null, failureReason: ran.failure, errors: [], code: { ranWith: 'script' } };
    case 'no_llm': return noLlm(ran.failure);
    case 'agent': return ran.code ? { ...toResult(ran.outcome), code: ran.code } : toResult(ran.outcome);
  }
};

/** `note`: what a broken cached script already did, for the agent taking over. */
async function runAgent(rt: AgentRuntime, req: TaskBlockRequest, input: TaskInput, note?: string): Promise<AgentOutcome> {
  const withNote = (text: string) => (note ? `${text}\n\n${note}` : text);
  if (req.blockType === 'task_v2') return runTaskV2({ ...input, request: { ...input.request, prompt: withNote(input.request.prompt ?? '') } }, rt);
  const extractOnly = req.blockType === 'extraction' || (!req.navigationGoal && !!req.dataExtractionGoal && req.blockType === 'task');
  if (extractOnly) return extractOnce(rt, req);
  const schema = req.dataExtractionGoal ? req.dataSchema : undefined;
  return (await runAgentLoop(rt, { goal: withNote(input.request.prompt ?? ''), schema, errorCodes: req.errorCodeMapping })).outcome;
}
