import type { Workflow } from '../../contracts/workflows.ts';
import type { WorkflowRow } from '../../db/repositories/workflows.repo.ts';
import { toWireTime, toWireTimeRequired } from '../../domain/time.ts';
import { maskHeaderValues } from '../../domain/urls.ts';
import type { WorkflowCreateYamlRequest } from '../../domain/workflow/index.ts';

/** One stored version → the contract's `Workflow` (request settings, the stored response definition, ids). */
export function presentWorkflow(row: WorkflowRow): Workflow {
  const { workflow_definition: _yaml, ...settings } = row.request as WorkflowCreateYamlRequest;
  return {
    ...settings,
    workflow_id: row.workflowId,
    organization_id: row.organizationId,
    title: row.title,
    workflow_permanent_id: row.workflowPermanentId,
    agent_id: row.workflowPermanentId,
    version: row.version,
    is_saved_task: row.isSavedTask,
    is_template: row.isTemplate,
    description: settings.description ?? null,
    workflow_definition: row.definition as Workflow['workflow_definition'],
    status: row.status as Workflow['status'],
    folder_id: row.folderId,
    // The response model has plain booleans where the request allows null ("inherit").
    mask_secrets: settings.mask_secrets ?? false,
    enable_self_healing: settings.enable_self_healing ?? false,
    cdp_connect_headers: maskHeaderValues(settings.cdp_connect_headers) ?? null,
    import_error: null,
    created_by: null,
    edited_by: null,
    copilot_authored: false,
    created_at: toWireTimeRequired(row.createdAt),
    modified_at: toWireTimeRequired(row.modifiedAt),
    deleted_at: toWireTime(row.deletedAt),
  };
}
