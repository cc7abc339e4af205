// Replays a block's cached module on the run's browser, as one recorded step (its page operations
// as the step's actions, a screenshot at the end). No model call, except `skyport.extract()` in a
// block that extracts data. A failure names the block and the operation that broke, and says
// which recorded actions were done before it (a heal keeps those).
import { createHash } from 'node:crypto';
import { extractData } from '../agent/extraction.ts';
import { hasSchema } from '../agent/decide.ts';
import { perceiveFor } from '../agent/perceive.ts';
import { ArtifactBatch, UsageTally, type AgentRuntime } from '../agent/types.ts';
import { actionsDone } from './generate.ts';
import { runScriptModule, type ScriptStep } from './script-sandbox.ts';
import type { CachedBlockScript, RecordedAction } from './types.ts';

export interface ReplayRequest {
  label: string;
  /** What a failure calls the thing that broke; default `block "<label>"`. */
  subject?: string;
  script: CachedBlockScript;
  parameters: Record<string, unknown>;
  dataExtractionGoal: string | null;
  dataSchema: unknown;
  /** Upper bound for the whole module. */
  timeoutMs: number;
}

export type ReplayResult =
  | { ok: true; value: unknown }
  | { ok: false; canceled: boolean; failure: string; steps: ScriptStep[]; done: RecordedAction[] };

const SECRET_NAME = /\bsecrets\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*['"]([^'"]+)['"]\s*\])/g;

export async function replayBlock(rt: AgentRuntime, req: ReplayRequest): Promise<ReplayResult> {
  const stepId = await rt.env.recorder.startStep(rt.budget.used, { blockRunId: rt.blockRunId });
  rt.budget.used++;
  const rec = { artifacts: new ArtifactBatch(rt.env, stepId), usage: new UsageTally() };
  const steps: ScriptStep[] = [];
  const extracts = !!req.dataExtractionGoal || hasSchema(req.dataSchema);
  const outcome = await runScriptModule({
    source: req.script.source,
    fileName: req.script.path,
    parameters: req.parameters,
    secrets: secretTokens(req.script.source),
    resolveSecret: (token) => rt.secrets.fill(token, rt.env.signal),
    extract: extracts ? async () => {
      const view = await perceiveFor(rt);
      const result = await extractData(rt, rec, { goal: req.dataExtractionGoal ?? 'Extract the data on the page', schema: req.dataSchema, view });
      if (!result.ok) throw new Error(`the extracted data did not match data_schema: ${result.error}`);
      return result.value;
    } : undefined,
    timeoutMs: req.timeoutMs,
    stepTimeoutMs: rt.settings.actionTimeoutMs,
    signal: rt.env.signal,
    page: async () => rt.session.page,
    logger: rt.env.logger,
    onStep: (step) => steps.push(step),
  });
  rec.artifacts.save('screenshot_action', rt.session.page.screenshot({ timeout: 5000 }).catch(() => undefined), 'png');
  await rec.artifacts.flush();
  const failure = outcome.ok ? undefined : describeFailure(req.subject ?? `block "${req.label}"`, req.script.path, outcome);
  await rt.env.recorder.finishStep(stepId, {
    status: outcome.ok ? 'completed' : rt.env.signal.aborted ? 'canceled' : 'failed',
    usage: rec.usage.toJSON(),
    output: rt.secrets.redactValue({
      url: rt.session.page.url(),
      script: req.script.path,
      actions_and_results: steps.map((s) => [{ action_type: actionTypeOf(s.call), reasoning: s.call }, [{ success: s.ok, ...(s.error ? { exception_message: s.error } : {}) }]]),
      ...(failure ? { error: failure } : {}),
    }),
  });
  if (outcome.ok) return { ok: true, value: outcome.value ?? null };
  const stored = req.script.stored;
  // Step N of a module we generated is action N; a hand-edited module no longer maps.
  const generated = stored && stored.source_hash === sourceHash(req.script.source);
  const okOps = steps.filter((s) => s.ok).length;
  return {
    ok: false, canceled: outcome.kind === 'canceled' || rt.env.signal.aborted, failure: failure!, steps,
    done: generated ? stored.actions.slice(0, actionsDone(stored.actions, okOps)) : [],
  };
}

export function sourceHash(source: string): string {
  return `sha256:${createHash('sha256').update(source).digest('hex')}`;
}

function describeFailure(subject: string, path: string, outcome: Extract<Awaited<ReturnType<typeof runScriptModule>>, { ok: false }>): string {
  const step = outcome.failedStep;
  const where = step ? `step ${step.index + 1} (${step.call})` : outcome.line ? `${path} line ${outcome.line}` : path;
  return `The cached script of ${subject} failed at ${where}: ${firstLine(step?.error ?? outcome.error)}`;
}

/** Playwright errors carry a colored call log after their first line; the reason needs the first. */
function firstLine(error: string): string {
  // eslint-disable-next-line no-control-regex
  return error.replace(/\u001b\[[0-9;]*m/g, '').split('\n')[0]!.trim();
}

/** The placeholder tokens a module may use: `secrets.name` → "{{secret:name}}" (the real value never enters the sandbox). */
function secretTokens(source: string): Record<string, string> {
  const tokens: Record<string, string> = {};
  for (const m of source.matchAll(SECRET_NAME)) {
    const name = (m[1] ?? m[2])!;
    tokens[name] = `{{secret:${name.toLowerCase()}}}`;
  }
  return tokens;
}

/** Skyvern's action types for the step's action list (SDKs know only those). */
function actionTypeOf(call: string): string {
  const method = /\.(\w+)\([^()]*(?:\([^()]*\)[^()]*)*\)\s*$/.exec(call)?.[1] ?? call.split('(')[0];
  switch (method) {
    case 'click': case 'dblclick': return 'click';
    case 'fill': case 'type': case 'pressSequentially': return 'input_text';
    case 'selectOption': return 'select_option';
    case 'check': case 'uncheck': case 'setChecked': return 'checkbox';
    case 'press': return 'keypress';
    case 'goto': return 'goto_url';
    case 'hover': return 'hover';
    default: return 'null_action';
  }
}
