// Shapes shared by recording, script generation and replay (code runs). A recorded action names
// its target the way a script can find it again (TargetDescriptor), never by scan ID, and keeps the
// text the agent typed as the agent wrote it: secrets stay placeholders ({{secret:name}}).
import type { TargetDescriptor } from '../../browser/index.ts';

export type RecordedAction =
  | { kind: 'goto'; url: string }
  | { kind: 'click'; target: TargetDescriptor; navigatedTo?: string }
  | { kind: 'fill'; target: TargetDescriptor; text: string }
  | { kind: 'select'; target: TargetDescriptor; label: string; value: string; requested: string }
  /** A custom dropdown: open it, then click the option with this text. */
  | { kind: 'pick'; target: TargetDescriptor; option: string }
  | { kind: 'check'; target: TargetDescriptor; checked: boolean }
  | { kind: 'press'; target?: TargetDescriptor; keys: string[]; navigatedTo?: string }
  /** The block ended on a page showing these words (the agent's evidence). */
  | { kind: 'expect_text'; text: string };

/** Why a block's actions cannot become a script (it then keeps running with the agent). */
export type UncacheableReason = string;

/** What one block's agent did, in order, ready to become a script. */
export interface BlockRecording {
  actions: RecordedAction[];
  /** Set when something the agent did has no faithful script form (an upload, a CAPTCHA, a magic link). */
  uncacheable?: UncacheableReason;
}

/** One block's script as stored in a revision (`blocks` map of the revision row). */
export interface StoredBlockScript {
  /** File of the revision holding the block's module, e.g. `blocks/sign_up.ts`. */
  path: string;
  run_id: string;
  generated_at: string;
  /** The actions the module was generated from: a heal keeps the ones that still worked. */
  actions: RecordedAction[];
  /** sha256 of the generated source: a module edited by hand no longer maps step-for-action. */
  source_hash: string;
  /** True when this version came from an AI fallback that repaired the previous one. */
  ai_fallback_healed?: boolean;
}

/** A block module ready to run in a code run. */
export interface CachedBlockScript {
  label: string;
  path: string;
  source: string;
  stored?: StoredBlockScript;
}
