// How a step's results end the loop: terminate, CAPTCHA, a missing secret, or a goal the checker
// confirmed — in which case the output is produced here (so its tokens belong to the step).
import { extractData } from './extraction.ts';
import type { CallRecord } from './llm-call.ts';
import type { LoopState } from './loop-state.ts';
import type { PageView } from './perceive.ts';
import type { BatchResult } from './run-actions.ts';
import type { CheckVerdict } from './completion-check.ts';
import type { AgentGoal, AgentOutcome, AgentRuntime } from './types.ts';
import { userDefinedErrors } from './user-errors.ts';

export const CAPTCHA_REASON = (type: string | undefined, url: string) =>
  `The page ${url} shows a CAPTCHA${type ? ` (${type})` : ''} that blocks the task. Skyport does not solve CAPTCHAs; ` +
  'run the task through a browser where a person can solve it (browser_address), or start it past the CAPTCHA.';

export async function decide(
  rt: AgentRuntime, goal: AgentGoal, state: LoopState, rec: CallRecord,
  step: { batch: BatchResult; verdict?: CheckVerdict; before: PageView; after: PageView },
): Promise<AgentOutcome | undefined> {
  const { batch, verdict, after } = step;
  if (batch.secretError) {
    const reason = `A secret value could not be provided: ${batch.secretError.message}`;
    return { status: 'terminated', reason, errors: [{ error_code: batch.secretError.errorCode, reasoning: reason }] };
  }
  if (batch.terminate) {
    const reason = batch.terminate.reason;
    return { status: 'terminated', reason, errors: userDefinedErrors(batch.terminate.errors, goal.errorCodes, reason) };
  }
  if (batch.captcha) {
    return { status: 'failed', kind: 'captcha', reason: CAPTCHA_REASON(batch.captcha.captcha_type, step.before.scan.url), errors: [] };
  }
  if (!verdict?.achieved) return undefined;
  return finalOutput(rt, goal, state, rec, batch, verdict, after);
}

async function finalOutput(
  rt: AgentRuntime, goal: AgentGoal, state: LoopState, rec: CallRecord,
  batch: BatchResult, verdict: CheckVerdict, after: PageView,
): Promise<AgentOutcome> {
  const complete = batch.complete?.action;
  const errors = userDefinedErrors(complete?.errors, goal.errorCodes, complete?.reasoning);
  if (hasSchema(goal.schema)) {
    // An extraction taken from this very page state is the answer already.
    if (state.extraction && state.extraction.fingerprint === after.fingerprint) return { status: 'completed', output: state.extraction.value, errors };
    const result = await extractData(rt, rec, { goal: goal.goal, schema: goal.schema, earlier: state.extraction?.value, view: after });
    if (result.ok) return { status: 'completed', output: result.value, errors };
    return {
      status: 'failed', kind: 'extraction', output: result.value, errors,
      reason: `The goal was achieved, but the extracted data did not match data_extraction_schema after a retry: ${result.error}`,
    };
  }
  // Data the acting model reported from the page it was looking at, before acting, is first-hand.
  const reported = complete && batch.complete!.first ? complete.data : undefined;
  const output = present(reported) ? reported : present(verdict.output) ? verdict.output : present(complete?.data) ? complete!.data : state.extraction?.value ?? null;
  return { status: 'completed', output, errors };
}

export function hasSchema(schema: unknown): boolean {
  return schema !== undefined && schema !== null && schema !== '' && !(typeof schema === 'object' && Object.keys(schema).length === 0);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}
