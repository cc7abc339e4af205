// Parsed definition → the `workflow_definition` of a Workflow response (Skyvern's internal model).
import type { WorkflowCreateYamlRequest, WorkflowDefinitionYaml } from '../schema/request.ts';
import { resolveDefinitionVersion } from '../execution-order.ts';
import { buildParameterIndex } from './parameters.ts';
import { toResponseBlocks } from './blocks.ts';
import type { ResponseIds, WorkflowDefinitionResponse } from './schema.ts';

/**
 * Pure: ids and timestamps come from `ids`. Call it once when a workflow version is saved and
 * store the result, so ids stay stable across reads.
 */
export function toWorkflowResponseDefinition(
  input: WorkflowDefinitionYaml | WorkflowCreateYamlRequest,
  ids: ResponseIds,
): WorkflowDefinitionResponse {
  const definition = 'workflow_definition' in input ? input.workflow_definition : input;
  const index = buildParameterIndex(definition, ids);
  return {
    version: resolveDefinitionVersion(definition),
    parameters: index.list,
    blocks: toResponseBlocks(definition.blocks, index, ids),
    finally_block_label: definition.finally_block_label ?? null,
    error_code_mapping: definition.error_code_mapping ?? null,
    workflow_system_prompt: definition.workflow_system_prompt ?? null,
    completion_contract: definition.completion_contract ?? null,
  };
}
