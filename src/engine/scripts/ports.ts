// What a workflow run's code mode needs from outside (the job implements it on Postgres): the
// cached modules of the script the run uses, and where the modules of blocks the agent just did
// (or repaired) are kept until the run ends and a new script version is written.
import type { BlockRecording, CachedBlockScript, RecordedAction, StoredBlockScript } from './types.ts';

export type RunWith = 'agent' | 'code';

export interface BlockScripts {
  /** The mode the run asked for (`run_with`, after the workflow's default and legacy names). */
  readonly runWith: RunWith;
  /** When a cached step breaks: true = the agent takes over the block, false = the block fails. */
  readonly aiFallback: boolean;
  /** The block's module in the script this run replays (code mode only). */
  cached(label: string): CachedBlockScript | undefined;
  /** A block succeeded with the agent (or was repaired): its module goes into the next version. */
  keep(label: string, source: string, stored: StoredBlockScript): void;
  /** The block's cached script broke and the agent took over (shown as `ai_fallback_triggered`). */
  fellBack(label: string): Promise<void>;
}

/** What one code-mode unit (a workflow block, or a whole task run) is handed (see run-with-script.ts). */
export interface BlockCodeRequest {
  /** The block's cached module: replayed first, without the model. */
  script?: CachedBlockScript;
  /** A broken cached step hands the block to the agent (true) or fails it (false). */
  aiFallback: boolean;
  /** What the module sees as `parameters` (the run's parameters, loop values). */
  parameters: Record<string, unknown>;
  /** Record the agent's actions so they can become the block's module. */
  record: boolean;
  /** Called as the agent takes over from a broken script. */
  onFallback(): Promise<void>;
}

export interface BlockCodeResult {
  /** How the block ran: its module only, the agent only, or the module and then the agent. */
  ranWith: 'script' | 'agent' | 'fallback';
  /** The agent's actions (when it ran and recording was asked for). */
  recording?: BlockRecording;
  /** Actions of the broken module that still worked before the agent took over. */
  kept?: RecordedAction[];
}

/** Block types whose agent actions are cached; the others (conditions, waits, code…) always run live. */
export const CACHED_BLOCK_TYPES: ReadonlySet<string> = new Set(['task', 'task_v2', 'action', 'navigation', 'extraction', 'login', 'file_download']);

/** Skyvern's legacy names: "ai" is the agent, "code_v2" is code. */
export function normalizeRunWith(value: unknown): RunWith {
  return value === 'code' || value === 'code_v2' ? 'code' : 'agent';
}
