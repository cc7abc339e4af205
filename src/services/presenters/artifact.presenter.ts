import type { ArtifactRow } from '../../db/repositories/artifacts.repo.ts';
import type { Artifact } from '../../contracts/artifacts.ts';
import { toWireTimeRequired } from '../../domain/time.ts';

export function presentArtifact(a: ArtifactRow, signedUrl: string, runType: string | undefined): Artifact {
  const isWorkflow = runType === 'workflow_run' || runType === 'task_v2';
  return {
    artifact_id: a.artifactId,
    artifact_type: a.artifactType as Artifact['artifact_type'],
    uri: a.uri,
    bundle_key: null,
    checksum: a.checksum,
    file_size: a.fileSize,
    task_id: isWorkflow ? null : a.runId,
    step_id: a.stepId,
    workflow_run_id: isWorkflow ? a.runId : null,
    workflow_run_block_id: a.blockRunId,
    run_id: a.runId,
    observer_cruise_id: null,
    observer_thought_id: null,
    ai_suggestion_id: null,
    browser_session_id: null,
    signed_url: signedUrl,
    archived: false,
    organization_id: a.organizationId,
    created_at: toWireTimeRequired(a.createdAt),
    modified_at: toWireTimeRequired(a.modifiedAt),
  };
}
