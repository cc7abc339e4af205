// Wire shapes of run tags (`/v1/runs/{workflow_run_id}/tags…`, `/v1/run-tags`).
import { Type, type Static } from 'typebox';
import { Nullable, StringMap } from './common.ts';

// Key and value are indexed: bounded so an index row always fits (btree rows top out near 2.7 kB).
export const TagInput = Type.Object({
  key: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  value: Type.String({ maxLength: 500 }),
}, { title: 'TagInput' });

export const TagDeleteInput = Type.Object({
  key: Type.Optional(Nullable(Type.String())),
  value: Type.Optional(Nullable(Type.String())),
}, { title: 'TagDeleteInput' });

export const TagApplyRequest = Type.Object({
  tags: Type.Optional(Type.Array(TagInput)),
  tags_to_delete: Type.Optional(Type.Array(TagDeleteInput)),
  /** Accepted for compatibility; this server keeps no tag colors. */
  colors: Type.Optional(Nullable(StringMap)),
}, { title: 'TagApplyRequest' });
export type TagApplyRequest = Static<typeof TagApplyRequest>;

export const TagResponse = Type.Object({
  key: Nullable(Type.String()),
  value: Type.String(),
  source: Type.String(),
  set_at: Type.String(),
  set_by: Type.String(),
}, { title: 'TagResponse' });

export const RunTagsResponse = Type.Object({
  workflow_run_id: Type.String(),
  tags: Type.Array(TagResponse),
}, { title: 'RunTagsResponse' });

export const TagHistoryItem = Type.Object({
  tag_event_id: Type.String(),
  key: Nullable(Type.String()),
  value: Nullable(Type.String()),
  event_type: Type.String(),
  source: Type.String(),
  set_at: Type.String(),
  set_by: Type.String(),
  superseded_at: Nullable(Type.String()),
}, { title: 'TagHistoryItem' });

export const RunTagHistoryResponse = Type.Object({
  workflow_run_id: Type.String(),
  events: Type.Array(TagHistoryItem),
}, { title: 'RunTagHistoryResponse' });

export const RunTagHistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  since: Type.Optional(Nullable(Type.String())),
  key: Type.Optional(Nullable(Type.String())),
});
export type RunTagHistoryQuery = Static<typeof RunTagHistoryQuery>;

export const TagItem = Type.Object({ key: Nullable(Type.String()), value: Type.String() }, { title: 'TagItem' });

export const RunTagsBatchResponse = Type.Object({
  run_tags: Type.Record(Type.String(), Type.Array(TagItem)),
}, { title: 'RunTagsBatchResponse' });

export const RunTagsBatchRequest = Type.Object({
  workflow_run_ids: Type.Optional(Type.Array(Type.String())),
}, { title: 'RunTagsBatchRequest' });

export const RunTagsBatchQuery = Type.Object({ workflow_run_ids: Type.Optional(Nullable(Type.String())) });

export const RunTagParams = Type.Object({ workflow_run_id: Type.String(), key: Type.String() });
