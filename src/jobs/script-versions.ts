// What workflow and task code runs share on Postgres: reading a revision's block modules, marking
// the run's `script_run`, and writing the next version from the modules a run (re)generated.
import type { ScriptRevisionRow } from '../db/repositories/scripts.repo.ts';
import { storedFileBytes, toStoredFile, type ScriptRunRef, type StoredScriptFile } from '../domain/script-files.ts';
import { canonicalJson } from '../engine/scripts/canonical-json.ts';
import type { CachedBlockScript, StoredBlockScript } from '../engine/scripts/types.ts';
import type { Logger } from '../log/logger.ts';
import type { WorkerDeps } from './worker-deps.ts';

/** A module the agent just wrote (or repaired), by block label, waiting for the run to end. */
export type KeptModules = Map<string, { source: string; stored: StoredBlockScript }>;

/** The block modules of a revision, by label. */
export function modulesOf(revision: ScriptRevisionRow): Map<string, CachedBlockScript> {
  const files = new Map((revision.files as StoredScriptFile[]).map((f) => [f.path, f]));
  const modules = new Map<string, CachedBlockScript>();
  // Blocks the engine generated are listed with their file; uploaded scripts name blocks by file: blocks/<label>.ts.
  for (const [label, entry] of Object.entries((revision.blocks as Record<string, StoredBlockScript> | null) ?? {})) {
    const file = files.get(entry.path);
    if (file) modules.set(label, { label, path: file.path, source: storedFileBytes(file).toString('utf8'), stored: entry.actions ? entry : undefined });
  }
  for (const file of files.values()) {
    const match = /^blocks\/([^/]+)\.(?:ts|js|mjs|cjs)$/.exec(file.path);
    if (match && !modules.has(match[1]!)) modules.set(match[1]!, { label: match[1]!, path: file.path, source: storedFileBytes(file).toString('utf8') });
  }
  return modules;
}

export async function setScriptRun(deps: WorkerDeps, runId: string, ref: ScriptRunRef): Promise<void> {
  await deps.repos.runs.update(runId, { scriptRun: ref });
}

/**
 * The next version of the script: every file of `previous` (default: the script's newest version),
 * with the kept modules replacing theirs. Nothing is written when no module's content changed.
 */
export async function writeNextVersion(deps: WorkerDeps, input: {
  scriptId: string; organizationId: string; runId: string; previous?: ScriptRevisionRow; kept: KeptModules; log: Logger;
}): Promise<ScriptRevisionRow | undefined> {
  const repo = deps.repos.scripts;
  const previous = input.previous ?? (await repo.latestRevision(input.scriptId));
  const files = new Map<string, StoredScriptFile>((previous?.files as StoredScriptFile[] | undefined ?? []).map((f) => [f.path, f]));
  const blocks: Record<string, unknown> = { ...((previous?.blocks as Record<string, unknown> | undefined) ?? {}) };
  let changed = false;
  for (const [label, { source, stored }] of input.kept) {
    const file = toStoredFile(stored.path, Buffer.from(source, 'utf8'), 'text/typescript');
    if (files.get(stored.path)?.content_hash === file.content_hash) continue;
    if (sameSteps(blocks[label] as StoredBlockScript | undefined, files.get(stored.path), stored)) continue;
    files.set(stored.path, file);
    blocks[label] = stored;
    changed = true;
  }
  if (!changed) return undefined;
  const revision = await repo.addRevision({ scriptId: input.scriptId, organizationId: input.organizationId, runId: input.runId, files: [...files.values()], blocks });
  input.log.info({ script_id: input.scriptId, version: revision.version, blocks: [...input.kept.keys()] }, 'script version written');
  return revision;
}

/**
 * The module in place was generated (not edited since) from the same steps: only its header (the
 * generating run) would differ, so an agent run that did the same thing writes no new version.
 */
function sameSteps(previous: StoredBlockScript | undefined, file: StoredScriptFile | undefined, next: StoredBlockScript): boolean {
  if (!previous?.actions || !file || previous.path !== next.path || previous.source_hash !== file.content_hash) return false;
  // Stored as jsonb, which keeps its own key order: compare with keys sorted.
  return canonicalJson(previous.actions) === canonicalJson(next.actions);
}

