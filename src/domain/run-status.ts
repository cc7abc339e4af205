export const RUN_STATUSES = ['created', 'queued', 'running', 'paused', 'timed_out', 'failed', 'terminated', 'completed', 'canceled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TERMINAL_STATUSES: readonly RunStatus[] = ['timed_out', 'failed', 'terminated', 'completed', 'canceled'];
export const ACTIVE_STATUSES: readonly RunStatus[] = ['created', 'queued', 'running', 'paused'];

export function isTerminal(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

// Which statuses a run may move to from each status. Terminal statuses move nowhere:
// the first terminal write wins (enforced again in SQL with a status guard).
const NEXT: Record<RunStatus, readonly RunStatus[]> = {
  created: ['queued', 'running', 'timed_out', 'failed', 'canceled', 'terminated'],
  queued: ['queued', 'running', 'timed_out', 'failed', 'canceled', 'terminated'],
  running: ['queued', 'paused', 'completed', 'failed', 'terminated', 'timed_out', 'canceled'],
  paused: ['running', 'canceled', 'failed', 'timed_out'],
  timed_out: [], failed: [], terminated: [], completed: [], canceled: [],
};

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return NEXT[from].includes(to);
}

/** Statuses from which a move to `to` is allowed; used as the SQL guard of an update. */
export function statusesAllowing(to: RunStatus): RunStatus[] {
  return RUN_STATUSES.filter((s) => NEXT[s].includes(to));
}

export const RUN_TYPES = ['task_v1', 'task_v2', 'task_v3', 'workflow_run', 'openai_cua', 'anthropic_cua', 'ui_tars', 'yutori_navigator'] as const;
export type RunType = (typeof RUN_TYPES)[number];

export const RUN_ENGINES = ['skyvern-1.0', 'skyvern-2.0', 'skyvern-3.0', 'openai-cua', 'anthropic-cua', 'ui-tars', 'yutori-navigator'] as const;
export type RunEngine = (typeof RUN_ENGINES)[number];

export const ENGINE_RUN_TYPE: Record<RunEngine, RunType> = {
  'skyvern-1.0': 'task_v1',
  'skyvern-2.0': 'task_v2',
  'skyvern-3.0': 'task_v3',
  'openai-cua': 'openai_cua',
  'anthropic-cua': 'anthropic_cua',
  'ui-tars': 'ui_tars',
  'yutori-navigator': 'yutori_navigator',
};
