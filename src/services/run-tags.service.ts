// Run tags: what users set through the API and what `run_metadata` set at submission, with their
// history. Tags hang off workflow runs (Skyvern's routes name `workflow_run_id`).
import { BadRequestError, NotFoundError, ValidationFailed, type ValidationIssue } from '../domain/errors.ts';
import { parseDateTimeInput } from '../domain/datetime-input.ts';
import { tagIssues } from '../domain/run-tags.ts';
import { toWireTime, toWireTimeRequired } from '../domain/time.ts';
import type { RunTagHistoryQuery, TagApplyRequest } from '../contracts/run-tags.ts';
import type { RunTagEventRow } from '../db/repositories/run-tags.repo.ts';
import type { ServiceDeps } from './deps.ts';

/** Skyvern caps batch lookups; more IDs than this → 400. */
export const RUN_TAGS_BATCH_MAX = 200;
const API_SOURCE = 'api';

const tagView = (row: RunTagEventRow) => ({ key: row.key, value: row.value, source: row.source, set_at: toWireTimeRequired(row.setAt), set_by: row.setBy });


export function runTagsService(deps: Pick<ServiceDeps, 'repos'>) {
  const { runs, runTags } = deps.repos;

  async function requireWorkflowRun(organizationId: string, runId: string) {
    const run = await runs.get(organizationId, runId);
    if (!run || run.runType !== 'workflow_run') throw new NotFoundError(`Workflow run not found ${runId}`);
    return run;
  }

  async function currentTags(runId: string) {
    return { workflow_run_id: runId, tags: (await runTags.current([runId])).map(tagView) };
  }

  return {
    async get(organizationId: string, runId: string) {
      await requireWorkflowRun(organizationId, runId);
      return currentTags(runId);
    },

    async apply(organizationId: string, runId: string, body: TagApplyRequest) {
      await requireWorkflowRun(organizationId, runId);
      const issues: ValidationIssue[] = [
        ...(body.tags ?? []).flatMap((t, i) => tagIssues(t, ['body', 'tags', i])),
        ...(body.tags_to_delete ?? []).flatMap((t, i) => {
          const own = tagIssues({ key: t.key, value: t.value }, ['body', 'tags_to_delete', i]);
          if (!t.key && !t.value) own.push({ loc: ['body', 'tags_to_delete', i], msg: 'Give the key of a grouped tag or the value of a label', type: 'value_error' });
          return own;
        }),
      ];
      if (issues.length) throw new ValidationFailed(issues);
      await runTags.apply(runId, organizationId, {
        set: (body.tags ?? []).map((t) => ({ key: t.key?.trim() || null, value: t.value.trim() })),
        remove: body.tags_to_delete ?? [], source: API_SOURCE, setBy: API_SOURCE,
      });
      return currentTags(runId);
    },

    /** Removing a key that is not set is a no-op, as in Skyvern. */
    async deleteKey(organizationId: string, runId: string, key: string) {
      await requireWorkflowRun(organizationId, runId);
      await runTags.apply(runId, organizationId, { set: [], remove: [{ key }], source: API_SOURCE, setBy: API_SOURCE });
      return currentTags(runId);
    },

    async history(organizationId: string, runId: string, q: RunTagHistoryQuery) {
      await requireWorkflowRun(organizationId, runId);
      const rows = await runTags.history(runId, { limit: q.limit ?? 100, since: parseDateTimeInput(q.since, ['query', 'since']), key: q.key ?? undefined });
      return {
        workflow_run_id: runId,
        events: rows.map((r) => ({
          tag_event_id: r.tagEventId, key: r.key, value: r.value, event_type: r.eventType, source: r.source,
          set_at: toWireTimeRequired(r.setAt), set_by: r.setBy, superseded_at: toWireTime(r.supersededAt),
        })),
      };
    },

    /** Current tags of many runs; runs of other organizations or unknown IDs come back empty. */
    async batch(organizationId: string, runIds: string[]) {
      const ids = [...new Set(runIds.map((id) => id.trim()).filter(Boolean))];
      if (ids.length > RUN_TAGS_BATCH_MAX) throw new BadRequestError(`Too many workflow run IDs requested (at most ${RUN_TAGS_BATCH_MAX})`);
      const rows = (await runTags.current(ids)).filter((r) => r.organizationId === organizationId);
      const out: Record<string, { key: string | null; value: string }[]> = Object.fromEntries(ids.map((id) => [id, []]));
      for (const r of rows) out[r.runId]!.push({ key: r.key, value: r.value });
      return { run_tags: out };
    },
  };
}
export type RunTagsService = ReturnType<typeof runTagsService>;
