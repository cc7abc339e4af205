// The code-run sequence of one unit of agent work (a workflow's task-like block, or a whole
// skyvern-1.0 task run): replay the cached module → if it breaks, fail or hand over to the agent
// (ai_fallback) → record what the agent does. And the reverse: a finished unit's recorded actions
// (plus what a broken module still did) → the module of the next script version.
import { canonicalJson } from './canonical-json.ts';
import type { AgentOutcome, AgentRuntime } from '../agent/types.ts';
import { blockPath, generateBlockScript, parameterize } from './generate.ts';
import type { BlockCodeRequest, BlockCodeResult } from './ports.ts';
import { ActionRecording } from './recording.ts';
import { replayBlock, sourceHash } from './replay.ts';
import type { ScriptStep } from './script-sandbox.ts';
import type { RecordedAction, StoredBlockScript } from './types.ts';

export interface ScriptedWork {
  /** The block label (`task` for a task run): names the module and its failures. */
  label: string;
  /** What a replay failure calls the unit; default `block "<label>"`. */
  subject?: string;
  /** Absent: the agent runs and nothing is recorded. */
  code?: BlockCodeRequest;
  /** What `skyport.extract()` in the module reads the page for. */
  extraction: { goal: string | null; schema: unknown };
  /** Whether a model is configured (the fallback needs one). */
  llmConfigured: boolean;
  /** Runs the agent on `rt`; `note` tells it what a broken script already did. */
  runAgent(note?: string): Promise<AgentOutcome>;
}

export type ScriptedResult =
  /** The module ran to its end (`value`: what it returned, the extraction's data). */
  | { by: 'script'; ok: true; value: unknown }
  /** The module broke: canceled, or ai_fallback is off. */
  | { by: 'script'; ok: false; canceled: boolean; failure: string }
  /** The module broke (`failure`) and the agent should take over, but no model is configured. */
  | { by: 'no_llm'; failure: string }
  /** The agent ran (from the start, or after the module broke). `code` is set in code mode. */
  | { by: 'agent'; outcome: AgentOutcome; code?: BlockCodeResult };

export async function runWithScript(rt: AgentRuntime, work: ScriptedWork): Promise<ScriptedResult> {
  const { code } = work;
  let note: string | undefined;
  let kept: RecordedAction[] | undefined;
  if (code?.script) {
    const replay = await replayBlock(rt, {
      label: work.label, subject: work.subject, script: code.script, parameters: code.parameters,
      dataExtractionGoal: work.extraction.goal, dataSchema: work.extraction.schema, timeoutMs: REPLAY_TIMEOUT_MS,
    });
    if (replay.ok) return { by: 'script', ok: true, value: replay.value };
    if (replay.canceled || rt.env.signal.aborted) return { by: 'script', ok: false, canceled: true, failure: replay.failure };
    if (!code.aiFallback) return { by: 'script', ok: false, canceled: false, failure: replay.failure };
    if (!work.llmConfigured) return { by: 'no_llm', failure: replay.failure };
    await code.onFallback();
    rt.env.logger.info({ failure: replay.failure }, 'cached script broke; the agent takes over');
    kept = replay.done;
    note = fallbackNote(replay.steps, replay.failure);
  }
  if (code?.record) rt.recording = new ActionRecording();
  const outcome = await work.runAgent(note);
  if (!code) return { by: 'agent', outcome };
  return { by: 'agent', outcome, code: { ranWith: code.script ? 'fallback' : 'agent', recording: rt.recording?.snapshot(), ...(kept ? { kept } : {}) } };
}

export interface ModuleInput {
  label: string;
  blockType: string;
  runId: string;
  code: BlockCodeResult | undefined;
  /** The run's values: typed text equal to one becomes `parameters.<key>`. */
  parameters: Record<string, unknown>;
  /** The module ends with `return await skyport.extract()`. */
  extract: boolean;
}

export type ModuleOfRun =
  | { source: string; stored: StoredBlockScript }
  /** Something the agent did has no faithful script form (the unit stays uncached). */
  | { uncacheable: string }
  /** Nothing to write: the module replayed as it was, or nothing was recorded. */
  | undefined;

/** The agent did (or repaired) the unit: its recorded actions become the unit's module for the next version. */
export function moduleOfRun(input: ModuleInput): ModuleOfRun {
  const { code } = input;
  if (!code || code.ranWith === 'script' || !code.recording) return undefined;
  if (code.recording.uncacheable) return { uncacheable: code.recording.uncacheable };
  // What the broken module still did, minus what the agent did again after taking over.
  // Run values become references; kept actions (from the stored module) already are.
  const agentActions = parameterize(code.recording.actions, input.parameters);
  const redone = new Set(agentActions.map(sameStep));
  const actions = [...(code.kept ?? []).filter((a) => !redone.has(sameStep(a))), ...agentActions];
  const source = generateBlockScript({ label: input.label, blockType: input.blockType, runId: input.runId, actions, extract: input.extract });
  return {
    source,
    stored: {
      path: blockPath(input.label), run_id: input.runId, generated_at: new Date().toISOString(),
      actions, source_hash: sourceHash(source), ...(code.ranWith === 'fallback' ? { ai_fallback_healed: true } : {}),
    },
  };
}

/** Two actions do the same thing when they do it to what a person would call the same element with the same value. */
function sameStep(action: RecordedAction): string {
  const { target, ...rest } = action as RecordedAction & { target?: { summary: string; tag: string } };
  return canonicalJson({ ...rest, navigatedTo: undefined, target: target ? `${target.tag} ${target.summary}` : undefined });
}

/** What the agent is told when it takes over from a cached script that broke. */
function fallbackNote(steps: ScriptStep[], failure: string): string {
  const done = steps.filter((s) => s.ok).map((s, i) => `${i + 1}. ${s.call}`);
  return [
    'A saved script for this goal ran first and broke; continue from the page as it is now.',
    done.length ? `It already did:\n${done.join('\n')}` : 'It did nothing before it broke.',
    `It broke here: ${failure}`,
    'Redo a step only if the page shows it was lost.',
  ].join('\n');
}

/** A cached module runs in seconds; this only stops one that hangs. */
const REPLAY_TIMEOUT_MS = 5 * 60_000;
