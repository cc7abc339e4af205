// Names a definition defines or reserves: parameter keys, block labels, block output keys,
// and the variables every run provides.
import type { WorkflowDefinitionYaml } from './schema/request.ts';
import { allBlocks } from './walk.ts';

/** Keys a parameter may not use: the run provides these itself (Skyvern's RESERVED_PARAMETER_KEYS). */
export const RESERVED_PARAMETER_KEYS = [
  'current_item', 'current_value', 'current_index', 'current_date', 'workflow_title', 'workflow_id',
  'workflow_permanent_id', 'workflow_run_id', 'workflow_run_outputs', 'workflow_run_summary',
] as const;

/** Loop variables (set for a loop and its body blocks on every iteration). */
export const LOOP_VARIABLES = ['current_value', 'current_item', 'current_index'] as const;

/** Variables a template may read without declaring them. */
export const BUILTIN_TEMPLATE_VARIABLES: ReadonlySet<string> = new Set([
  ...RESERVED_PARAMETER_KEYS,
  'browser_session_id',
  // The run's download directory (Skyvern's WORKFLOW_DOWNLOAD_DIRECTORY_PARAMETER_KEY).
  'SKYVERN_DOWNLOAD_DIRECTORY',
]);

/** The auto-created output parameter key of a block. */
export const outputKeyOf = (label: string): string => `${label}_output`;

export type DefinitionNames = {
  parameterKeys: Set<string>;
  labels: Set<string>;
  outputKeys: Set<string>;
};

export function definitionNames(definition: WorkflowDefinitionYaml): DefinitionNames {
  const labels = new Set(allBlocks(definition.blocks).map((b) => b.label));
  return {
    parameterKeys: new Set(definition.parameters.map((p) => p.key)),
    labels,
    outputKeys: new Set([...labels].map(outputKeyOf)),
  };
}

/** True when `name` is a declared parameter or a block output (what `parameter_keys` may list). */
export function isParameterName(names: DefinitionNames, name: string): boolean {
  return names.parameterKeys.has(name) || names.outputKeys.has(name);
}

/** True when a template may read `name` (parameters, outputs, block labels, run builtins). */
export function isTemplateVariable(names: DefinitionNames, name: string): boolean {
  return isParameterName(names, name) || names.labels.has(name) || BUILTIN_TEMPLATE_VARIABLES.has(name);
}
