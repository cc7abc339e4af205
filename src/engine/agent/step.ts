// One step of the loop: prompt the model with the page, execute its actions, look at the page
// again. A "complete" is accepted when the model quoted the page and the quote is there; any other
// claim goes to the independent checker. Records the step row and its artifacts.
// A reply that cannot be used (or a transient LLM failure) is retried as a new row with the same
// order and the next retry_index, as Skyvern does; retries do not count against max_steps.
import { LlmError } from '../../llm/index.ts';
import { parseAgentReply, type ParsedReply } from './actions.ts';
import { checkCompletion, type CheckVerdict } from './completion-check.ts';
import { extractData, type ExtractionResult } from './extraction.ts';
import { describeAction } from './history.ts';
import { decide } from './decide.ts';
import { callModel, describeLlmFailure, type CallRecord } from './llm-call.ts';
import type { LoopState } from './loop-state.ts';
import { perceiveFor, type PageView } from './perceive.ts';
import { buildActionPrompt } from './prompts/action-prompt.ts';
import { runActions, type BatchResult } from './run-actions.ts';
import { ArtifactBatch, UsageTally, type AgentGoal, type AgentOutcome, type AgentRuntime } from './types.ts';

export interface StepResult {
  after: PageView;
  batch?: BatchResult;
  verdict?: CheckVerdict;
  /** Set when the step ended the loop. */
  end?: AgentOutcome;
  /** Extra record of what happened, for the step row. */
  record: CallRecord;
}

type Reply = { ok: true; parsed: ParsedReply; llmMs: number } | { ok: false; end: AgentOutcome };

/** Asks for actions, retrying the step (new row, same order) on unusable replies and transient failures. */
async function askForActions(rt: AgentRuntime, goal: AgentGoal, state: LoopState, view: PageView, order: number):
  Promise<{ stepId: string; rec: CallRecord; reply: Reply }> {
  for (let retry = 0; ; retry++) {
    const stepId = await rt.env.recorder.startStep(order, { retryIndex: retry, blockRunId: rt.blockRunId });
    const rec: CallRecord = { artifacts: new ArtifactBatch(rt.env, stepId), usage: new UsageTally() };
    rec.artifacts.save('screenshot_action', view.shot, 'png');
    if (view.screenshot && rt.llm.supportsVision) rec.artifacts.save('screenshot_llm', view.screenshot, 'png');
    rec.artifacts.save('visible_elements_tree_in_prompt', view.text, 'txt');
    const { system, prompt } = buildActionPrompt({
      goal: goal.goal, parentGoal: goal.parentGoal, errorCodes: goal.errorCodes, schema: goal.schema,
      secrets: rt.secrets.describe(), history: state.history.render(), notes: state.takeNotes(), pageText: view.text,
      step: rt.budget.used + 1, maxSteps: rt.budget.max,
    });
    const started = performance.now();
    let problem: string;
    try {
      const result = await callModel(rt, rec, { purpose: 'action', system, prompt, images: view.screenshot ? [view.screenshot] : [] });
      const parsed = parseAgentReply(result.json);
      rec.artifacts.save('llm_response_parsed', JSON.stringify(parsed), 'json');
      if (parsed.actions.length > 0) return { stepId, rec, reply: { ok: true, parsed, llmMs: performance.now() - started } };
      problem = `the reply had no usable action (${parsed.problems.join('; ')})`;
      state.addNote(`Your last reply could not be used: ${parsed.problems.join('; ')}. Reply with the JSON format described.`);
    } catch (error) {
      if (rt.env.signal.aborted) { await finishFailed(rt, stepId, rec, 'canceled', String(rt.env.signal.reason)); throw error; }
      if (!(error instanceof LlmError) || !error.retryable || retry >= rt.settings.maxStepRetries) {
        await finishFailed(rt, stepId, rec, 'failed', (error as Error).message);
        return { stepId, rec, reply: { ok: false, end: { status: 'failed', kind: 'llm', reason: describeLlmFailure(error), errors: [] } } };
      }
      problem = (error as Error).message;
    }
    await finishFailed(rt, stepId, rec, 'failed', problem);
    if (retry >= rt.settings.maxStepRetries) {
      const reason = `The LLM did not return a usable action after ${retry + 1} attempts: ${problem}`;
      return { stepId, rec, reply: { ok: false, end: { status: 'failed', kind: 'llm', reason, errors: [] } } };
    }
  }
}

async function finishFailed(rt: AgentRuntime, stepId: string, rec: CallRecord, status: 'failed' | 'canceled', error: string): Promise<void> {
  await rec.artifacts.flush();
  await rt.env.recorder.finishStep(stepId, { status, output: { error: rt.secrets.redact(error) }, usage: rec.usage.toJSON() });
}

export async function runStep(rt: AgentRuntime, goal: AgentGoal, state: LoopState, view: PageView): Promise<StepResult> {
  const order = rt.budget.used;
  // Tasks without a url start on a blank page (Skyvern would guess the site with an extra LLM call).
  if (view.scan.url === 'about:blank') state.addNote('The browser has no page open yet: start with goto_url to the site the goal is about.');
  const { stepId, rec, reply } = await askForActions(rt, goal, state, view, order);
  if (!reply.ok) return { after: view, end: reply.end, record: rec };
  rt.budget.used++;
  const { parsed } = reply;
  if (parsed.problems.length > 0) state.addNote(`Ignored from your last reply: ${parsed.problems.join('; ')}`);
  if (parsed.thoughts) state.lastThoughts = parsed.thoughts;

  const looping = state.guard.wouldLoop(view.fingerprint, parsed.actions);
  if (looping) {
    const what = describeAction(looping.action, view);
    const why = state.lastVerdict && !state.lastVerdict.achieved ? ` The checker's last assessment: ${state.lastVerdict.thoughts}` : '';
    const reason = `Stopped because the agent was stuck in a loop: it chose the same action (${what}) ${looping.times} times on an unchanged page.${why}`;
    state.deferWrite(finishStep(rt, stepId, rec, view, parsed, undefined, undefined, { loop: reason, proposed: parsed.actions }));
    return { after: view, end: { status: 'failed', kind: 'loop', reason, errors: [] }, record: rec };
  }
  state.guard.record(view.fingerprint, parsed.actions);

  try {
    const session = rt.session;
    const actionsStarted = performance.now();
    let extractMs = 0; // extraction is LLM time, not browser time
    const batch = await runActions(rt, parsed.actions, view, {
      extract: async () => {
        const t0 = performance.now();
        try { return await extractNow(rt, rec, goal, state); } finally { extractMs += performance.now() - t0; }
      },
    }, state.submissions);
    const actionsMs = performance.now() - actionsStarted - extractMs;
    const dialogs = session.takeNewDialogs().map((d) => `Browser ${d.type} dialog (accepted automatically): ${JSON.stringify(d.message)}`);
    // After typing, give debounced suggestions and validation their time to arrive.
    const after = await perceiveFor(rt, batch.endedTyping ? TYPING_QUIET_MS : undefined);
    rec.artifacts.save('screenshot_action', after.shot, 'png');
    state.history.add(order, view, batch.outcomes, dialogs);
    for (const d of dialogs) state.addNote(d);
    for (const note of batchNotes(batch, after)) state.addNote(note);

    let verdict: CheckVerdict | undefined;
    const decided = batch.terminate || batch.captcha || batch.secretError;
    const evidence = batch.complete?.first ? evidenceOnPage(batch.complete.action.evidence, after, rt) : undefined;
    if (!decided && evidence) {
      // The model judged the page as it was a moment ago and quoted it; the quote is still there.
      verdict = { achieved: true, thoughts: `The page shows: "${evidence}"`, output: null };
      rt.recording?.expectText(evidence);
    } else if (!decided && batch.complete) {
      // A claim without evidence on the page: the independent checker decides. Nothing else is
      // checked: on a page that shows the goal done, the next action call says so just as cheaply.
      verdict = await runCheck(rt, rec, goal, state, after, dialogs);
      if (verdict && !verdict.achieved && batch.complete) {
        state.addNote(`Your "complete" was rejected by the checker: ${verdict.thoughts || 'the page does not show the goal as done'}. Continue working on the goal.`);
        state.history.note(`complete → REJECTED by the checker: ${verdict.thoughts}`);
      }
      if (verdict) state.lastVerdict = verdict;
    }
    if (after.fingerprint === view.fingerprint) {
      for (const a of state.guard.repeated(view.fingerprint, parsed.actions)) {
        state.addNote(`You already did "${describeAction(a, view)}" more than once on this same, unchanged page; it did not help. Do something else.`);
      }
    }
    const end = await decide(rt, goal, state, rec, { batch, verdict, before: view, after });
    const timings = { settle_ms: view.ms.settle, scan_ms: view.ms.scan, screenshot_ms: view.ms.screenshot, actions_ms: Math.round(actionsMs), extract_ms: Math.round(extractMs), llm_ms: Math.round(reply.llmMs) };
    // Written while the next step runs (its page view is `after`, already taken).
    state.deferWrite(finishStep(rt, stepId, rec, view, parsed, batch, verdict, { dialogs, timings, ...(end ? { ends_run: end.status } : {}) }));
    return { after, batch, verdict, end, record: rec };
  } catch (error) {
    // The row must not stay "running"; the loop turns LLM failures into a failed run.
    await finishFailed(rt, stepId, rec, rt.env.signal.aborted ? 'canceled' : 'failed', (error as Error).message).catch(() => undefined);
    throw error;
  }
}

/** Quiet time after typing: debounced typeahead and validation usually answer within it. */
const TYPING_QUIET_MS = 400;

/** What the next prompt must know about how the batch went beyond each action's line. */
function batchNotes(batch: BatchResult, after: PageView): string[] {
  const notes: string[] = [];
  if (batch.changedUnder) notes.push(`The page changed while you were deciding (${batch.changedUnder}); the rest of your actions were not done. Decide again on the page below.`);
  for (const effect of batch.effects) {
    notes.push(`Your last action sent: ${effect}. The page below shows the result; do not send it again unless the page shows it was rejected.`);
  }
  if (after.stillBusy) notes.push(`The page still looked busy when it was read (${after.stillBusy}); if it has not finished, use a short wait.`);
  return notes;
}

/** The model's quote, when the page's text (not its controls) still contains it. */
function evidenceOnPage(evidence: string | undefined, view: PageView, rt: AgentRuntime): string | undefined {
  const norm = (text: string) => text.toLowerCase().replace(/[\s"'“”‘’]+/g, ' ').replace(/^[\s.,;:!]+|[\s.,;:!]+$/g, '').trim();
  const quote = evidence ? norm(evidence) : '';
  if (quote.length < 4) return undefined;
  const pageText = norm(rt.secrets.redact(view.scan.text.map((t) => t.text).join('\n')));
  return pageText.includes(quote) ? evidence!.trim() : undefined;
}

/** An "extract" action: reads the page as it is now; the result is kept for the final output. */
async function extractNow(rt: AgentRuntime, rec: CallRecord, goal: AgentGoal, state: LoopState): Promise<ExtractionResult> {
  const fresh = await perceiveFor(rt);
  try {
    const result = await extractData(rt, rec, { goal: goal.goal, parentGoal: goal.parentGoal, schema: goal.schema, earlier: state.extraction?.value, view: fresh });
    if (result.ok) state.extraction = { value: result.value, fingerprint: fresh.fingerprint };
    return result;
  } catch (error) {
    // Reported to the model like a failed action; only an unusable LLM ends the run.
    if (rt.env.signal.aborted || (error instanceof LlmError && error.kind === 'config')) throw error;
    return { ok: false, value: null, error: describeLlmFailure(error) };
  }
}

/** The checker's verdict; a failed check counts as "not achieved" unless the LLM is unusable altogether. */
async function runCheck(rt: AgentRuntime, rec: CallRecord, goal: AgentGoal, state: LoopState, after: PageView, dialogs: string[]):
  Promise<CheckVerdict | undefined> {
  try {
    const actions = state.history.render().slice(-12);
    return await checkCompletion(rt, rec, { goal, actions, notes: dialogs, view: after });
  } catch (error) {
    if (rt.env.signal.aborted || (error instanceof LlmError && error.kind === 'config')) throw error;
    rt.env.logger.warn({ err: (error as Error).message }, 'completion check failed; continuing');
    return undefined;
  }
}

async function finishStep(
  rt: AgentRuntime, stepId: string, rec: CallRecord, view: PageView, parsed: ParsedReply,
  batch: BatchResult | undefined, verdict: CheckVerdict | undefined, extra: Record<string, unknown>,
): Promise<void> {
  const output = rt.secrets.redactValue({
    url: view.scan.url,
    thoughts: parsed.thoughts,
    // Skyvern's step output shape: [action, [result]] pairs.
    actions_and_results: (batch?.outcomes ?? []).map((o) => [o.action, [{
      success: o.success, ...(o.error ? { exception_message: o.error } : {}), ...(o.skipped ? { skipped: o.skipped } : {}), ...(o.data ? { data: o.data } : {}),
      ...(o.ms !== undefined ? { ms: o.ms } : {}),
    }]]),
    ...(parsed.problems.length ? { ignored: parsed.problems } : {}),
    ...(verdict ? { check: { user_goal_achieved: verdict.achieved, thoughts: verdict.thoughts } } : {}),
    ...extra,
  });
  await rec.artifacts.flush();
  await rt.env.recorder.finishStep(stepId, { status: 'completed', output, usage: rec.usage.toJSON() });
  rt.env.logger.debug({ step_id: stepId, url: view.scan.url, actions: batch?.outcomes.length ?? 0, achieved: verdict?.achieved, usage: rec.usage.toJSON() }, 'agent step done');
}
